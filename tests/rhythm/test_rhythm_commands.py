"""/mentor-log, /mentor-pause and /mentor-resume: what people see, what is stored,
and that a paused pair hears nothing until it resumes (by itself on the date)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.models import Meeting, Pair, PairStatus
from tests.channels import is_digest
from tests.conftest import COORDINATOR
from tests.db_state import snapshot

MENTOR, MENTEE, STRANGER = "UMENTOR01", "UMENTEE01", "USTRANGE1"


@pytest.fixture
def paired(bot, walk):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    assert (
        "Paired"
        in bot.command(
            "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR
        ).text
    )
    bot.slack.reset_calls()
    return bot


def keys_sent(bot) -> list[str]:
    """The keys of the scheduled messages the bot posted: the coordinators' weekly digest
    and what the pair's commands said in their conversation (paused, resumed) aside."""
    out = []
    for call in bot.slack.calls_to("chat.postMessage"):
        if is_digest(call.args):
            continue
        metadata = call.args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata or {}
        key = metadata.get("event_payload", {}).get("key")
        if key and not key.startswith(("paused:", "resumed:")):
            out.append(key)
    return out


def test_log_records_once_and_prompts_reflections(paired, walk, sessions):
    walk.to("2026-10-06T15:00:00Z")  # Tuesday 17:00 in Berlin, 08:00 in Los Angeles
    first = paired.command("/mentor-log", "", user=MENTEE)
    assert f"Recorded your meeting with <@{MENTOR}> on Tuesday 6 October 2026" in first.text
    again = paired.command("/mentor-log", "today", user=MENTOR)
    assert "was already recorded" in again.text

    with sessions() as session:
        assert session.scalars(sa.select(Meeting.held_on)).all() == [dt.date(2026, 10, 6)]
    # Said in the pair's conversation at once; the mentee's prompt waits for her morning,
    # the mentor's for his working day to start (09:00 in Los Angeles = 16:00Z).
    assert keys_sent(paired) == ["meeting_recorded:1"]
    walk.tick("2026-10-06T16:00:00Z")
    assert keys_sent(paired)[1:] == [f"reflection_prompt:1:{MENTOR}"]
    walk.tick("2026-10-07T07:00:00Z")
    assert keys_sent(paired)[2:] == [f"reflection_prompt:1:{MENTEE}"]


def test_log_yesterday_and_a_date(paired, walk, sessions):
    walk.to("2026-10-08T12:00:00Z")
    assert (
        "Wednesday 7 October 2026" in paired.command("/mentor-log", "yesterday", user=MENTEE).text
    )
    assert "Monday 5 October 2026" in paired.command("/mentor-log", "2026-10-05", user=MENTOR).text


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/mentor-log", "tomorrow", "`tomorrow` isn't a day I can read"),
        ("/mentor-log", "2026-10-30", "2026-10-30 hasn't happened yet"),
        ("/mentor-log", "2026-10-01", "2026-10-01 is before you were paired"),
        ("/mentor-log", "2026-02-30", "`2026-02-30` isn't a date I can read"),
        ("/mentor-log", "today please", "`today please` isn't a day I can read"),
        ("/mentor-pause", "forever", "`forever` isn't a pause I can read"),
        ("/mentor-pause", "until 2026-10-01", "2026-10-01 isn't in the future"),
        ("/mentor-pause", "until 2028-10-01", "more than a year away"),
        ("/mentor-pause", "0w", "`0w` isn't a pause I can read"),
        ("/mentor-resume", "", "isn't paused"),
        ("/mentor-resume", "now", "I don't know what to do with `now`"),
    ],
)
def test_bad_input_explains_and_writes_nothing(paired, walk, sessions, command, text, expected):
    walk.to("2026-10-08T12:00:00Z")
    before = snapshot(sessions)
    reply = paired.command(command, text, user=MENTEE)
    assert reply.json["response_type"] == "ephemeral"
    assert expected in reply.text
    assert f"Usage: `{command}" in reply.text
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_strangers_have_no_pair_to_log_pause_or_resume(paired, sessions):
    before = snapshot(sessions)
    for command in ("/mentor-log", "/mentor-pause", "/mentor-resume"):
        assert "You're not in a mentoring pair yet" in paired.command(command, user=STRANGER).text
    assert snapshot(sessions) == before


def test_paused_pair_hears_nothing_then_resumes_by_itself(paired, walk, sessions):
    walk.tick("2026-10-05T07:00:00Z")  # the first nudge goes out
    assert keys_sent(paired) == ["nudge:1:2026-10-05"]
    reply = paired.command("/mentor-pause", "until 2026-10-19", user=MENTEE)
    assert "Paused until Monday 19 October 2026" in reply.text
    posted = paired.slack.messages_in(paired.slack.conversation_id(MENTOR, MENTEE))
    assert "paused your mentoring reminders until Monday 19 October 2026" in posted[-1]["text"]

    for hour in range(0, 14 * 24 - 2):  # two weeks of hourly passes, to Monday 07:00 Berlin
        walk.tick(dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC) + dt.timedelta(hours=hour))
    assert keys_sent(paired) == ["nudge:1:2026-10-05"]
    with sessions() as session:
        pair = session.get_one(Pair, 1)
        assert pair.status is PairStatus.ACTIVE and pair.paused_until is None
    # Back on at midnight: the nudge for Tuesday 20 October (its Friday already past)
    # waits for the start of the mentee's working day.
    walk.tick("2026-10-19T06:30:00Z")
    assert keys_sent(paired) == ["nudge:1:2026-10-05"]
    walk.tick("2026-10-19T07:00:00Z")
    assert keys_sent(paired)[1:] == ["nudge:1:2026-10-19"]


def test_pause_without_date_waits_for_resume(paired, walk, sessions):
    reply = paired.command("/mentor-pause", "", user=MENTOR)
    assert "Paused." in reply.text
    for day in range(10):
        walk.tick(dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC) + dt.timedelta(days=day, hours=1))
    assert keys_sent(paired) == []
    walk.to("2026-10-15T08:00:00Z")
    assert "Resumed" in paired.command("/mentor-resume", user=MENTEE).text
    walk.tick("2026-10-16T08:00:00Z")  # Friday 10:00 in Berlin
    assert keys_sent(paired) == ["nudge:1:2026-10-19"]


def test_pause_two_weeks(paired, walk, sessions):
    walk.to("2026-10-07T12:00:00Z")
    assert (
        "Paused until Wednesday 21 October 2026"
        in paired.command("/mentor-pause", "2w", user=MENTEE).text
    )
    with sessions() as session:
        assert session.get_one(Pair, 1).paused_until == dt.date(2026, 10, 21)
