"""`mentorbot doctor`: check an install, one line per check, each with the fix on failure.

Pure of click: `diagnose()` returns the checks; the command prints their lines. No line
ever holds a token, the signing secret or a database password.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url

from bot.db import make_engine
from bot.manifest import MANIFEST, manifest_scopes
from bot.settings import Settings, reveal

Status = Literal["ok", "fail", "skip"]
MARKS = {"ok": "✓", "fail": "✗", "skip": "–"}
FEED_CHECK_SECONDS = 5
SIGNING_SECRET = re.compile(r"^[0-9a-fA-F]{32}$")
APP_TOKEN = "SLACK_APP_TOKEN"  # noqa: S105 - a setting's name
REINSTALL = "reinstall the app from manifest.yml (OAuth & Permissions → Reinstall)"
COPY_XOXB = "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN"
AUTH_FIXES = {
    "invalid_auth": COPY_XOXB,
    "not_authed": COPY_XOXB,
    "token_revoked": "reinstall the app and copy its new token into SLACK_BOT_TOKEN",
    "token_expired": "turn token rotation off, reinstall, copy the new token",
    "account_inactive": "reinstall the app and copy its new token into SLACK_BOT_TOKEN",
    "missing_scope": REINSTALL,
}
CREATE_XAPP = (
    "create an app-level token with connections:write under Basic Information"
    " → App-Level Tokens and put it in SLACK_APP_TOKEN"
)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str | None = None

    @property
    def line(self) -> str:
        text = f"{MARKS[self.status]} {self.name}: {self.detail}"
        return f"{text} — fix: {self.fix}" if self.fix else text


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def failed(name: str, detail: str, fix: str) -> Check:
    return Check(name, "fail", detail, fix)


def skipped(name: str, why: str) -> Check:
    return Check(name, "skip", f"skipped, {why}")


def healthy(checks: Iterable[Check]) -> bool:
    return all(check.status != "fail" for check in checks)


def diagnose(manifests: Sequence[Path] | None = None) -> list[Check]:
    """Every check, in order. `manifests`: where to look for manifest.yml (default: the
    repository's, then the working directory's)."""
    settings, checks, app_token_bad = _settings()
    if settings is None:
        for name in ("database", "auth.test", "scopes", "coordinator channel", "signing secret"):
            checks.append(skipped(name, "the settings above are not valid"))
        checks.append(_app_token(None, app_token_bad))
        checks.append(skipped("calendar feeds", "the settings above are not valid"))
        return checks
    secrets = [reveal(s) for s in (settings.slack_bot_token, settings.slack_signing_secret)]
    checks.append(_database(settings.database_url))
    auth, checks_auth = _auth_test(settings)
    checks.append(checks_auth)
    checks.append(_scopes(auth, manifests or (MANIFEST, Path.cwd() / "manifest.yml")))
    checks.append(_coordinator_channel(settings, auth))
    checks.append(_signing_secret(settings))
    checks.append(_app_token(settings, app_token_bad))
    checks.append(_calendar_feeds(settings))
    return [_scrubbed(check, [s for s in secrets if s]) for check in checks]


def _settings() -> tuple[Settings | None, list[Check], bool]:
    """The settings, or None with one ✗ line per bad value. A malformed SLACK_APP_TOKEN has
    its own check below, so it alone does not stop the others."""
    try:
        return Settings(), [ok("settings", "valid")], False
    except ValidationError as error:
        problems = [
            (str(e["loc"][0]) if e["loc"] else "settings", e["msg"].removeprefix("Value error, "))
            for e in error.errors()
        ]
    app_token_bad = any(name == APP_TOKEN for name, _ in problems)
    others = [(name, reason) for name, reason in problems if name != APP_TOKEN]
    if not others:
        settings = Settings(**{APP_TOKEN: None})  # type: ignore[arg-type]
        return settings, [ok("settings", f"valid (apart from {APP_TOKEN}, below)")], True
    checks = [
        failed("settings", f"{name}: {reason}", f"correct {name} (see .env.example)")
        for name, reason in others
    ]
    return None, checks, app_token_bad


def _database(url: str) -> Check:
    from bot.schema import current_revision, head_revision

    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    path = parsed.database
    sqlite_file = parsed.get_backend_name() == "sqlite" and path and path != ":memory:"
    if sqlite_file and not Path(path).exists():
        return failed("database", f"{shown} does not exist", "run `mentorbot migrate`")
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or type(error).__name__).splitlines()[0]
        if parsed.password:
            reason = reason.replace(parsed.password, "***")
        return failed(
            "database",
            f"cannot connect to {shown} ({reason})",
            "check DATABASE_URL and that the database server is running",
        )
    finally:
        engine.dispose()
    head = head_revision()
    if current != head:
        return failed(
            "database",
            f"at revision {current or 'none'}, not the newest ({head})",
            "run `mentorbot migrate`",
        )
    return ok("database", f"reachable, at the newest revision ({head})")


def _auth_test(settings: Settings) -> tuple[Any, Check]:
    """auth.test's answer (None when it failed) and its check."""
    from bot.slack import make_client

    token = reveal(settings.slack_bot_token)
    if not token:
        return None, failed("auth.test", "SLACK_BOT_TOKEN is not set", COPY_XOXB)
    client = make_client(token=token, base_url=settings.slack_api_url)
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error"))
        fix = AUTH_FIXES.get(code, f"see https://api.slack.com/methods/auth.test ({code})")
        return None, failed("auth.test", f"Slack answered {code}", fix)
    except Exception as error:  # an unreachable Slack is a ✗ line, not a traceback
        return None, failed(
            "auth.test",
            f"could not reach Slack at {settings.slack_api_url} ({type(error).__name__})",
            "check SLACK_API_URL and the network",
        )
    detail = f"bot @{answer.get('user')} in workspace {answer.get('team')} ({answer.get('url')})"
    return answer, ok("auth.test", detail)


