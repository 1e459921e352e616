"""Reactions count only on a check-in, only from the pair, and only ✅ or ❌."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.demo.stand_in import BOT_USER_ID
from bot.models import Meeting
from tests.conftest import COORDINATOR
from tests.db_state import snapshot

MENTOR, MENTEE, OUTSIDER = "UMENTOR01", "UMENTEE01", "UOUTSIDE1"


@pytest.fixture
def checked_in(bot, walk):
    for user in (MENTOR, MENTEE, OUTSIDER):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick("2026-10-05T07:00:00Z")  # the nudge
    walk.tick("2026-10-07T08:00:00Z")  # the check-in, Wednesday 10:00
    conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    nudge, checkin = (m["ts"] for m in bot.slack.history[conversation][-2:])
    return bot, conversation, nudge, checkin


def react(bot, user, channel, ts, reaction="white_check_mark", item_type="message"):
    event = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": item_type, "channel": channel, "ts": ts},
        "item_user": BOT_USER_ID,
        "event_ts": "1.0",
    }
    assert bot.event(event, event_id=f"Ev{user}{ts}{reaction}").status == 200


@pytest.mark.parametrize(
    "case",
    ["outsider", "on the nudge", "other emoji", "elsewhere", "a file"],
)
def test_reactions_that_change_nothing(checked_in, sessions, case):
    bot, conversation, nudge, checkin = checked_in
    before = snapshot(sessions)
    calls = len(bot.slack.calls)
    if case == "outsider":
        react(bot, OUTSIDER, conversation, checkin)
    elif case == "on the nudge":
        react(bot, MENTEE, conversation, nudge)
    elif case == "other emoji":
        react(bot, MENTEE, conversation, checkin, reaction="tada")
    elif case == "elsewhere":
        react(bot, MENTEE, "C0GENERAL", checkin)
    else:
        react(bot, MENTEE, conversation, checkin, item_type="file")
    assert snapshot(sessions) == before
    assert len(bot.slack.calls) == calls


def test_skin_toned_check_mark_counts_once(checked_in, sessions):
    bot, conversation, _, checkin = checked_in
    react(bot, MENTEE, conversation, checkin, reaction="white_check_mark::skin-tone-3")
    react(bot, MENTOR, conversation, checkin)
    with sessions() as session:
        assert len(session.scalars(sa.select(Meeting)).all()) == 1


def test_cross_asks_the_mentee_for_another_day_once(checked_in, sessions):
    bot, conversation, _, checkin = checked_in
    react(bot, MENTOR, conversation, checkin, reaction="x")
    react(bot, MENTEE, conversation, checkin, reaction="x")
    last = bot.slack.messages_in(conversation)[-1]
    assert f"<@{MENTEE}>, when could you meet instead?" in str(last["blocks"])
    asked = [
        m
        for m in bot.slack.messages_in(conversation)
        if "when could you meet instead" in str(m["blocks"])
    ]
    assert len(asked) == 1


def test_slack_retries_and_redeliveries_record_one_meeting(checked_in, sessions):
    bot, conversation, _, checkin = checked_in
    event = {
        "type": "reaction_added",
        "user": MENTEE,
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": conversation, "ts": checkin},
        "item_user": BOT_USER_ID,
        "event_ts": "1.0",
    }
    assert bot.event(event, event_id="EvFIRST").status == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(event, event_id="EvFIRST", headers=retry).status == 200
    assert bot.event(event, event_id="EvOTHERID").status == 200  # same reaction, new envelope
    with sessions() as session:
        assert len(session.scalars(sa.select(Meeting)).all()) == 1
    recorded = [m for m in bot.slack.messages_in(conversation) if "recorded by" in m["text"]]
    assert len(recorded) == 1
