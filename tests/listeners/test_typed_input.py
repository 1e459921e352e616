"""Bad input is bad input (issue 8, item 7): numbers are ASCII digits within a bound, and
control characters typed into a command or a modal are removed before anything reads them.

Every case goes through the HTTP path, signed as Slack signs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.messages import ids
from bot.models import Goal, Meeting, Pair, Reflection
from bot.text import typed
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
APOLOGY = "Sorry, something went wrong on my side"


@pytest.fixture
def paired(bot, caplog):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    reply = bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)
    assert "Paired" in reply.text
    caplog.set_level(logging.INFO)
    return bot


def no_fault_logged(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_typed_keeps_text_and_drops_control_characters():
    assert typed("a\x00b\x01c\x1b[0m\x7fd\x85e\x9f\ud800f") == "abc[0mdef"
    assert typed("one\ttwo\r\nthree") == "onetwothree"
    assert typed("one\ttwo\r\nthree", multiline=True) == "one\ttwo\nthree"
    assert typed("Ünïcödé — ² ٣ 🎯 \u200b") == "Ünïcödé — ² ٣ 🎯 \u200b"


@pytest.mark.parametrize(
    "text",
    [
        "done ²",
        "done ٣",
        "drop ３",
        "done 2147483648",
        "done 99999999999999999999",
        "drop #1000000000",
        "edit 99999999999999999999 New words",
        "done " + "9" * 5000,
        "done 0",
        "done -1",
        "done 1_000",
    ],
)
def test_a_goal_number_that_is_not_one_is_explained(paired, sessions, caplog, text):
    paired.command("/mentor-goals", "add A first goal", user=MENTEE)

    reply = paired.command("/mentor-goals", text, user=MENTEE)

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "needs the number of a goal" in reply.text, reply.text
    assert APOLOGY not in reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Goal.status)).one().value == "open"


def test_a_good_goal_number_still_works(paired):
    paired.command("/mentor-goals", "add A first goal", user=MENTEE)
    paired.command("/mentor-goals", "add A second goal", user=MENTEE)
    assert "Goal *#1* completed" in paired.command("/mentor-goals", "done #1", user=MENTEE).text
    assert "Goal *#2* dropped" in paired.command("/mentor-goals", "drop 2\x00", user=MENTEE).text


def test_control_characters_are_removed_from_a_goal(paired, sessions, caplog):
    reply = paired.command(
        "/mentor-goals",
        "add Learn\x00 the\x1b deploy\x7f pipe\x08line by 2099-01-0\x001",
        user=MENTEE,
    )

    assert "Goal *#1* added" in reply.text, reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        goal = session.scalars(sa.select(Goal)).one()
        assert (goal.text, goal.target_date.isoformat()) == (
            "Learn the deploy pipeline",
            "2099-01-01",
        )


def test_a_goal_edited_with_a_nul_byte_is_stored_without_it(paired, sessions, caplog):
    paired.command("/mentor-goals", "add First", user=MENTEE)

    reply = paired.command("/mentor-goals", "edit \x001 Sec\x00ond", user=MENTOR)

    assert "Goal *#1* edited" in reply.text, reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Goal.text)).one() == "Second"


def test_a_goal_of_nothing_but_control_characters_is_no_goal(paired, sessions, caplog):
    reply = paired.command("/mentor-goals", "add \x00\x01\x02", user=MENTEE)

    assert "goal" in reply.text.lower() and APOLOGY not in reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Goal)).all() == []


@pytest.mark.parametrize(
    ("command", "text", "says"),
    [
        ("/mentor-pause", "٣w", "isn't a pause I can read"),
        ("/mentor-pause", "²d", "isn't a pause I can read"),
        ("/mentor-pause", "until ２０２６-０１-０１", "isn't a pause I can read"),
        ("/mentor-log", "٢٠٢٦-٠١-٠١", "log"),
        ("/mentor-log", "2026-1-01", "log"),
        ("/mentor-log", "2026-13-01", "isn't a date I can read"),
        ("/mentor-resume", "\x00extra", "extra"),
        ("/mentor-close", "\x00extra\x00", "extra"),
    ],
)
def test_non_ascii_digits_and_odd_dates_are_explained(paired, caplog, command, text, says):
    reply = paired.command(command, text, user=MENTEE)

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert APOLOGY not in reply.text
    assert says in reply.text.lower() or says in reply.text, reply.text
    assert no_fault_logged(caplog)


def test_a_pause_with_a_nul_byte_in_it_is_a_pause(paired, sessions, caplog):
    reply = paired.command("/mentor-pause", "2\x00w", user=MENTEE)

    assert APOLOGY not in reply.text and "isn't a pause" not in reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Pair.status)).one().value == "paused"


def test_a_pair_command_with_control_characters_pairs(bot, sessions, caplog):
    bot.slack.add_user(MENTOR)
    bot.slack.add_user(MENTEE)

    reply = bot.command(
        "/mentor-pair", f"\x00{mention(MENTOR)}\x1f {mention(MENTEE)} week\x00ly", user=COORDINATOR
    )

    assert "Paired" in reply.text, reply.text
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Pair.cadence)).one().value == "weekly"


def submit_reflection(bot, meeting_id: int, values: dict) -> dict:
    payload = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.trigger",
        "view": {
            "id": "V0001",
            "type": "modal",
            "callback_id": ids.REFLECTION_MODAL,
            "private_metadata": json.dumps({"meeting_id": meeting_id}),
            "state": {"values": values},
        },
    }
    reply = bot.interaction(payload)
    assert reply.status == 200
    return reply.json if reply.body else {}


def test_modal_answers_lose_control_characters_and_keep_their_lines(paired, sessions, caplog):
    paired.command("/mentor-log", "today", user=MENTEE)
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()

    answered = submit_reflection(
        paired,
        meeting_id,
        {
            ids.WORKED: {
                ids.WORKED: {"type": "plain_text_input", "value": "We\x00 talked\r\n\tat length"}
            },
            ids.DID_NOT_WORK: {ids.DID_NOT_WORK: {"type": "plain_text_input", "value": 42}},
            ids.DIFFERENTLY: {ids.DIFFERENTLY: {"type": "plain_text_input", "value": ["x"]}},
        },
    )

    assert answered == {}
    assert no_fault_logged(caplog)
    with sessions() as session:
        reflection = session.scalars(sa.select(Reflection)).one()
        assert reflection.worked == "We talked\n\tat length"
        assert (reflection.did_not_work, reflection.differently) == ("", "")


@pytest.mark.parametrize(
    "values",
    [
        {ids.WORKED: {ids.WORKED: {"type": "plain_text_input", "value": {"nested": "dict"}}}},
        {ids.WORKED: {ids.WORKED: {"type": "plain_text_input", "value": "\x00\x01"}}},
        {ids.WORKED: {ids.WORKED: "not a dict"}},
        {ids.WORKED: ["not", "a", "dict"]},
        {ids.WORKED: None},
    ],
)
def test_a_modal_answer_that_is_not_text_is_no_answer(paired, sessions, caplog, values):
    paired.command("/mentor-log", "today", user=MENTEE)
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()

    answered = submit_reflection(paired, meeting_id, values)

    assert answered.get("response_action") == "errors"
    assert no_fault_logged(caplog)
    with sessions() as session:
        assert session.scalars(sa.select(Reflection)).all() == []
