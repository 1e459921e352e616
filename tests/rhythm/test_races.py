"""Two identical clicks, two submissions of one modal, two goals added to one pair, all at
the same instant from two threads: each is handled once, and nobody sees an apology."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.calendar import local_date, period_start
from bot.demo.slack_requests import Reply, mention
from bot.messages import ids
from bot.models import Cadence, Goal, Meeting, Period, Pulse, Reflection
from tests.conftest import COORDINATOR
from tests.rhythm.people import reflection_values

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
TZ = "Europe/Berlin"


@pytest.fixture
def paired(bot, caplog):
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz=TZ)
    reply = bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly", user=COORDINATOR
    )
    assert "Paired" in reply.text
    caplog.set_level(logging.INFO)
    bot.slack.reset_calls()
    return bot


def at_once(send: Callable[[], Reply], times: int = 2) -> list[Reply]:
    """`send` from `times` threads released together."""
    start = threading.Barrier(times)

    def go() -> Reply:
        start.wait()
        return send()

    with ThreadPoolExecutor(times) as pool:
        return [f.result() for f in [pool.submit(go) for _ in range(times)]]


def no_apology(bot, caplog, replies: list[Reply]) -> None:
    assert [reply.status for reply in replies] == [200] * len(replies)
    assert all("Sorry, something went wrong" not in reply.body for reply in replies)
    assert bot.slack.calls_to("chat.postEphemeral") == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def today() -> dt.date:
    return local_date(TZ, dt.datetime.now(dt.UTC))


def click(user: str, action_id: str, value: str, **extra) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.trigger",
        "container": {"type": "view", "view_id": "V1"},
        "actions": [
            {"action_id": action_id, "block_id": "b", "type": "button", "value": value, **extra}
        ],
    }


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_two_we_met_clicks_record_one_meeting(paired, sessions, caplog):
    day = today()
    ref = f"1:{period_start(Cadence.WEEKLY, day, day).isoformat()}:{day.isoformat()}"
    replies = at_once(lambda: paired.interaction(click(MENTEE, ids.CHECKIN_MET, ref)))
    no_apology(paired, caplog, replies)
    assert count(sessions, Meeting) == 1
    posted = [
        c.args["metadata"]["event_payload"]["key"]
        for c in paired.slack.calls_to("chat.postMessage")
    ]
    assert [key for key in posted if key.startswith("meeting_recorded")] == ["meeting_recorded:1"]


def test_two_nudge_answers_write_one_period(paired, sessions, caplog):
    day = today() + dt.timedelta(days=1)
    ref = f"1:{period_start(Cadence.WEEKLY, day, day).isoformat()}:{day.isoformat()}"
    replies = at_once(lambda: paired.interaction(click(MENTEE, ids.NUDGE_CONFIRM, ref)))
    no_apology(paired, caplog, replies)
    assert count(sessions, Period) == 1


def test_two_pulse_answers_write_one_pulse(paired, sessions, caplog):
    replies = at_once(lambda: paired.interaction(click(MENTOR, ids.PULSE_GOING_WELL, "1:30")))
    no_apology(paired, caplog, replies)
    assert count(sessions, Pulse) == 1
    assert len(paired.slack.calls_to("views.open")) == 2  # each click gets its note modal


def test_two_submissions_of_a_reflection_write_one(paired, sessions, caplog):
    assert "Recorded your meeting" in paired.command("/mentor-log", "today", user=MENTEE).text
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()
    paired.slack.reset_calls()
    payload = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": ids.REFLECTION_MODAL,
            "private_metadata": json.dumps({"meeting_id": meeting_id}),
            "state": {"values": reflection_values(worked="a", did_not_work="b", share=True)},
        },
    }
    replies = at_once(lambda: paired.interaction(payload))
    no_apology(paired, caplog, replies)
    assert count(sessions, Reflection) == 1
    shared = [c for c in paired.slack.calls_to("chat.postMessage") if c.args["channel"] != MENTEE]
    assert len(shared) == 1  # shared with the partner once


def test_two_goals_added_at_once_get_two_numbers(paired, sessions, caplog):
    texts = iter(["First", "Second"])
    lock = threading.Lock()

    def add() -> Reply:
        with lock:
            text = next(texts)
        return paired.command("/mentor-goals", f"add {text}", user=MENTEE)

    replies = at_once(add)
    no_apology(paired, caplog, replies)
    with sessions() as session:
        goals = session.execute(sa.select(Goal.number, Goal.text).order_by(Goal.number)).all()
    assert [number for number, _ in goals] == [1, 2]
    assert sorted(text for _, text in goals) == ["First", "Second"]
    assert sorted("#1" in r.text for r in replies) == [False, True]
