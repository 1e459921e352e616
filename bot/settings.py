"""The one reader of the environment (and of a `.env` file beside the process)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import sys
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.calendar import DigestSchedule, WorkingHours
from bot.programme_defaults import DefaultValues, is_handle

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Settings(BaseSettings):
    """Every setting the bot reads. Environment names are part of the interface."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", case_sensitive=False, populate_by_name=True
    )

    # Secrets print as '**********'; .get_secret_value() where the value is handed over.
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    # May hold a password: kept out of repr(settings).
    database_url: str = Field(default="sqlite:///mentorbot.db", alias="DATABASE_URL", repr=False)
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    coordinators: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), alias="MENTORBOT_COORDINATORS"
    )
    coordinator_channel: str | None = Field(default=None, alias="MENTORBOT_COORDINATOR_CHANNEL")
    programme_name: str = Field(default="Mentoring programme", alias="MENTORBOT_PROGRAMME_NAME")
    programme_handle: str = Field(default="mentoring", alias="MENTORBOT_PROGRAMME_HANDLE")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    working_hours: str = Field(default="09:00-17:00", alias="MENTORBOT_WORKING_HOURS")
    working_days: str = Field(default="mon,tue,wed,thu,fri", alias="MENTORBOT_WORKING_DAYS")
    tick_seconds: int = Field(default=60, alias="MENTORBOT_TICK_SECONDS", ge=5, le=3600)
    # The outbox: how many messages are in flight to Slack at once, and the longest 429
    # Retry-After a scheduler pass waits out before it ends (longer: the next pass sends).
    delivery_concurrency: int = Field(
        default=4, alias="MENTORBOT_DELIVERY_CONCURRENCY", ge=1, le=32
    )
    max_retry_wait: int = Field(default=30, alias="MENTORBOT_MAX_RETRY_WAIT", ge=0, le=120)
    # The weekly digest: posted on this day at this time in the coordinators' zone.
    timezone: str = Field(default="UTC", alias="MENTORBOT_TIMEZONE")
    digest_day: str = Field(default="mon", alias="MENTORBOT_DIGEST_DAY")
    digest_time: str = Field(default="09:00", alias="MENTORBOT_DIGEST_TIME")
    # The public base URL of the web process, for calendar feeds' links.
    public_url: str | None = Field(default=None, alias="MENTORBOT_PUBLIC_URL")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value or None

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr | None) -> SecretStr | None:
        return value or None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        # Heroku and others hand out postgres:// URLs; SQLAlchemy wants a dialect+driver.
        value = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", value.strip())
        try:
            make_url(value)
        except ArgumentError as error:
            raise ValueError("is not a database URL (e.g. sqlite:///mentorbot.db)") from error
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        # The token travels with every call: plain http only to this machine (the stand-in).
        value = value.strip()
        url = urlsplit(value)
        try:
            host = url.hostname
        except ValueError:
            host = None
        if url.scheme not in {"http", "https"} or not host or any(c.isspace() for c in value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        if url.scheme == "http" and host not in LOCAL_HOSTS:
            raise ValueError("must be https:// (plain http:// only to localhost)")
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        # A feed's link is its only key: plain http only to this machine.
        value = (value or "").strip().rstrip("/")
        if not value:
            return None
        url = urlsplit(value)
        try:
            host = url.hostname
        except ValueError:
            host = None
        plain = url.scheme not in {"http", "https"} or not host or url.query or url.fragment
        if plain or any(c.isspace() for c in value):
            raise ValueError("must be the web process's URL, such as https://mentorbot.example.com")
        if url.scheme == "http" and host not in LOCAL_HOSTS:
            raise ValueError("must be https:// (plain http:// only for localhost)")
        return value

    @field_validator("coordinators", mode="before")
    @classmethod
    def _coordinators(cls, value: object) -> frozenset[str]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        ids = frozenset(value or ())  # type: ignore[arg-type]
        bad = sorted(i for i in ids if not USER_ID.match(i))
        if bad:
            raise ValueError(f"not Slack user IDs (like U0123ABCD): {', '.join(bad)}")
        return ids

    @field_validator("coordinator_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value and not CHANNEL_ID.match(value):
            raise ValueError("must be a Slack channel ID (like C0123ABCD)")
        return value or None

    @field_validator("programme_handle")
    @classmethod
    def _programme_handle(cls, value: str) -> str:
        value = value.strip().lower()
        if not is_handle(value):
            raise ValueError("must be lowercase letters, digits and dashes, like eng-mentoring")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @field_validator("working_hours")
    @classmethod
    def _working_hours(cls, value: str) -> str:
        start, _, end = value.replace(" ", "").partition("-")
        if not (CLOCK.match(start) and CLOCK.match(end)) or start >= end:
            raise ValueError("must be two times like 09:00-17:00, the first earlier")
        return f"{start}-{end}"

    @field_validator("working_days")
    @classmethod
    def _working_days(cls, value: str) -> str:
        days = [d.strip().lower()[:3] for d in value.split(",") if d.strip()]
        if not days or any(d not in DAYS for d in days):
            raise ValueError("must be weekday names like mon,tue,wed,thu,fri")
        return ",".join(days)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        value = value.strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError("must be an IANA time zone such as Europe/London or UTC") from error
        return value

    @field_validator("digest_day")
    @classmethod
    def _digest_day(cls, value: str) -> str:
        day = value.strip().lower()[:3]
        if day not in DAYS:
            raise ValueError("must be a weekday name like mon")
        return day

    @field_validator("digest_time")
    @classmethod
    def _digest_time(cls, value: str) -> str:
        value = value.strip()
        if not CLOCK.match(value):
            raise ValueError("must be a 24-hour time like 09:00")
        return value

    @property
    def digest_schedule(self) -> DigestSchedule:
        return DigestSchedule(
            weekday=DAYS.index(self.digest_day),
            at=dt.time.fromisoformat(self.digest_time),
            zone=self.timezone,
        )

    @property
    def programme_defaults(self) -> DefaultValues:
        """The default programme as the settings describe it; the values set in the
        environment win over `/mentor-programme` changes on every start."""
        schedule = self.digest_schedule
        given = {
            "programme_handle": "handle",
            "programme_name": "name",
            "coordinator_channel": "coordinator_channel_id",
            "digest_day": "digest_weekday",
            "digest_time": "digest_time",
            "timezone": "digest_tz",
        }
        return DefaultValues(
            handle=self.programme_handle,
            name=self.programme_name,
            coordinator_channel_id=self.coordinator_channel,
            digest_weekday=schedule.weekday,
            digest_time=schedule.at,
            digest_tz=schedule.zone,
            given=frozenset(given[f] for f in self.model_fields_set if f in given),
        )

    @property
    def hours(self) -> WorkingHours:
        start, end = self.working_hours.split("-")
        return WorkingHours(
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
            days=frozenset(DAYS.index(d) for d in self.working_days.split(",")),
        )

    @property
    def feed_key(self) -> bytes | None:
        """The key calendar feeds' tokens are derived from: the signing secret's, for this
        use alone (so a new signing secret gives everyone new links); None without one."""
        secret = reveal(self.slack_signing_secret)
        if not secret:
            return None
        return hmac.new(secret.encode(), b"mentorbot calendar feeds", hashlib.sha256).digest()

    def require(self, *names: str) -> None:
        """Exit with status 2 naming the first of `names` (environment names) that is unset."""
        for name in names:
            field = next(f for f, info in type(self).model_fields.items() if info.alias == name)
            if not getattr(self, field):
                fail(f"{name} is not set; the `{_command()}` command needs it (see .env.example)")


def reveal(secret: SecretStr | None) -> str | None:
    """A secret's value, for the one place it is handed to (a client, a verifier)."""
    return secret.get_secret_value() if secret is not None else None


class SettingsError(SystemExit):
    pass


def _command() -> str:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return f"mentorbot {args[0]}" if args else "mentorbot"


def fail(message: str, status: int = 2) -> None:
    """One line on standard error, and exit: 2 for something to correct, by default."""
    print(f"mentorbot: {message}", file=sys.stderr)
    raise SettingsError(status)


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings; on a bad value print one line and exit with status 2."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        reason = first["msg"].removeprefix("Value error, ")
        fail(f"{name}: {reason}")
        raise  # unreachable; fail() exits
