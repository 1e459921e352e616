"""The stand-in's HTTP side: a threaded server on localhost that hands each Web API call to
an `answer` function and the bytes POSTed to an upload URL to a `receive` one."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (path, body, Content-Type, Authorization) -> (status, JSON body or HTML text, headers)
Answer = Callable[[str, str, str, str], tuple[int, dict[str, Any] | str, dict[str, str]]]
# (path, bytes) -> status
Receive = Callable[[str, bytes], int]


def serve(answer: Answer, receive: Receive, *, upload_path: str) -> ThreadingHTTPServer:
    """A server on a free port of 127.0.0.1, already serving; `shutdown()` it when done."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path.startswith(upload_path):  # a file's bytes, not an API call
                status = receive(self.path, self.rfile.read(length))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")
                return
            status, body, headers = answer(
                self.path,
                self.rfile.read(length).decode(),
                self.headers.get("Content-Type", ""),
                self.headers.get("Authorization", ""),
            )
            if isinstance(body, str):
                data, content_type = body.encode(), "text/html"
            else:
                data, content_type = json.dumps(body).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server
