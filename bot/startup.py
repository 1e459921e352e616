"""What `serve` (and the Procfile's `web` process) check once, before they start: the
settings and the database at the newest migration.

Each failure is one line on standard error and exit status 2. Under gunicorn the check runs
in the master, before it starts a worker: a worker that cannot start would otherwise be
replaced, several times a second, for as long as the master runs.
"""

from __future__ import annotations

from bot.app import boot


def before_serving() -> None:
    """`serve`'s check, and gunicorn's `on_starting` hook's (bot/gunicorn_conf.py)."""
    _, engine = boot("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    engine.dispose()  # the workers open their own connections
