"""Entry point for gunicorn: `gunicorn 'bot.wsgi:create()'`."""

from __future__ import annotations

from bot.app import create_app
from bot.db import make_engine
from bot.logs import configure_logging
from bot.schema import require_current
from bot.settings import load_settings
from bot.web import WSGIApp, make_wsgi


def create() -> WSGIApp:
    settings = load_settings()
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    require_current(engine)
    app, _ = create_app(settings, engine=engine)
    return make_wsgi(app, engine)
