"""Closing means closed: whatever arrives about a closed pair (an old button, a reaction,
a command, a modal) writes nothing and posts nothing; a person is told the pair was
closed, and a reaction gets no answer at all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from bot.db import transaction
from bot.demo.slack_requests import mention
from bot.flows import closing
from bot.messages import ids
from bot.messages.blocks import message, section
from bot.models import Goal, Meeting, OutboxMessage, OutboxStatus, Pair, PairStatus, Period, Pulse
from bot.rhythm.outbox import Owed, enqueue
from tests.conftest import COORDINATOR
from tests.db_state import snapshot
from tests.rhythm.people import People

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
CHECKIN = "checkin:1:2026-10-05:2026-10-06"
NUDGE = "nudge:1:2026-10-05"
CLOSED_ON = "was closed on 2026-10-07"


@pytest.fixture
def closed(bot, walk, sessions):
    """A pair that got its first nudge and check-in, met once, then was closed on the
    Wednesday; the Slack calls made so far are forgotten."""
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    for hour in range(26):  # Monday 09:00 to Tuesday 11:00 in Berlin
        walk.tick(dt.datetime(2026, 10, 5, 7, tzinfo=dt.UTC) + dt.timedelta(hours=hour))
    walk.tick("2026-10-07T08:00:00Z")  # Wednesday: the check-in
    people = bot.people = People(bot, bot.slack.conversation_id(MENTOR, MENTEE))
    assert bot.command("/mentor-log", "2026-10-05", user=MENTEE).status == 200
    with transaction(sessions) as session:
        keys = closing.close(session, bot.deps, session.get_one(Pair, 1))
    bot.deps.deliver_now(keys)  # the kind words, at 10:00 in Berlin
    assert len(bot.slack.calls_to("chat.postMessage")) > 0
    people.seen = len(bot.slack.calls)  # what the tests look at comes after this
    return people


def since_closing(bot, method: str | None = None) -> list:
    calls = bot.slack.calls[bot.people.seen :]
    return [call for call in calls if method is None or call.method == method]


def ephemerals(bot) -> list[str]:
    return [call.args["text"] for call in since_closing(bot, "chat.postEphemeral")]


def nothing_happened(bot, sessions, before) -> None:
    assert snapshot(sessions) == before
    assert since_closing(bot, "chat.postMessage") == []
    assert since_closing(bot, "views.open") == []


def test_a_reaction_on_an_old_checkin_records_nothing_and_gets_no_answer(
    bot, walk, sessions, closed
):
    before = snapshot(sessions)
    closed.react(MENTEE, closed.ts(CHECKIN))
    closed.react(MENTOR, closed.ts(CHECKIN), reaction="x")
    nothing_happened(bot, sessions, before)
    assert since_closing(bot) == []


@pytest.mark.parametrize(
    ("key", "action_id"),
    [
        (CHECKIN, ids.CHECKIN_MET),
        (CHECKIN, ids.CHECKIN_MISSED),
        (NUDGE, ids.NUDGE_CONFIRM),
        (NUDGE, ids.NUDGE_SKIP),
    ],
)
def test_old_buttons_say_the_pair_was_closed(bot, walk, sessions, closed, key, action_id):
    before = snapshot(sessions)
    closed.click(MENTEE, key, action_id)
    nothing_happened(bot, sessions, before)
    assert [CLOSED_ON in text for text in ephemerals(bot)] == [True]


def test_an_old_date_picker_says_the_pair_was_closed(bot, walk, sessions, closed):
    before = snapshot(sessions)
    payload = _action(MENTEE, ids.PICK_DAY, block_id=f"nudge:{NUDGE[6:]}:2026-10-06")
    payload["actions"][0].update(type="datepicker", selected_date="2026-10-08")
    assert bot.interaction(payload).status == 200
    nothing_happened(bot, sessions, before)
    assert CLOSED_ON in ephemerals(bot)[0]


def test_a_pulse_button_neither_records_nor_alerts_nor_opens_a_modal(bot, walk, sessions, closed):
    before = snapshot(sessions)
    for action_id in (ids.PULSE_GOING_WELL, ids.PULSE_NOT_WORKING):
        assert bot.interaction(_action(MENTOR, action_id, value="1:30")).status == 200
    nothing_happened(bot, sessions, before)
    assert [CLOSED_ON in text for text in ephemerals(bot)] == [True, True]
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Pulse)) == 0


@pytest.mark.parametrize("action_id", [ids.DORMANT_NUDGE, ids.DORMANT_PAUSE, ids.DORMANT_CLOSE])
def test_a_coordinators_old_alert_button_changes_nothing(bot, walk, sessions, closed, action_id):
    before = snapshot(sessions)
    assert bot.interaction(_action(COORDINATOR, action_id, value="1")).status == 200
    walk.tick("2026-10-08T08:00:00Z")  # and the next pass posts nothing either
    nothing_happened(bot, sessions, before)
    assert CLOSED_ON in ephemerals(bot)[0]


def test_the_reflection_button_on_an_old_prompt_opens_nothing(bot, walk, sessions, closed):
    before = snapshot(sessions)
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()
    assert bot.interaction(_action(MENTOR, ids.REFLECT_OPEN, value=str(meeting_id))).status == 200
    view = {
        "type": "modal",
        "callback_id": ids.REFLECTION_MODAL,
        "private_metadata": json.dumps({"meeting_id": meeting_id}),
    }
    values = {ids.WORKED: {ids.WORKED: {"type": "plain_text_input", "value": "words"}}}
    reply = closed.submit(MENTOR, view, values)
    assert CLOSED_ON in reply.json["errors"][ids.WORKED]
    nothing_happened(bot, sessions, before)
    assert CLOSED_ON in ephemerals(bot)[0]


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/mentor-goals", "add Learn Rust"),
        ("/mentor-goals", "list"),
        ("/mentor-log", "today"),
        ("/mentor-pause", "2w"),
        ("/mentor-resume", ""),
    ],
)
def test_commands_about_a_closed_pair_say_so(bot, walk, sessions, closed, command, text):
    before = snapshot(sessions)
    reply = bot.command(command, text, user=MENTEE)
    assert CLOSED_ON in reply.text and f"<@{MENTOR}>" in reply.text
    nothing_happened(bot, sessions, before)
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Goal)) == 0


def test_delivery_drops_what_a_closed_pair_was_still_owed(bot, walk, sessions, closed):
    """A message owed to the pair that slipped in after closing (a pass planning it at the
    same instant) is dropped at delivery; the kind close messages still go."""
    with transaction(sessions) as session:
        late = message("late", [section("late")])
        conversation = closed.conversation
        enqueue(
            session,
            [Owed("nudge:1:2026-10-12", "nudge", conversation, late, dt.datetime.now(dt.UTC), 1)],
        )
    walk.tick("2026-10-08T08:00:00Z")
    with sessions() as session:
        row = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.key == "nudge:1:2026-10-12")
        ).one()
        assert (row.status, row.error) == (OutboxStatus.CANCELLED, "pair_closed")
        assert session.get_one(Pair, 1).status is PairStatus.CLOSED
        assert session.scalar(sa.select(sa.func.count()).select_from(Period)) == 0
    assert since_closing(bot, "chat.postMessage") == []


def _action(user: str, action_id: str, *, value: str = "", block_id: str = "b") -> dict:
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.trigger",
        "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1.000100"},
        "channel": {"id": "C0GENERAL"},
        "message": {"ts": "1.000100", "blocks": []},
        "actions": [
            {"action_id": action_id, "block_id": block_id, "type": "button", "value": value}
        ],
    }
