"""Serving the app on localhost over real HTTP, for the demo and the tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, make_server

import sqlalchemy as sa
from slack_bolt import App

from bot.web import make_wsgi


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(app: App, engine: sa.Engine) -> Iterator[int]:
    """The app's WSGI front served on 127.0.0.1 while the block runs; yields the port."""
    server = make_server("127.0.0.1", 0, make_wsgi(app, engine), handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
