"""Serving the app on localhost over real HTTP, for the demo and the tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import sqlalchemy as sa
from slack_bolt import App

from bot.web import FeedReader, make_wsgi


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread per request, as gunicorn's workers answer requests side by side."""

    daemon_threads = True


@contextmanager
def served(app: App, engine: sa.Engine, calendar: FeedReader | None = None) -> Iterator[int]:
    """The app's WSGI front served on 127.0.0.1 while the block runs; yields the port."""
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi(app, engine, calendar=calendar),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
