"""What a test orders to go wrong with the next calls of a method: Slack's error, a 429
with Retry-After, a server error or an unreadable answer, each after doing what the call
asks, or not. The stand-in answers with them in the order they were planned."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Planned:
    status: int
    body: dict[str, Any] | str  # a string is sent as it is, as HTML (not JSON)
    headers: dict[str, str]
    perform: bool = False  # do what the call asks first, then answer this instead


@dataclass
class Mishaps:
    _planned: dict[str, list[Planned]] = field(default_factory=lambda: defaultdict(list))
    _planned_lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with `{"ok": false, "error": error}`."""
        self._plan(method, times, Planned(200, {"ok": False, "error": error}, {}))

    def rate_limit(self, method: str, *, retry_after: int = 0, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After."""
        planned = Planned(
            429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        )
        self._plan(method, times, planned)

    def server_error(
        self,
        method: str,
        *,
        status: int = 500,
        performed: bool,
        body: dict[str, Any] | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status`, after doing what
        they ask if `performed` (a message posted all the same), or not at all. `body` is
        sent as JSON, or as it is if a string (an HTML error page); by default Slack's
        `internal_error`."""
        planned = Planned(
            status,
            body if body is not None else {"ok": False, "error": "internal_error"},
            {},
            perform=performed,
        )
        self._plan(method, times, planned)

    def unreadable(self, method: str, *, performed: bool, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with a 200 whose body is not JSON (a
        proxy's page), after doing what they ask if `performed`."""
        self.server_error(
            method, status=200, performed=performed, body="<html>Bad gateway</html>", times=times
        )

    def next_planned(self, method: str) -> Planned | None:
        """The answer planned for this call of `method`, if any (taken off the plan)."""
        with self._planned_lock:
            return self._planned[method].pop(0) if self._planned[method] else None

    def _plan(self, method: str, times: int, planned: Planned) -> None:
        with self._planned_lock:
            self._planned[method].extend([planned] * times)
