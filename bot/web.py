"""The WSGI application: Slack's requests at /slack/events, a health check at /healthz."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.db import database_answers

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
EVENTS_PATH = "/slack/events"


def make_wsgi(app: App, engine: sa.Engine) -> WSGIApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            try:
                return slack(environ, start_response)
            except ValueError:  # Bolt parses the body before it checks the signature
                return _json(start_response, "400 Bad Request", {"error": "malformed_body"})
        if path == "/healthz" and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            healthy = database_answers(engine)
            body = {"status": "ok" if healthy else "unavailable", "database": healthy}
            return _json(start_response, "200 OK" if healthy else "503 Service Unavailable", body)
        return _json(start_response, "404 Not Found", {"error": "not_found"})

    return wsgi


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
