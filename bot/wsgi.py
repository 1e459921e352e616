"""Entry point for gunicorn: `gunicorn 'bot.wsgi:create()'`."""

from __future__ import annotations

from bot.app import boot, create_app
from bot.web import WSGIApp, make_wsgi


def create() -> WSGIApp:
    settings, engine = boot("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    app, _ = create_app(settings, engine=engine)
    return make_wsgi(app, engine)
