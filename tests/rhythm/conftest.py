"""Driving the scheduler: one pass at a frozen instant, as `mentorbot tick --at` does."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from bot.scheduler import Clock


class Walk:
    """Moves a frozen clock and runs scheduler passes at each instant it stops on."""

    def __init__(self, clock: Clock, frozen) -> None:
        self.clock, self.frozen = clock, frozen
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
        yield Walk(Clock(settings), frozen)
