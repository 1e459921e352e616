"""Slack's rate limits as the stand-in enforces them, once a test turns them on with
`SlackStandIn.limit()` (off by default, so a test that does not ask is never refused).

The limits are Slack's published ones (`bot/slack_limits.py`), per method and shared by
every caller, as the stand-in serves one token (one workspace, one app):

- a tiered method takes its tier's calls in any window of one Slack minute (a sliding
  window, so a burst of a whole minute's calls is allowed, as Slack allows bursts);
- chat.postMessage takes about one message a second per conversation, with a burst of
  `post_burst` (a token bucket per `channel` as given), and `workspace_posts` a minute in
  the whole workspace (a sliding window).

A refused call is answered 429 `ratelimited` with a truthful Retry-After: the wait until
the same call would be accepted, if no other call takes the room first. Refused calls do
not count against the limits; they are counted in `limited`, per method.

A Slack minute lasts `minute` real seconds (60 by default) and every limit scales with
it, so a test can run a minute of Slack in a second. Retry-After is then in real seconds,
the only ones a client can wait: Slack sends whole seconds, and so does the stand-in when
its minute is 60 s (rounded up, at least 1); with a scaled minute a whole second could be
many Slack minutes, so it sends milliseconds as a decimal ("0.347"), rounded up. slack_sdk's
own retry handler reads the header with int() and cannot take a decimal; bot.slack's
RetryAfterHandler and bot.slack_limits.retry_after read both.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.slack_limits import POSTS_PER_SECOND, WORKSPACE_POSTS_PER_MINUTE, per_minute

POST = "chat.postMessage"
SLACK_MINUTE = 60.0
EPSILON = 1e-9  # so that a call made exactly when Retry-After said is taken, floats or not


@dataclass
class _Window:
    """At most `limit` calls in any `span` seconds."""

    limit: int
    span: float
    times: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.span + EPSILON:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[-self.limit] + self.span - now

    def take(self, now: float) -> None:
        self.times.append(now)


@dataclass
class _Bucket:
    """`capacity` calls at once, then one every `every` seconds."""

    capacity: int
    every: float
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) / self.every)
        self.at = now
        return 0.0 if self.tokens >= 1 - EPSILON else (1 - self.tokens) * self.every

    def take(self, now: float) -> None:
        self.tokens -= 1


@dataclass
class RateLimits:
    """Which calls Slack would take now; thread-safe (the stand-in serves many at once)."""

    minute: float = SLACK_MINUTE  # real seconds a Slack minute lasts
    workspace_posts: int = WORKSPACE_POSTS_PER_MINUTE  # chat.postMessage a minute, in all
    post_burst: int = 3  # chat.postMessage at once in one conversation
    clock: Callable[[], float] = time.monotonic
    limited: Counter[str] = field(default_factory=Counter)  # 429s answered, per method
    _windows: dict[str, _Window] = field(default_factory=dict)
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.minute <= 0 or self.workspace_posts < 1 or self.post_burst < 1:
            raise ValueError("a minute lasts some time, and every limit lets a call through")

    def admit(self, method: str, channel: str | None = None) -> float | None:
        """None if a call of `method` (in `channel`, for chat.postMessage) is taken now,
        and counted against its limits; else the real seconds until it would be, and the
        refusal is counted in `limited`."""
        with self._lock:
            now = self.clock()
            limits = self._limits(method, channel, now)
            wait = max((limit.wait(now) for limit in limits), default=0.0)
            if wait > 0:
                self.limited[method] += 1
                return wait
            for limit in limits:
                limit.take(now)
            return None

    def retry_after(self, wait: float) -> str:
        """`wait` as Retry-After: whole seconds when a Slack minute lasts a minute, as Slack
        sends them; milliseconds as a decimal when the minute is scaled (see above)."""
        if self.minute == SLACK_MINUTE:
            return str(max(1, math.ceil(wait)))
        return f"{math.ceil(wait * 1000) / 1000:.3f}"

    def _limits(self, method: str, channel: str | None, now: float) -> list[_Window | _Bucket]:
        if method == POST:
            window = self._window(POST, self.workspace_posts)
            second = self.minute / SLACK_MINUTE / POSTS_PER_SECOND
            bucket = self._buckets.setdefault(
                f"{POST} {channel}", _Bucket(self.post_burst, second, self.post_burst, now)
            )
            return [window, bucket]
        tier = per_minute(method)
        return [] if tier is None else [self._window(method, tier)]

    def _window(self, key: str, limit: int) -> _Window:
        return self._windows.setdefault(key, _Window(limit, self.minute))