def _granted(answer: Any) -> frozenset[str] | None:
    """The scopes Slack says the token has (its x-oauth-scopes header), None if unsaid."""
    headers = {str(k).lower(): v for k, v in (getattr(answer, "headers", None) or {}).items()}
    value = headers.get("x-oauth-scopes")
    if value is None:
        return None
    if isinstance(value, list):
        value = ",".join(value)
    return frozenset(s.strip() for s in str(value).split(",") if s.strip())


def _scopes(answer: Any, manifests: Sequence[Path]) -> Check:
    if answer is None:
        return skipped("scopes", "auth.test did not succeed")
    manifest = next((m for m in manifests if m.is_file()), None)
    wanted = manifest_scopes(manifest) if manifest else None
    if wanted is None:
        return skipped("scopes", "no manifest.yml here to compare the token's scopes with")
    granted = _granted(answer)
    if granted is None:
        return skipped("scopes", "Slack's answer did not list the token's scopes")
    missing = sorted(wanted - granted)
    if missing:
        return failed("scopes", f"the token lacks {', '.join(missing)}", REINSTALL)
    return ok("scopes", f"the token has every bot scope manifest.yml asks for ({len(wanted)})")


def _coordinator_channel(settings: Settings, answer: Any) -> Check:
    name = "coordinator channel"
    channel = settings.coordinator_channel
    if not channel:
        return skipped(name, "MENTORBOT_COORDINATOR_CHANNEL is not set")
    if answer is None:
        return skipped(name, "auth.test did not succeed")
    from bot.slack import make_client

    client = make_client(token=reveal(settings.slack_bot_token), base_url=settings.slack_api_url)
    invite = f"`/invite @{answer.get('user') or 'mentorbot'}` in {channel}"
    try:
        client.conversations_history(channel=channel, limit=1)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        fix = REINSTALL if code == "missing_scope" else invite
        return failed(name, f"the bot cannot read {channel}: Slack answered {code}", fix)
    except Exception as error:
        return failed(
            name,
            f"could not reach Slack at {settings.slack_api_url} ({type(error).__name__})",
            "check SLACK_API_URL and the network",
        )
    return ok(name, f"the bot is a member of {channel}")


def _signing_secret(settings: Settings) -> Check:
    name = "signing secret"
    secret = reveal(settings.slack_signing_secret)
    fix = "copy the Signing Secret from Basic Information → App Credentials"
    if not secret:
        if settings.slack_app_token:
            return skipped(name, "SLACK_SIGNING_SECRET is not set (Socket Mode needs none)")
        return failed(name, "SLACK_SIGNING_SECRET is not set (`mentorbot serve` needs it)", fix)
    if not SIGNING_SECRET.match(secret):
        return failed(name, "SLACK_SIGNING_SECRET does not look like one (32 hex characters)", fix)
    return ok(name, "SLACK_SIGNING_SECRET looks like one (32 hex characters)")


def _app_token(settings: Settings | None, bad: bool) -> Check:
    name = "app token"
    if bad:
        return failed(
            name,
            f"{APP_TOKEN} does not start with xapp-",
            CREATE_XAPP,
        )
    if settings is None:
        return skipped(name, "the settings above are not valid")
    if not settings.slack_app_token:
        return skipped(name, f"{APP_TOKEN} is not set (only Socket Mode needs it)")
    return ok(name, f"{APP_TOKEN} starts with xapp-")


def _calendar_feeds(settings: Settings) -> Check:
    """The web process answers /healthz at MENTORBOT_PUBLIC_URL, so feed links work."""
    name = "calendar feeds"
    base = settings.public_url
    if base is None:
        return skipped(name, "MENTORBOT_PUBLIC_URL is not set (no feed links; the buttons work)")
    fix = (
        "set MENTORBOT_PUBLIC_URL to the web process's public address"
        " (Slack's Request URL without /slack/events)"
    )
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=FEED_CHECK_SECONDS) as answer:  # noqa: S310 - http(s) only, checked by the settings
            body = json.loads(answer.read(4096))
    except urllib.error.HTTPError as error:
        return failed(name, f"{base}/healthz answered HTTP {error.code}", fix)
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or type(error).__name__
        return failed(name, f"{base}/healthz did not answer ({reason})", fix)
    if not isinstance(body, dict) or body.get("status") != "ok":
        return failed(name, f"{base}/healthz is not mentorbot's", fix)
    return ok(name, f"{base} answers /healthz")


def _scrubbed(check: Check, secrets: list[str]) -> Check:
    """Belt and braces: no secret value in a line, whatever an error message quoted."""
    detail, fix = check.detail, check.fix
    for secret in secrets:
        detail = detail.replace(secret, "***")
        fix = fix.replace(secret, "***") if fix else fix
    return Check(check.name, check.status, detail, fix)
