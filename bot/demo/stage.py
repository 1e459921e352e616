"""The demo's stage: a temporary migrated SQLite database, the Slack stand-in, the real
app served over HTTP on localhost, and a simulated clock that both the scheduler passes
and the listeners read. Nothing comes from the environment or a .env file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlalchemy import orm as so

from bot.app import create_app
from bot.db import make_engine, make_sessionmaker
from bot.demo.cast import (
    COORDINATOR_CHANNEL,
    CORA,
    DIGEST_AT,
    DIGEST_WEEKDAY,
    PEOPLE,
    PROGRAMME,
)
from bot.demo.serve import served
from bot.demo.slack_requests import SIGNING_SECRET, SlackSender
from bot.demo.stand_in import TOKEN, SlackStandIn
from bot.models import OutboxMessage, OutboxStatus, Pair, PairStatus
from bot.scheduler import Clock
from bot.schema import upgrade
from bot.settings import Settings


class DemoSettings(Settings):
    """Settings from code only: a newcomer's DATABASE_URL, tokens or .env never reach it."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class SimulatedClock:
    """What time it is in the demo; `create_app(clock=...)` makes the listeners read it."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Stage:
    slack: SlackStandIn
    sender: SlackSender
    clock: SimulatedClock
    scheduler: Clock
    sessions: so.sessionmaker[so.Session]

    def tick(self) -> None:
        """One scheduler pass at the simulated now, as `mentorbot tick --at` runs it."""
        self.scheduler.tick(self.clock.now)

    def next_due(self) -> dt.datetime | None:
        """The earliest instant after now at which a pass has something to look at."""
        now = self.clock.now
        with self.sessions() as session:
            pair = session.scalar(
                sa.select(sa.func.min(Pair.next_check_at)).where(
                    Pair.status != PairStatus.CLOSED, Pair.next_check_at > now
                )
            )
            owed = session.scalar(
                sa.select(sa.func.min(OutboxMessage.not_before)).where(
                    OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before > now
                )
            )
        instants = [i.replace(tzinfo=dt.UTC) for i in (pair, owed) if i is not None]
        return min(instants, default=None)


def demo_settings(database_url: str, api_url: str) -> DemoSettings:
    return DemoSettings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        MENTORBOT_COORDINATORS=CORA.user_id,
        MENTORBOT_COORDINATOR_CHANNEL=COORDINATOR_CHANNEL,
        MENTORBOT_PROGRAMME_NAME=PROGRAMME,
        MENTORBOT_TIMEZONE=CORA.tz,
        MENTORBOT_DIGEST_DAY=("mon", "tue", "wed", "thu", "fri", "sat", "sun")[DIGEST_WEEKDAY],
        MENTORBOT_DIGEST_TIME=f"{DIGEST_AT:%H:%M}",
        LOG_LEVEL="WARNING",
        # One sender: the transcript shows the messages in the order the bot owed them,
        # the same at every run (several senders may post to two people in either order).
        MENTORBOT_DELIVERY_CONCURRENCY=1,
    )


# slack_sdk sends every Web API call through a proxy named in these, and ignores NO_PROXY.
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@contextmanager
def _direct_to_localhost() -> Iterator[None]:
    """The stand-in is on localhost: while the demo builds its clients, no proxy."""
    saved = {name: os.environ.pop(name) for name in PROXY_VARIABLES if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


@contextmanager
def stage(start: dt.datetime) -> Iterator[Stage]:
    """Everything set up at `start`, and taken down (temporary files too) afterwards."""
    with _direct_to_localhost(), tempfile.TemporaryDirectory(prefix="mentorbot-demo-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        upgrade(url)
        slack = SlackStandIn().start()
        for person in PEOPLE:
            slack.add_user(person.user_id, tz=person.tz, name=person.name.lower())
        settings = demo_settings(url, slack.url)
        engine = make_engine(url)
        clock = SimulatedClock(start)
        app, deps = create_app(settings, engine=engine, clock=clock)
        sender = None
        try:
            with served(app, engine) as port:
                sender = SlackSender("127.0.0.1", port, SIGNING_SECRET, settle=deps.background.wait)
                yield Stage(
                    slack=slack,
                    sender=sender,
                    clock=clock,
                    scheduler=Clock(settings, engine),
                    sessions=make_sessionmaker(engine),
                )
        finally:
            deps.background.shutdown()
            if sender is not None:
                sender.close()
            slack.stop()
            engine.dispose()
