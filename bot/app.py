"""The Bolt app factory: settings -> engine -> client -> app -> listeners."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot import listeners
from bot.db import make_engine, make_sessionmaker, transaction
from bot.deps import Deps
from bot.listeners.replies import failure_answer
from bot.logs import configure_logging, describe
from bot.models import utcnow
from bot.schema import require_current
from bot.services.programmes import default_programme
from bot.settings import Settings, load_settings, reveal
from bot.slack import make_client

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    engine: sa.Engine | None = None,
    client: WebClient | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> tuple[App, Deps]:
    """A Bolt app with every listener registered, and what its listeners share.

    `clock` tells the listeners what time it is (the demo runs a simulated one)."""
    engine = engine or make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        programme_id = default_programme(session, settings.programme_defaults).id
    client = client or make_client(
        token=reveal(settings.slack_bot_token), base_url=settings.slack_api_url
    )
    outbox_client = make_client(
        token=client.token, base_url=settings.slack_api_url, wait_on_429=False
    )
    deps = Deps(
        settings=settings,
        sessions=sessions,
        programme_id=programme_id,
        outbox_client=outbox_client,
        clock=clock,
    )
    with _token_out_of_bolts_sight():
        app = App(
            client=client,
            signing_secret=reveal(settings.slack_signing_secret) or "",
            # Answer Slack when the listener returns: its database work is done by then
            # (what we acknowledge is saved), and a command's ephemeral reply travels in the
            # HTTP response itself. Listeners call no Web API method before returning: what
            # follows the answer runs on bot/background.py's threads.
            process_before_response=True,
            logger=logging.getLogger("bot.slack"),
        )
    # Bolt logs the whole body of a request it refuses at INFO. bot.web checks signatures
    # before Bolt does, so this should never fire; if it does, the body stays out of the log.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    app.error(_on_error)
    listeners.register(app, deps)
    return app, deps


@contextmanager
def _token_out_of_bolts_sight() -> Iterator[None]:
    """Bolt reads SLACK_BOT_TOKEN from the environment when it is given no token, and warns
    that it will go unused beside the client it is given. The settings are the one reader
    of the environment, and gave the client its token: Bolt is not shown the variable."""
    token = os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        yield
    finally:
        if token is not None:
            os.environ["SLACK_BOT_TOKEN"] = token


def boot(*required: str) -> tuple[Settings, sa.Engine]:
    """What every process starts with: settings (exit 2 if one of `required` is unset),
    logging, and an engine on a database at the newest migration."""
    settings = load_settings()
    settings.require(*required)
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    require_current(engine)
    return settings, engine


def _on_error(
    error: Exception, body: dict[str, Any], logger: logging.Logger
) -> BoltResponse | None:
    """Log with the traceback; a person who ran a command or sent a form sees a short
    apology instead, and keeps what they typed (bot.listeners.replies.failure_answer).

    The message is describe(error), never str(error): a database error can quote the
    row it refused. The traceback is written the same way by bot.logs' formatter."""
    logger.error("listener failed: %s", describe(error), exc_info=error)
    answer = failure_answer(body)
    if answer is None:
        return None
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
