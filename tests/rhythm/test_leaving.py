"""A member leaves the workspace: the partner who stays is told kindly, and the
coordinators' alert pairs them with someone new in two clicks."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Cadence, Pair, PairStatus
from tests.channels import alerts_in
from tests.conftest import COORDINATOR
from tests.rhythm.people import People

MENTOR, MENTEE, NEW_MENTOR = "UMENTOR01", "UMENTEE01", "UMENTOR09"


def left(bot, walk) -> dict:
    for user in (MENTOR, MENTEE, NEW_MENTOR):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    user = {**bot.slack.users[MENTOR], "deleted": True}
    assert bot.event({"type": "user_change", "user": user}, event_id="EvLEFT").status == 200
    [alert] = alerts_in(bot.slack)
    return alert


def press(bot, user: str, alert: dict) -> None:
    blocks = alert["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    [button] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.repair",
        "container": {"type": "message", "channel_id": alert["channel"], "message_ts": "1.1"},
        "actions": [{"block_id": "repair:1", **button}],
    }
    assert bot.interaction(payload).status == 200


def test_the_alert_pairs_the_one_who_stays_with_someone_new(bot, walk, sessions):
    alert = left(bot, walk)
    assert "Pair them with someone new" in json.dumps(alert["blocks"])

    press(bot, COORDINATOR, alert)
    form = People(bot).opened_view()
    assert form["callback_id"] == ids.REPAIR_MODAL
    assert f"Who should <@{MENTEE}> be paired with now, as their mentor?" in blocks_text(
        form["blocks"]
    )
    picked = {
        ids.REPAIR_USER: {ids.REPAIR_USER: {"type": "users_select", "selected_user": NEW_MENTOR}}
    }
    People(bot).submit(COORDINATOR, form, picked)

    with sessions() as session:
        pairs = {p.id: p for p in session.scalars(sa.select(Pair))}
        new = pairs[2]
        assert (new.mentor.slack_user_id, new.mentee.slack_user_id) == (NEW_MENTOR, MENTEE)
        assert (new.cadence, new.weekday) == (Cadence.WEEKLY, 1)  # the rhythm they had
        assert pairs[1].status is PairStatus.CLOSED  # the old pair is over, quietly
    welcome = bot.slack.messages_in(bot.slack.conversation_id(NEW_MENTOR, MENTEE))
    assert ["paired for mentoring" in m["text"] for m in welcome] == [True]
    [told] = [m for m in bot.slack.messages_in(COORDINATOR) if "Paired" in m["text"]]
    assert f"Paired <@{NEW_MENTOR}> (mentor) with <@{MENTEE}> (mentee)" in told["text"]
    assert bot.slack.messages_in(MENTOR) == []  # the one who left hears nothing more
    # The one who stays has one pair: commands need no @partner.
    assert "Open goals with" in bot.command("/mentor-goals", user=MENTEE).text

    press(bot, COORDINATOR, alert)  # the old alert's button again: nothing more
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Pair)) == 2
    assert "was closed on" in bot.slack.calls_to("chat.postEphemeral")[-1].args["text"]


def test_only_a_coordinator_may_repair(bot, walk, sessions):
    alert = left(bot, walk)

    press(bot, MENTEE, alert)

    assert bot.slack.calls_to("views.open") == []
    [refusal] = bot.slack.calls_to("chat.postEphemeral")
    assert "coordinator" in refusal.args["text"].lower()
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Pair)) == 1


def test_when_both_leave_nobody_gets_the_kind_word_twice(bot, walk, sessions):
    left(bot, walk)
    user = {**bot.slack.users[MENTEE], "deleted": True}
    assert bot.event({"type": "user_change", "user": user}, event_id="EvLEFT2").status == 200

    assert bot.slack.messages_in(MENTOR) == []  # gone first: not told the other went too
    assert len([m for m in bot.slack.messages_in(MENTEE) if "left the workspace" in m["text"]]) == 1
