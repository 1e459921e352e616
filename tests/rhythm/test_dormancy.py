"""A pair that stops meeting: at risk after two missed periods, dormant after three and
45 days, a coordinator closing it kindly; a meeting brings a pair back; leavers pause."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Pair, PairStatus
from tests.channels import alerts_in, is_digest
from tests.conftest import COORDINATOR, COORDINATOR_CHANNEL

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"


def keyed(bot):
    out = []
    for call in bot.slack.calls_to("chat.postMessage"):
        metadata = call.args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata or {}
        key = metadata.get("event_payload", {}).get("key")
        if key:
            out.append((key, call.args, dt.datetime.now(dt.UTC)))
    return out


def pair_posts(bot) -> list:
    return [c for c in bot.slack.calls_to("chat.postMessage") if not is_digest(c.args)]


def status(sessions) -> PairStatus:
    with sessions() as session:
        return session.get_one(Pair, 1).status


def walk_days(walk, start, days):
    for hour in range(days * 24):
        walk.tick(start + dt.timedelta(hours=hour))


def test_quiet_pair_goes_at_risk_then_dormant_and_is_closed_kindly(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    start = dt.datetime(2026, 10, 5, 7, tzinfo=dt.UTC)

    walk_days(walk, start, 9)  # to Wednesday 14 October, 07:00Z
    assert status(sessions) is PairStatus.ACTIVE
    walk.tick("2026-10-14T08:00:00Z")  # the second check-in: two Tuesdays gone by
    assert status(sessions) is PairStatus.AT_RISK
    conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    gentle = [m for m in bot.slack.messages_in(conversation) if "been a little while" in m["text"]]
    assert len(gentle) == 1
    assert "nobody's fault" in blocks_text(gentle[0]["blocks"])

    walk_days(walk, dt.datetime(2026, 10, 14, 9, tzinfo=dt.UTC), 36)  # to 19 November
    assert status(sessions) is PairStatus.AT_RISK  # three missed, but not yet 45 days
    walk_days(walk, dt.datetime(2026, 11, 19, 9, tzinfo=dt.UTC), 2)
    assert status(sessions) is PairStatus.DORMANT
    alerts = alerts_in(bot.slack)
    assert len(alerts) == 1
    seen = blocks_text(alerts[0]["blocks"])
    assert "has gone quiet" in seen and "no meeting since they were paired" in seen
    assert (
        len([m for m in bot.slack.messages_in(conversation) if "been a little while" in m["text"]])
        == 1
    )

    alert_ts = bot.slack.history[COORDINATOR_CHANNEL][-1]["ts"]
    payload = {
        "type": "block_actions",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "container": {"type": "message", "channel_id": COORDINATOR_CHANNEL, "message_ts": alert_ts},
        "message": {"ts": alert_ts, "blocks": alerts[0]["blocks"]},
        "actions": [
            {
                "action_id": ids.DORMANT_CLOSE,
                "block_id": "dormant:1",
                "type": "button",
                "value": "1",
            }
        ],
    }
    assert bot.interaction(payload).status == 200  # not a coordinator: refused
    assert status(sessions) is PairStatus.DORMANT
    [refusal] = bot.slack.calls_to("chat.postEphemeral")
    assert "Only programme coordinators" in refusal.args["text"]

    payload["user"]["id"] = COORDINATOR
    assert bot.interaction(payload).status == 200
    assert status(sessions) is PairStatus.CLOSED
    walk.tick("2026-11-23T08:00:00Z")  # Monday: the kind words arrive in working hours
    for user in (MENTOR, MENTEE):
        [kind] = [m for m in bot.slack.messages_in(user) if "is now closed" in m["text"]]
        seen = blocks_text(kind["blocks"])
        assert "says nothing against either of you" in seen and "free to try again" in seen
    before = len(pair_posts(bot))
    walk_days(walk, dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), 14)
    assert len(pair_posts(bot)) == before  # closed pairs hear nothing (the digest goes on)


def test_a_meeting_brings_an_at_risk_pair_back(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk_days(walk, dt.datetime(2026, 10, 5, 7, tzinfo=dt.UTC), 10)
    assert status(sessions) is PairStatus.AT_RISK
    bot.command("/mentor-log", "today", user=MENTEE)
    assert status(sessions) is PairStatus.ACTIVE


def test_a_member_who_leaves_pauses_the_pair_and_alerts_once(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    user = {**bot.slack.users[MENTOR], "deleted": True}
    event = {"type": "user_change", "user": user, "cache_ts": 1, "event_ts": "1.1"}
    for event_id in ("EvLEFT1", "EvLEFT1", "EvLEFT2"):
        assert bot.event(event, event_id=event_id).status == 200
    assert status(sessions) is PairStatus.PAUSED
    alerts = alerts_in(bot.slack)
    assert len(alerts) == 1
    assert f"<@{MENTOR}> has left the workspace" in alerts[0]["text"]
    with sessions() as session:
        assert session.scalars(sa.select(Pair.paused_until)).one() is None
    [kind_word] = bot.slack.messages_in(MENTEE)  # the one who stays, once, in their hours
    assert f"<@{MENTOR}> has left the workspace, so I've paused your pair" in kind_word["text"]
    assert "nothing you did" in kind_word["text"]
    assert bot.slack.messages_in(MENTOR) == []
