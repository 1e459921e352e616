"""A stand-in for Slack's response_url over real HTTP: what `respond(...)` posted, in order.

Slack gives each command and interaction a response_url; posting to it is how an app
answers after the 3 seconds, and with `replace_original` the only way to change an
ephemeral message (chat.update cannot). Tests put `url` in the payloads they send and read
back `posted`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ResponseUrls:
    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with receiver._lock:
                    receiver.posted.append({"path": self.path, **body})
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, name: str = "1") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/actions/T0MENTOR/{name}/response"

    def posted_to(self, url: str) -> list[dict[str, Any]]:
        """What was posted to `url` (one from `url(...)`), in order."""
        path = url.split("/", 3)[-1]
        with self._lock:
            return [dict(p) for p in self.posted if p["path"].lstrip("/") == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
