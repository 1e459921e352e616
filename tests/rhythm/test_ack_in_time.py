"""Slack gives the app 3 seconds to answer a request. With every Web API method answering
in 2 seconds, every command, button, modal submission and event the app registers is
answered in under 3, and what each promised still happens once Slack has answered: the
pair created and welcomed, the meeting recorded, the modal opened (within its trigger's 3
seconds), the Home tab drawn.

The requests are sent one after another without waiting for the work that follows them,
as Slack sends them (tests/rhythm/every_listener.py); then the test waits for that work
and reads what people see."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.models import (
    Goal,
    Meeting,
    OutboxMessage,
    Pair,
    PairStatus,
    Person,
    Reflection,
    RhythmChange,
)
from tests.listeners.registered import registered
from tests.rhythm.every_listener import LATENCY, MENTEE, MENTEE2, MENTOR2, answer_everything

SLACK_DEADLINE = 3.0


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_every_listener_answers_in_time_while_slack_is_slow(bot, walk, sessions):
    slack, seen = answer_everything(bot, walk, sessions)
    slack.sender.close()

    everything = registered(bot.deps)
    every_listener = {*everything["command"], *everything["action"], *everything["view"]}
    every_listener |= set(everything["event"])
    assert set(slack.times) == every_listener, every_listener ^ set(slack.times)
    late = {what: round(took, 2) for what, took in slack.times.items() if took >= SLACK_DEADLINE}
    assert late == {}
    # Stricter: no answer waited for even one Web API call (each takes LATENCY).
    waited = {what: round(took, 2) for what, took in slack.times.items() if took >= LATENCY}
    assert waited == {}

    assert bot.deps.background.wait(timeout=120)
    # /mentor-pair: answered at once, then the pair created and welcomed, the coordinator told.
    assert "Pairing" in slack.replies["/mentor-pair"].first
    pair_reply = slack.sender.response_urls.posted_to(slack.replies["/mentor-pair"].response_url)
    assert "Paired" in json.dumps(pair_reply), pair_reply
    welcomed = bot.slack.messages_in(bot.slack.conversation_id(MENTOR2, MENTEE2))
    assert ["paired for mentoring" in m["text"] for m in welcomed] == [True]
    # The meeting, the goal and the reflection were recorded; the second pair closed.
    assert count(sessions, Meeting) >= 1 and count(sessions, Goal) == 1
    assert count(sessions, Reflection) == 2
    with sessions() as session:
        statuses = dict(session.execute(sa.select(Pair.id, Pair.status)).all())
    assert statuses == {1: PairStatus.CLOSED, 2: PairStatus.CLOSED}
    # Every modal was opened (the reflection, a note for each pulse answer, the last one),
    # within its trigger's life: Slack refused none, and nobody was told it did.
    since = bot.slack.calls[seen:]
    opened = [c for c in since if c.method == "views.open"]
    assert (
        len(opened) == 8
    )  # the rhythm form twice (opened, a change suggested), the programme form
    refusals = [c.args.get("text", "") for c in since if c.method == "chat.postEphemeral"]
    assert not any("trigger" in text for text in refusals), refusals
    # The mentee would like another pair: the coordinators see it.
    with sessions() as session:
        wanting = session.scalars(
            sa.select(Person.slack_user_id).where(Person.wants_pair_since.is_not(None))
        ).all()
    assert wanting == [MENTEE]
    # The rhythm the mentee proposed and the mentor agreed, and the one the form proposed
    # (owed; sent unless the pair closed first: a closed pair gets nothing more).
    assert count(sessions, RhythmChange) == 2
    with sessions() as session:
        proposals = session.scalars(
            sa.select(OutboxMessage.key).where(OutboxMessage.key.startswith("rhythm_proposed:"))
        ).all()
    assert len(proposals) == 2
    # The Home tab was drawn, twice (opened, and redrawn after the pause from it).
    assert len([c for c in since if c.method == "views.publish"]) == 2
