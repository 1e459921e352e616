"""Entry point for gunicorn: `gunicorn 'bot.wsgi:create()'`."""

from __future__ import annotations

from functools import partial

from bot.app import boot, create_app
from bot.flows.calendars import feed
from bot.web import WSGIApp, make_wsgi


def create() -> WSGIApp:
    settings, engine = boot("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    app, deps = create_app(settings, engine=engine)
    return make_wsgi(app, engine, calendar=partial(feed, deps))
