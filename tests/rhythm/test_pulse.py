"""The 30-day pulse: asked privately, answered in one click, the note kept private;
"could be better" reaches the coordinators once, without the note."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Pulse, PulseAnswer
from tests.channels import alerts_in
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"


def click(bot, user, message, action_id):
    blocks = message["blocks"]
    block = next(b for b in blocks if b["type"] == "actions")
    element = next(e for e in block["elements"] if e["action_id"] == action_id)
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.trigger",
        "container": {"type": "message", "channel_id": "D" + user[1:], "message_ts": "1.1"},
        "message": {"ts": "1.1", "blocks": blocks},
        "actions": [{"block_id": block["block_id"], **element}],
    }
    assert bot.interaction(payload).status == 200


def test_pulse_answer_note_and_alert(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick("2026-11-04T08:59:00Z")
    assert [m for m in bot.slack.messages_in(MENTEE) if "How is it going" in m["text"]] == []
    walk.tick("2026-11-04T09:00:00Z")  # day 30, 10:00 in Berlin
    [pulse] = [
        m for m in bot.slack.messages_in(MENTEE) if "How is it going" in blocks_text(m["blocks"])
    ]

    for _ in range(2):  # a double click alerts once
        click(bot, MENTEE, pulse, ids.PULSE_COULD_BE_BETTER)
    opened = bot.slack.calls_to("views.open")
    assert len(opened) == 2
    view = opened[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    submission = {
        "type": "view_submission",
        "user": {"id": MENTEE, "team_id": "T0MENTOR"},
        "view": {
            **view,
            "id": "V1",
            "state": {
                "values": {
                    ids.PULSE_NOTE: {
                        ids.PULSE_NOTE: {"type": "plain_text_input", "value": "PRIVATE-PULSE-NOTE"}
                    }
                }
            },
        },
    }
    assert bot.interaction(submission).status == 200

    with sessions() as session:
        stored = session.scalars(sa.select(Pulse)).one()
    assert (stored.day, stored.answer, stored.note) == (
        30,
        PulseAnswer.COULD_BE_BETTER,
        "PRIVATE-PULSE-NOTE",
    )
    alerts = alerts_in(bot.slack)
    assert len(alerts) == 1
    assert f"<@{MENTEE}> answered the 30-day check-in" in alerts[0]["text"]
    assert "could be better" in alerts[0]["text"]
    everything = json.dumps([c.args for c in bot.slack.calls])
    assert "PRIVATE-PULSE-NOTE" not in everything

    digest = bot.command("/mentor-digest", user=COORDINATOR)
    assert "PRIVATE-PULSE-NOTE" not in digest.body


def test_the_note_modal_opens_while_slack_is_slow(bot, walk, sessions, caplog):
    """A trigger id lives 3 seconds: the modal is opened on threads of its own, not behind
    the coordinators' alert or the pulse message's update, so a slow Slack cannot expire
    it."""
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick("2026-11-04T09:00:00Z")
    [pulse] = [
        m for m in bot.slack.messages_in(MENTEE) if "How is it going" in blocks_text(m["blocks"])
    ]
    bot.slack.reset_calls()
    bot.slack.slow("chat.postMessage", 3.2)

    click(bot, MENTEE, pulse, ids.PULSE_NOT_WORKING)

    [opened] = bot.slack.calls_to("views.open")
    assert "note" in json.dumps(opened.args["view"]).lower()
    assert "modal not opened" not in caplog.text  # Slack took the trigger in time
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert bot.slack.calls_to("chat.postEphemeral") == []  # no "Slack refused" for the modal
    assert len(alerts_in(bot.slack)) == 1


def test_a_trigger_older_than_three_seconds_opens_nothing(bot):
    """The stand-in is as strict as Slack about trigger ids."""
    from bot.demo.slack_rules import TRIGGER_LIFETIME_MS, new_trigger, trigger_problem

    fresh = new_trigger("t")
    issued, _, label = fresh.partition(".")
    stale = f"{int(issued) - TRIGGER_LIFETIME_MS - 1}.{label}"
    assert trigger_problem(fresh) is None
    assert trigger_problem(stale) == "expired_trigger_id"
    assert trigger_problem("1x.2.abc") == "invalid_trigger_id"
