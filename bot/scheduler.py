"""The clock process: APScheduler fires a pass on a timer; `tick` runs exactly one."""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.db import make_engine, make_sessionmaker
from bot.rhythm.pacing import Pace
from bot.rhythm.passes import PassSummary, run_pass
from bot.schema import require_current
from bot.settings import Settings, reveal
from bot.slack import make_client

log = logging.getLogger(__name__)


class Clock:
    """What a pass needs, built once per process."""

    def __init__(
        self,
        settings: Settings,
        engine: sa.Engine | None = None,
        *,
        pace: Pace | None = None,
    ) -> None:
        """`pace` replaces the one the settings give (tests bring their own clock)."""
        if engine is None:
            engine = make_engine(settings.database_url)
            require_current(engine)
        self.sessions = make_sessionmaker(engine)
        self.client = make_client(
            token=reveal(settings.slack_bot_token),
            base_url=settings.slack_api_url,
            wait_on_429=False,
        )
        self.hours = settings.hours
        self.admins = settings.coordinators  # alerts of programmes without a channel
        # A pass waits out a short Retry-After, so it delivers everything due before it ends.
        self.pace = pace or Pace(
            concurrency=settings.delivery_concurrency, max_wait=settings.max_retry_wait
        )

    def tick(self, now: dt.datetime | None = None) -> PassSummary:
        now = now or dt.datetime.now(dt.UTC)
        return run_pass(self.sessions, self.client, now, self.hours, digests=True, pace=self.pace)


def run_forever(settings: Settings, engine: sa.Engine) -> None:
    """Fire a pass every MENTORBOT_TICK_SECONDS; a pass still running makes the next wait."""
    clock = Clock(settings, engine)

    def job() -> None:
        now = dt.datetime.now(dt.UTC)
        log.info(clock.tick(now).line(now))

    scheduler = BlockingScheduler(timezone=dt.UTC)
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=settings.tick_seconds),
        id="pass",
        max_instances=1,
        coalesce=True,
        next_run_time=dt.datetime.now(dt.UTC),
    )
    scheduler.start()
