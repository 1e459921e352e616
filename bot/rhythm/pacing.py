"""How fast the outbox goes: a bounded pool of senders, and Slack's 429s shared by all.

- `Pace` says how many messages may be in flight at once and how long a delivery may
  wait out a 429's Retry-After before it leaves the message for a later pass. Listeners
  wait for nothing (Slack wants their answer in 3 s); scheduler passes wait out short
  waits, so one pass delivers everything due.
- `RateLimits` keeps "Slack asked us not to call method M before T" in the
  `slack_rate_limit` table, so every sender of every process using the token (the web
  process and the clock process) checks it before it calls M, and none calls a method
  Slack asked to wait on. Reading and writing it are short transactions of their own;
  none is open while Slack is called.

Instants are on the delivery's own timeline: the `now` it was given, moved on by the
time it has taken since (`Pace.clock`). Outside tests and `mentorbot tick --at`, that is
the wall clock, which Slack's Retry-After is counted in.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.db import upsert_insert
from bot.models import SlackRateLimit


def _monotonic() -> float:
    return time.monotonic()  # looked up at each call, so a test's frozen clock applies


def _sleep_until(deadline: float) -> None:
    time.sleep(max(deadline - time.monotonic(), 0.0))


@dataclass(frozen=True)
class Pace:
    concurrency: int = 4
    # The longest Retry-After a delivery waits out and tries again; 0: waits for nothing.
    max_wait: float = 0.0
    # Seconds on a steady clock, and how to wait until it reads a given value (tests move
    # a frozen clock instead).
    clock: Callable[[], float] = _monotonic
    sleep_until: Callable[[float], None] = _sleep_until


class RateLimits:
    """The shared 429s, as seen by one delivery (which started at `now`)."""

    def __init__(self, sessions: so.sessionmaker[so.Session], now: dt.datetime, pace: Pace):
        self.sessions, self.pace = sessions, pace
        self._start, self._started = now, pace.clock()
        self._lock = threading.Lock()
        self.waited = 0.0  # seconds this delivery was held up, however many senders waited
        self._waited_until = self._started

    def now(self) -> dt.datetime:
        """The delivery's `now`, moved on by the time it has taken since it started."""
        return self._start + dt.timedelta(seconds=self.pace.clock() - self._started)

    def seconds_left(self, methods: Iterable[str]) -> float:
        """How long Slack still wants us to wait before calling any of `methods` (0: none)."""
        with self.sessions() as session:
            until = session.scalar(
                sa.select(sa.func.max(SlackRateLimit.until)).where(
                    SlackRateLimit.method.in_(list(methods))
                )
            )
        if until is None:
            return 0.0
        return max((until - self.now()).total_seconds(), 0.0)

    def hold(self, method: str, retry_after: float) -> None:
        """Slack answered a call of `method` with a 429 and this Retry-After: nobody calls it
        before then. A later `until` already stored stands."""
        until = self.now() + dt.timedelta(seconds=retry_after)
        with self.sessions.begin() as session:
            insert = upsert_insert(session, SlackRateLimit).values(method=method, until=until)
            later = sa.case(
                (SlackRateLimit.until > insert.excluded.until, SlackRateLimit.until),
                else_=insert.excluded.until,
            )
            session.execute(
                insert.on_conflict_do_update(index_elements=["method"], set_={"until": later})
            )

    def wait(self, methods: Iterable[str]) -> float:
        """Wait out what Slack asked of `methods` if it is no longer than `Pace.max_wait`.
        Returns 0 once they may be called, or the seconds left when that is too long to wait
        here (nothing then was waited)."""
        methods = list(methods)
        while (left := self.seconds_left(methods)) > 0:
            if left > self.pace.max_wait:
                return left
            now = self.pace.clock()
            deadline = now + left
            with self._lock:
                self.waited += max(deadline - max(now, self._waited_until), 0.0)
                self._waited_until = max(self._waited_until, deadline)
            self.pace.sleep_until(deadline)
        return 0.0
