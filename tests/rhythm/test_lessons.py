"""Lessons carried forward: "what would you do differently next time?" comes back to its
author alone, in the reminder before their next meeting, once; never to the partner, the
pair's conversation or the coordinators."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Meeting, OutboxMessage, OutboxStatus
from tests.channels import COORDINATOR_CHANNEL
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, reflection_values

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
MENTEE_LESSON, MENTOR_LESSON = "Bring an agenda <b>", "Ask before advising"


def reminders_to(bot, user: str) -> list[str]:
    return [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(user)
        if "planned to touch base" in blocks_text(m["blocks"])
    ]


def reflect(bot, sessions, user: str, differently: str, *, share: bool) -> None:
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()
    view = {
        "type": "modal",
        "callback_id": ids.REFLECTION_MODAL,
        "private_metadata": json.dumps({"meeting_id": meeting_id}),
    }
    values = reflection_values(
        worked="we talked", did_not_work="", differently=differently, share=share
    )
    People(bot).submit(user, view, values)


def met_on_tuesday(bot, walk) -> None:
    """Weekly on Tuesdays from Monday 5 October, both in Berlin; they met on the 6th."""
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.to("2026-10-06T16:00:00Z")
    bot.command("/mentor-log", "today", user=MENTEE)


def test_each_lesson_reaches_its_author_alone_before_the_next_meeting_once(bot, walk, sessions):
    met_on_tuesday(bot, walk)
    reflect(bot, sessions, MENTEE, MENTEE_LESSON, share=False)
    reflect(bot, sessions, MENTOR, MENTOR_LESSON, share=True)

    start = dt.datetime(2026, 10, 6, 18, tzinfo=dt.UTC)
    for hours in range(0, 15 * 24, 3):  # to Wednesday 21 October, past two more Tuesdays
        walk.tick(start + dt.timedelta(hours=hours))

    mentee_reminders, mentor_reminders = reminders_to(bot, MENTEE), reminders_to(bot, MENTOR)
    assert len(mentee_reminders) == len(mentor_reminders) == 2  # 13 and 20 October
    escaped = "Bring an agenda &lt;b&gt;"
    assert f"Last time you planned to do this differently: {escaped}" in mentee_reminders[0]
    assert MENTOR_LESSON not in mentee_reminders[0]
    assert f"Last time you planned to do this differently: {MENTOR_LESSON}" in mentor_reminders[0]
    assert "Bring an agenda" not in mentor_reminders[0]
    assert "Last time you planned" not in mentee_reminders[1] + mentor_reminders[1]  # once

    conversation = bot.slack.messages_in(bot.slack.conversation_id(MENTOR, MENTEE))
    coordinators = [bot.slack.messages_in(COORDINATOR_CHANNEL), bot.slack.messages_in(COORDINATOR)]
    everything_else = json.dumps([conversation, *coordinators])
    assert "Bring an agenda" not in everything_else  # private: not shared
    assert "Last time you planned" not in everything_else
    previews = [c.args["text"] for c in bot.slack.calls_to("chat.postMessage")]
    assert not any("Bring an agenda" in text for text in previews)  # not in notifications


def test_a_reminder_slack_refused_does_not_use_up_the_lesson(bot, walk, sessions):
    met_on_tuesday(bot, walk)
    reflect(bot, sessions, MENTEE, MENTEE_LESSON, share=False)
    start = dt.datetime(2026, 10, 6, 18, tzinfo=dt.UTC)
    for hours in range(0, 6 * 24 + 13):  # to Tuesday 13 October, 06:00
        walk.tick(start + dt.timedelta(hours=hours))

    bot.slack.fail("chat.postMessage", "channel_not_found", times=2)  # both reminders refused
    walk.tick("2026-10-13T07:00:00Z")  # 09:00 in Berlin: the reminders' hour
    with sessions() as session:
        refused = session.scalars(
            sa.select(OutboxMessage.status).where(OutboxMessage.kind == "reminder")
        ).all()
    assert refused == [OutboxStatus.FAILED, OutboxStatus.FAILED]
    for hours in range(1, 8 * 24):  # to Wednesday 21 October
        walk.tick(dt.datetime(2026, 10, 13, 7, tzinfo=dt.UTC) + dt.timedelta(hours=hours))

    _refused, reminder = reminders_to(bot, MENTEE)  # Slack refused the first
    assert "Last time you planned to do this differently: Bring an agenda" in reminder
