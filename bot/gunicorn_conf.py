"""gunicorn's settings for the Procfile's `web` process: `gunicorn -c python:bot.gunicorn_conf`.

gunicorn reads only the names it knows from this module."""

from __future__ import annotations

from typing import Any


def on_starting(server: Any) -> None:
    """Once, in the master, before it listens or starts a worker: the database at the newest
    migration and Slack answering the token, or one line and an exit (bot.startup)."""
    from bot.startup import before_serving

    before_serving()
