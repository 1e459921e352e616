"""gunicorn's settings for the Procfile's `web` process: `gunicorn -c python:bot.gunicorn_conf`.

gunicorn reads only the names it knows from this module."""

from __future__ import annotations

from typing import Any

# An access log, if one is asked for (`--access-logfile`), never shows a feed's token.
logger_class = "bot.access_log.AccessLog"


def on_starting(server: Any) -> None:
    """Once, in the master, before it listens or starts a worker: the database at the newest
    migration and Slack answering the token, or one line and an exit (bot.startup)."""
    from bot.startup import before_serving

    before_serving()
