"""/healthz tells a load balancer whether the bot can reach its database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from slack_bolt import App

from bot.app import create_app
from bot.db import make_engine
from bot.demo.serve import served
from bot.demo.slack_requests import SlackSender
from bot.settings import Settings
from tests.conftest import Bot


def test_healthz_reports_a_reachable_database(bot: Bot) -> None:
    reply = bot.get("/healthz")

    assert reply.status == 200
    assert reply.json == {"status": "ok", "database": True}


def test_an_unknown_path_is_a_json_404(bot: Bot) -> None:
    reply = bot.get("/nowhere")

    assert reply.status == 404
    assert reply.json == {"error": "not_found"}


def test_healthz_is_only_at_its_own_path(bot: Bot) -> None:
    assert bot.get("/healthz/extra").status == 404


@pytest.fixture
def app(settings: Settings, engine: sa.Engine) -> App:
    return create_app(settings, engine=engine)[0]


def unreachable_sqlite(tmp_path: Path) -> sa.Engine:
    return make_engine(f"sqlite:///{tmp_path / 'no-such-directory' / 'mentorbot.db'}")


def unreachable_postgres(_tmp_path: Path) -> sa.Engine:
    # Port 1 is closed: the connection is refused at once; the timeout bounds the worst case.
    return make_engine(
        "postgresql+psycopg://mentorbot@127.0.0.1:1/mentorbot",
        connect_args={"connect_timeout": 1},
    )


@pytest.mark.parametrize("broken_engine", [unreachable_sqlite, unreachable_postgres])
def test_healthz_is_503_when_the_database_does_not_answer(
    app: App, tmp_path: Path, broken_engine: Callable[[Path], sa.Engine]
) -> None:
    engine = broken_engine(tmp_path)

    with served(app, engine) as port:
        reply = SlackSender("127.0.0.1", port).get("/healthz")
    engine.dispose()

    assert reply.status == 503
    assert reply.json == {"status": "unavailable", "database": False}
