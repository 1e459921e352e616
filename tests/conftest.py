"""Fixtures: a migrated database, the Slack stand-in, and the app served over real HTTP.

The suite runs on SQLite by default. With TEST_DATABASE_URL set to a PostgreSQL URL it
runs there instead, and owns that database: its public schema is dropped and rebuilt.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import freezegun
import pytest
import sqlalchemy as sa
from sqlalchemy import orm as so

from bot import slack_limits
from bot.app import create_app
from bot.db import make_engine, make_sessionmaker
from bot.demo.serve import served
from bot.demo.slack_requests import SIGNING_SECRET, SlackSender
from bot.demo.stand_in import TOKEN, SlackStandIn
from bot.deps import Deps
from bot.flows.calendars import feed
from bot.models import Base
from bot.schema import upgrade
from bot.settings import Settings
from tests.channels import COORDINATOR_CHANNEL

# The database driver keeps real time: a walk that jumps the frozen clock past a Retry-After
# must not make a connection being opened meanwhile time out (connect_timeout is 5 s).
freezegun.configure(extend_ignore_list=["psycopg"])

COORDINATOR = "UCOORD01"


def _normalised(url: str) -> str:
    return Settings(DATABASE_URL=url).database_url


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ON_POSTGRES = bool(TEST_DATABASE_URL)


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at head, built once by `alembic upgrade head` (never by create_all)."""
    if ON_POSTGRES:
        url = _normalised(TEST_DATABASE_URL)  # type: ignore[arg-type]
        reset_postgres(url)
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    if ON_POSTGRES:
        yield migrated_template
        engine = sa.create_engine(migrated_template, poolclass=sa.pool.NullPool)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return
    path = tmp_path / "mentorbot.db"
    shutil.copyfile(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: sa.Engine) -> so.sessionmaker[so.Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackStandIn]:
    """The stand-in, with no rate limits unless a test asks (`slack.limit(minute=...)`); so
    this process's pacers (import-pairs) keep to none either, unless the test sets
    `bot.slack_limits.MINUTE` to the same minute."""
    monkeypatch.setattr(slack_limits, "MINUTE", 0.0)
    stand_in = SlackStandIn().start()
    stand_in.add_user(COORDINATOR, tz="Europe/London", name="cora")
    yield stand_in
    stand_in.stop()


@pytest.fixture
def settings(slack: SlackStandIn, database_url: str) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        DATABASE_URL=database_url,
        MENTORBOT_COORDINATORS=COORDINATOR,
        MENTORBOT_COORDINATOR_CHANNEL=COORDINATOR_CHANNEL,
    )


@dataclass
class Bot:
    """The app as Slack sees it: an HTTP server, and the stand-in it talks to."""

    sender: SlackSender
    slack: SlackStandIn
    deps: Deps

    def __getattr__(self, name: str):
        return getattr(self.sender, name)


@pytest.fixture
def listener_clock():
    """What time the listeners think it is: None for the wall clock (or freezegun's)."""
    return


@pytest.fixture
def bot(
    settings: Settings, slack: SlackStandIn, engine: sa.Engine, listener_clock
) -> Iterator[Bot]:
    clock = {"clock": listener_clock} if listener_clock is not None else {}
    app, deps = create_app(settings, engine=engine, **clock)
    with served(app, engine, calendar=partial(feed, deps)) as port:
        slack.reset_calls()
        sender = SlackSender("127.0.0.1", port, settle=deps.background.wait)
        yield Bot(sender, slack, deps)
        sender.close()
    assert deps.background.wait(), "the work after an answer did not finish"
    deps.background.shutdown()


class _BackgroundFaults(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_background_faults() -> Iterator[None]:
    """Work done after an answer that raises fails the test that caused it: nobody would
    see it otherwise (it is only logged)."""
    faults = _BackgroundFaults()
    logger = logging.getLogger("bot.background")
    logger.addHandler(faults)
    yield
    logger.removeHandler(faults)
    assert faults.messages == []
