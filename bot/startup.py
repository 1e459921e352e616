"""What `serve` (and the Procfile's `web` process) and `socket` check once, before they
start: the settings, the database at the newest migration, and Slack answering the tokens.

Each failure is one line on standard error and an exit: status 2 for something to correct
(a setting, a database to migrate, a token Slack refuses), 1 for Slack out of reach, which
may pass. Under gunicorn the check runs in the master, before it starts a worker: a worker
that cannot start would otherwise be replaced, several times a second, for as long as the
master runs.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.app import boot
from bot.doctor import AUTH_FIXES, COPY_XOXB, CREATE_XAPP
from bot.settings import Settings, fail, reveal
from bot.slack import make_client

# What Slack answers when it refuses the token itself, whatever the method.
TOKEN_REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)
UNREACHABLE = 1
# slack_sdk logs every failed attempt (an error and two lines about retrying); the one line
# this module writes says what failed in the end.
ATTEMPTS = logging.getLogger("bot.startup.attempts")
ATTEMPTS.setLevel(logging.CRITICAL)


def before_serving() -> None:
    """`serve`'s check, and gunicorn's `on_starting` hook's (bot/gunicorn_conf.py)."""
    settings, engine = boot("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    engine.dispose()  # the workers open their own connections
    require_slack(settings)


def require_slack(settings: Settings, *, app_token: bool = False) -> None:
    """Exit unless Slack answers the bot token (`auth.test`) and, with `app_token`, the
    app-level token (`apps.connections.open`, what Socket Mode connects with)."""
    client = make_client(
        token=reveal(settings.slack_bot_token), base_url=settings.slack_api_url, logger=ATTEMPTS
    )
    _answered(settings, "SLACK_BOT_TOKEN", "auth.test", client.auth_test)
    if app_token:
        app_level = reveal(settings.slack_app_token)
        _answered(
            settings,
            "SLACK_APP_TOKEN",
            "apps.connections.open",
            lambda: client.apps_connections_open(app_token=app_level),
        )


def _answered(settings: Settings, name: str, method: str, call: Callable[[], object]) -> None:
    """Make `call` (the client retries what failed on the way); one line and exit if Slack
    did not answer, or refused the token `name` names."""
    try:
        call()
    except SlackApiError as error:
        code = str(error.response.get("error") or "")
        if code in TOKEN_REFUSED:
            fix = CREATE_XAPP if name == "SLACK_APP_TOKEN" else AUTH_FIXES.get(code, COPY_XOXB)
            fail(f"{name}: Slack refused it ({code}); {fix}")
        status = error.response.status_code
        why = code if status == 200 and code else f"HTTP {status}"
        fail(f"Slack could not answer {method} ({why}); try again in a minute", UNREACHABLE)
    except (OSError, http.client.HTTPException) as error:  # URLError and timeouts included
        reason = getattr(error, "reason", None) or error
        why = str(reason) or type(reason).__name__
        where = settings.slack_api_url
        fail(f"Slack is unreachable at {where} ({why}); check the network", UNREACHABLE)
