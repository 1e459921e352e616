"""Slack's published rate limits per Web API method (per workspace and app, shared by every
process using the token), how a 429's Retry-After is read, and a pacer that keeps a
process's own calls within them.

Slack writes each tier as "20+", "50+", "100+" per minute and allows short bursts; the
figures here are what a caller can count on. The stand-in (`bot/demo/rate_limits.py`)
enforces them; `import-pairs` paces its calls by them and estimates its time from them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

TIER_2, TIER_3, TIER_4 = 20, 50, 100  # calls per minute

# Per method; a name ending in "." stands for every method of that family.
PER_MINUTE: dict[str, int] = {
    "users.list": TIER_2,
    "conversations.list": TIER_2,
    "conversations.open": TIER_3,
    "conversations.history": TIER_3,
    "users.lookupByEmail": TIER_3,
    "chat.update": TIER_3,
    "users.info": TIER_4,
    "views.": TIER_4,
    "chat.postEphemeral": TIER_4,
    "files.": TIER_4,
}

# chat.postMessage has no tier: about one message a second per conversation (a short burst
# allowed), and a cap on the whole workspace that operators report at 500-550 a minute.
POSTS_PER_SECOND = 1
WORKSPACE_POSTS_PER_MINUTE = 525


def per_minute(method: str) -> int | None:
    """The calls a minute Slack allows `method` (None: no tier, like chat.postMessage)."""
    if method in PER_MINUTE:
        return PER_MINUTE[method]
    family = method.split(".", 1)[0] + "."
    return PER_MINUTE.get(family)


def retry_after(headers: Mapping[str, object], default: float = 1.0) -> float:
    """The seconds a 429's Retry-After asks to wait, whatever the header's case.

    Slack sends whole seconds; the stand-in, when its minute is scaled down, sends decimals
    ("0.347"), so this reads any non-negative number. A value given as a list (slack_sdk's
    retry handlers see headers that way) is read from its first item; a missing or
    unreadable one is `default`.
    """
    for name, value in headers.items():
        if name.lower() != "retry-after":
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        try:
            seconds = float(str(value))
        except ValueError:
            return default
        return seconds if math.isfinite(seconds) and seconds >= 0 else default
    return default


# Real seconds in the minute Slack counts its limits over. Only a benchmark or a test that
# shortens the stand-in's minute (`SlackStandIn.limit(minute=...)`) changes it, to match.
MINUTE = 60.0


class Pacer:
    """Keeps one process's own calls of each tiered method within its tier: a call waits
    until fewer than the tier's calls have ended in the last minute. Times are taken when
    a call ends, so Slack, which counts them when they arrive, never sees more.

    It knows only this process's calls: if another process uses the token too, Slack may
    still answer 429, and the client's retry handler waits out Retry-After.
    """

    def __init__(
        self,
        *,
        minute: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.minute = MINUTE if minute is None else minute
        self.clock, self.sleep = clock, sleep
        self._ended: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @contextmanager
    def paced(self, method: str) -> Iterator[None]:
        """Waits, if need be, before the call made inside; counts it when it ends."""
        limit = per_minute(method)
        if limit is None:
            yield
            return
        self.sleep(self._wait(method, limit))
        try:
            yield
        finally:
            with self._lock:
                self._ended[method].append(self.clock())

    def _wait(self, method: str, limit: int) -> float:
        with self._lock:
            ended, now = self._ended[method], self.clock()
            while ended and ended[0] <= now - self.minute:
                ended.popleft()
            return 0.0 if len(ended) < limit else ended[-limit] + self.minute - now
