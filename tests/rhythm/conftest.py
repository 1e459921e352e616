"""Driving the scheduler: one pass at a frozen instant, as `mentorbot tick --at` does."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from freezegun import freeze_time

from bot.rhythm.pacing import Pace
from bot.scheduler import Clock


class FrozenSleep:
    """A pass's waits under freezegun: the frozen clock moves on to the end of the wait
    instead of the test waiting. Senders waiting out one Retry-After together move it
    once, not once each."""

    def __init__(self, frozen) -> None:
        self.frozen, self.lock = frozen, threading.Lock()
        self.slept = 0.0

    def __call__(self, deadline: float) -> None:
        with self.lock:
            left = deadline - time.monotonic()  # freezegun's monotonic: the frozen clock's
            if left > 0:
                self.frozen.tick(dt.timedelta(seconds=left))
                self.slept += left


class Walk:
    """Moves a frozen clock and runs scheduler passes at each instant it stops on."""

    def __init__(self, clock: Clock, frozen, sleep: FrozenSleep) -> None:
        self.clock, self.frozen, self.sleep = clock, frozen, sleep
        self.summaries = []

    def to(self, instant: dt.datetime | str) -> None:
        self.frozen.move_to(instant)

    def tick(self, instant: dt.datetime | str | None = None):
        if instant is not None:
            self.to(instant)
        now = dt.datetime.now(dt.UTC)
        summary = self.clock.tick(now)
        self.summaries.append((now, summary))
        return summary


@pytest.fixture
def walk(settings, request):
    start = getattr(request, "param", "2026-10-05T08:00:00Z")
    with freeze_time(start) as frozen:
        sleep = FrozenSleep(frozen)
        pace = Pace(
            concurrency=settings.delivery_concurrency,
            max_wait=settings.max_retry_wait,
            sleep_until=sleep,
        )
        yield Walk(Clock(settings, pace=pace), frozen, sleep)
