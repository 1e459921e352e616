"""A keepsake at the end: each member's closing DM says how long they were paired, how
often they met, the goals they finished and the lessons they keep (their own, and their
partner's shared ones); *I'd like another pair* shows coordinators who, never why."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Meeting
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, reflection_values

MENTOR, MENTEE, STRANGER = "UMENTOR01", "UMENTEE01", "USTRANGE1"


def reflect(bot, sessions, user: str, differently: str, *, share: bool) -> None:
    with sessions() as session:
        meeting_id = session.scalars(sa.select(Meeting.id)).one()
    view = {
        "type": "modal",
        "callback_id": ids.REFLECTION_MODAL,
        "private_metadata": json.dumps({"meeting_id": meeting_id}),
    }
    values = reflection_values(worked="w", did_not_work="", differently=differently, share=share)
    People(bot).submit(user, view, values)


def closing_dm(bot, user: str) -> dict:
    [kind] = [m for m in bot.slack.messages_in(user) if "is now closed" in m["text"]]
    return kind


def test_each_member_keeps_their_own_and_coordinators_see_who_wants_another(bot, walk, sessions):
    for user in (MENTOR, MENTEE, STRANGER):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T08:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-goals", "add Give a talk", user=MENTEE)
    bot.command("/mentor-goals", "done 1", user=MENTEE)
    bot.command("/mentor-log", "today", user=MENTEE)
    reflect(bot, sessions, MENTEE, "PRIVATE-LESSON", share=False)
    reflect(bot, sessions, MENTOR, "Shared lesson", share=True)
    walk.to("2026-11-16T09:00:00Z")  # six weeks on
    bot.command("/mentor-close", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)
    press = {
        "type": "block_actions",
        "user": {"id": COORDINATOR, "team_id": "T0MENTOR"},
        "container": {"type": "message_attachment"},
        "response_url": "",
        "actions": [
            {"action_id": ids.CLOSE_CONFIRM, "block_id": "b", "type": "button", "value": "1"}
        ],
    }
    assert bot.interaction(press).status == 200

    mentee_words = blocks_text(closing_dm(bot, MENTEE)["blocks"])
    mentor_words = blocks_text(closing_dm(bot, MENTOR)["blocks"])
    for words in (mentee_words, mentor_words):
        assert "You were paired for 6 weeks and met 1 time." in words
        assert "*Goals you finished together*\n• Give a talk" in words
    assert "*What you planned to do differently*\n• PRIVATE-LESSON" in mentee_words
    assert f"*What <@{MENTOR}> shared they'd do differently*\n• Shared lesson" in mentee_words
    assert "*What you planned to do differently*\n• Shared lesson" in mentor_words
    assert "PRIVATE-LESSON" not in mentor_words  # not shared: the mentee's alone

    people = People(bot)
    dm = people.message(f"closed:1:{MENTEE}")
    for user in (MENTEE, MENTEE, STRANGER):
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T0MENTOR"},
            "container": {"type": "message", "channel_id": dm["channel"], "message_ts": dm["ts"]},
            "message": {"ts": dm["ts"], "blocks": dm["blocks"]},
            "actions": [
                {"action_id": ids.ANOTHER_PAIR, "block_id": "b", "type": "button", "value": "1"}
            ],
        }
        assert people.bot.interaction(payload).status == 200
    [refused] = bot.slack.calls_to("chat.postEphemeral")
    assert refused.args["user"] == STRANGER

    listing = bot.command("/mentor-pairs", "all", user=COORDINATOR).text
    assert f"*Would like another pair* · <@{MENTEE}>" in listing
    assert f"<@{MENTOR}>" not in listing.split("Would like another pair")[1]
    digest = bot.command("/mentor-digest", user=COORDINATOR).text
    assert f"*Would like another pair* · <@{MENTEE}>" in digest
    assert "PRIVATE-LESSON" not in listing + digest and "Give a talk" not in listing + digest

    bot.command("/mentor-pair", f"{mention(STRANGER)} {mention(MENTEE)}", user=COORDINATOR)
    assert "Would like another pair" not in bot.command("/mentor-pairs", user=COORDINATOR).text
