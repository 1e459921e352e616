"""Settings: bad or missing values stop the bot at start with one line naming the variable."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from bot.calendar import DigestSchedule
from bot.settings import Settings
from tests.helpers_cli import run_mentorbot

BOT_TOKEN = "xoxb-1-2-abc"
SIGNING_SECRET = "signing-secret"


def assert_refused(result: subprocess.CompletedProcess[str], name: str) -> str:
    """Exit status 2 and exactly one line on stderr, naming `name` first; returns the line."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"mentorbot: {name}"), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("command", "env", "name"),
    [
        pytest.param("serve", {}, "SLACK_BOT_TOKEN", id="serve-without-bot-token"),
        pytest.param(
            "serve", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET", id="serve-no-secret"
        ),
        pytest.param(
            "socket", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN", id="socket-no-app-token"
        ),
        pytest.param("socket", {}, "SLACK_BOT_TOKEN", id="socket-without-bot-token"),
    ],
)
def test_a_command_names_the_missing_setting_it_needs(
    tmp_path: Path, command: str, env: dict[str, str], name: str
) -> None:
    line = assert_refused(run_mentorbot(command, cwd=tmp_path, env=env), name)
    assert "is not set" in line
    assert f"mentorbot {command}" in line


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        pytest.param("SLACK_BOT_TOKEN", "xoxp-user-token", ["xoxb-"], id="user-token"),
        pytest.param("SLACK_APP_TOKEN", "xoxb-not-an-app-token", ["xapp-"], id="app-token"),
        pytest.param(
            "MENTORBOT_COORDINATORS", "U0123ABCD, nope", ["nope"], id="coordinator-not-an-id"
        ),
        pytest.param("MENTORBOT_COORDINATOR_CHANNEL", "general", ["channel"], id="channel-name"),
        pytest.param("DATABASE_URL", "not a url", ["database URL"], id="database-url"),
        pytest.param("SLACK_API_URL", "ftp://x", ["http"], id="api-url-scheme"),
        pytest.param("LOG_LEVEL", "chatty", ["INFO"], id="log-level"),
        pytest.param(
            "MENTORBOT_PUBLIC_URL", "http://mentorbot.example.com", ["https"], id="public-http"
        ),
        pytest.param("MENTORBOT_PUBLIC_URL", "mentorbot.example.com", ["URL"], id="public-bare"),
        pytest.param(
            "MENTORBOT_PUBLIC_URL", "https://example.com/?a=1", ["URL"], id="public-query"
        ),
        pytest.param("MENTORBOT_TIMEZONE", "Mars/Olympus", ["IANA"], id="timezone"),
        pytest.param("MENTORBOT_DIGEST_DAY", "someday", ["weekday"], id="digest-day"),
        pytest.param("MENTORBOT_DIGEST_TIME", "9am", ["09:00"], id="digest-time"),
        pytest.param(
            "MENTORBOT_DELIVERY_CONCURRENCY", "0", ["greater than or equal to 1"], id="no-senders"
        ),
        pytest.param("MENTORBOT_DELIVERY_CONCURRENCY", "many", ["integer"], id="senders-word"),
        pytest.param(
            "MENTORBOT_MAX_RETRY_WAIT", "600", ["less than or equal to 120"], id="long-wait"
        ),
    ],
)
def test_an_invalid_value_is_refused_before_anything_starts(
    tmp_path: Path, name: str, value: str, words: list[str]
) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, name: value}

    line = assert_refused(run_mentorbot("serve", cwd=tmp_path, env=env), name)

    assert "is not set" not in line
    for word in words:
        assert word in line


def test_only_the_bad_coordinator_is_named(tmp_path: Path) -> None:
    env = {"MENTORBOT_COORDINATORS": "U0AAAA111, nope, W0BBBB222"}

    line = assert_refused(run_mentorbot("serve", cwd=tmp_path, env=env), "MENTORBOT_COORDINATORS")

    assert line.endswith(": nope")
    assert "U0AAAA111" not in line
    assert "W0BBBB222" not in line


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxp-from-dotenv\n")

    line = assert_refused(run_mentorbot("serve", cwd=tmp_path), "SLACK_BOT_TOKEN")

    assert "xoxb-" in line
    assert "is not set" not in line


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxp-from-dotenv\n")

    result = run_mentorbot("serve", cwd=tmp_path, env={"SLACK_BOT_TOKEN": BOT_TOKEN})

    assert_refused(result, "SLACK_SIGNING_SECRET")


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting reaches Settings from the environment of the process running the tests."""
    aliases = {info.alias for info in Settings.model_fields.values()}
    for key in [k for k in os.environ if k.upper() in aliases]:
        monkeypatch.delenv(key)


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.usefixtures("bare_environment")
def test_defaults() -> None:
    defaults = settings()

    assert defaults.database_url == "sqlite:///mentorbot.db"
    assert defaults.slack_api_url == "https://slack.com/api/"
    assert defaults.coordinators == frozenset()
    assert defaults.coordinator_channel is None
    assert defaults.slack_bot_token is None
    assert defaults.log_level == "INFO"
    assert defaults.digest_schedule == DigestSchedule(weekday=0, at=dt.time(9, 0), zone="UTC")
    assert (defaults.delivery_concurrency, defaults.max_retry_wait) == (4, 30)


def test_the_digest_schedule_reads_day_time_and_zone() -> None:
    chosen = settings(
        MENTORBOT_DIGEST_DAY="Friday",
        MENTORBOT_DIGEST_TIME="16:30",
        MENTORBOT_TIMEZONE="Asia/Tokyo",
    )
    assert chosen.digest_schedule == DigestSchedule(
        weekday=4, at=dt.time(16, 30), zone="Asia/Tokyo"
    )


@pytest.mark.parametrize(
    "url", ["postgres://u:p@h/db", "postgresql://u:p@h/db", " postgres://u:p@h/db\n"]
)
def test_postgres_urls_get_the_psycopg_driver(url: str) -> None:
    assert settings(DATABASE_URL=url).database_url == "postgresql+psycopg://u:p@h/db"


def test_a_url_that_names_its_driver_is_kept() -> None:
    url = "postgresql+psycopg://u:p@h/db"
    assert settings(DATABASE_URL=url).database_url == url


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("http://127.0.0.1:8080/api", "http://127.0.0.1:8080/api/"),
        ("https://slack.com/api/", "https://slack.com/api/"),
    ],
)
def test_the_api_url_ends_with_a_slash(given: str, kept: str) -> None:
    assert settings(SLACK_API_URL=given).slack_api_url == kept


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://mentorbot.example.com/", "https://mentorbot.example.com"),
        ("https://example.com/mentorbot", "https://example.com/mentorbot"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("  ", None),
    ],
)
def test_the_public_url_is_kept_without_its_last_slash(given: str, kept: str | None) -> None:
    assert settings(MENTORBOT_PUBLIC_URL=given).public_url == kept


def test_coordinators_are_a_set_of_user_ids() -> None:
    parsed = settings(MENTORBOT_COORDINATORS="U0123ABCD, W0456EFGH").coordinators

    assert parsed == frozenset({"U0123ABCD", "W0456EFGH"})
    assert isinstance(parsed, frozenset)


def test_blank_tokens_count_as_unset() -> None:
    blank = settings(SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="", SLACK_APP_TOKEN="")

    assert (blank.slack_bot_token, blank.slack_signing_secret, blank.slack_app_token) == (
        None,
        None,
        None,
    )
