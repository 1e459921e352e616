"""A 5xx is not "not sent" (issue 8, item 10).

A server error, or an answer that is not JSON, says nothing about whether Slack posted
the message. Like a timeout, the row stays claimed (`sending`); once the claim is older
than the lease, the next pass looks for its key in the conversation: found, it is marked
sent; not found, it is posted again. Either way the conversation has it exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from slack_sdk.errors import SlackApiError

from bot.calendar import WorkingHours
from bot.demo.stand_in import TOKEN
from bot.messages.blocks import Message
from bot.models import OutboxStatus
from bot.rhythm import outbox as delivery
from bot.rhythm.outbox import Owed
from bot.rhythm.sending import LEASE
from bot.slack import make_client
from tests.rhythm.helpers_exactly_once import (
    POST,
    WEDNESDAY,
    metadata_key,
    outbox,
    seed_pairs,
)

HOURS = WorkingHours()
CHANNEL = "G00001"
KEY = "meeting_recorded:1"
# What Slack (or something in front of it) may answer a post it may have done.
ANSWERS = {
    "500": {"status": 500},
    "502 page": {"status": 502, "body": "<html><h1>502 Bad Gateway</h1></html>"},
    "503": {"status": 503, "body": {"ok": False, "error": "service_unavailable"}},
    "200 not JSON": {"status": 200, "body": "<html>upstream timed out</html>"},
    "200 cut off": {"status": 200, "body": '{"ok": true, "channel": "G00001", "ts": "17'},
    "internal_error": {"status": 200, "body": {"ok": False, "error": "internal_error"}},
    "fatal_error": {"status": 200, "body": {"ok": False, "error": "fatal_error"}},
}


@pytest.fixture
def client(slack):
    return make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)


def owe(sessions, key: str = KEY, channel: str = CHANNEL) -> None:
    with sessions.begin() as session:
        owed = Owed(key, "meeting_recorded", channel, Message(f"message {key}"), WEDNESDAY)
        delivery.enqueue(session, [owed])


def in_history(slack) -> Counter[str]:
    with slack._lock:
        messages = [m for channel in slack.history.values() for m in channel]
    return Counter(key for m in messages if (key := metadata_key(m)) is not None)


def deliver(sessions, client, now: dt.datetime) -> delivery.DeliveryReport:
    return delivery.deliver(sessions, client, now, hours=HOURS)


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_post_slack_made_but_answered_badly_is_found_after_the_lease_not_posted_again(
    engine, sessions, slack, client, answer
):
    owe(sessions)
    slack.server_error(POST, performed=True, **ANSWERS[answer])

    first = deliver(sessions, client, WEDNESDAY)

    assert (first.sent, first.retried, first.failed) == (0, 1, [])
    row = outbox(engine)[KEY]
    assert (row.status, row.slack_ts) == (OutboxStatus.SENDING, None)
    assert in_history(slack) == {KEY: 1}

    within_lease = deliver(sessions, client, WEDNESDAY + LEASE - dt.timedelta(minutes=1))
    assert (within_lease.sent, within_lease.reconciled) == (0, 0)
    assert outbox(engine)[KEY].status == OutboxStatus.SENDING

    after = deliver(sessions, client, WEDNESDAY + LEASE + dt.timedelta(minutes=1))

    assert (after.reconciled, after.sent) == (1, 0)
    assert len(slack.calls_to(POST)) == 1
    assert in_history(slack) == {KEY: 1}
    row = outbox(engine)[KEY]
    assert row.status == OutboxStatus.SENT
    assert row.slack_ts == slack.history[CHANNEL][0]["ts"]


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_post_slack_did_not_make_and_answered_badly_is_posted_once_after_the_lease(
    engine, sessions, slack, client, answer
):
    owe(sessions)
    slack.server_error(POST, performed=False, **ANSWERS[answer])

    first = deliver(sessions, client, WEDNESDAY)

    assert (first.sent, first.retried) == (0, 1)
    assert outbox(engine)[KEY].status == OutboxStatus.SENDING
    assert in_history(slack) == {}

    after = deliver(sessions, client, WEDNESDAY + LEASE + dt.timedelta(minutes=1))

    assert (after.reconciled, after.sent) == (1, 1)
    assert len(slack.calls_to(POST)) == 2
    assert in_history(slack) == {KEY: 1}
    row = outbox(engine)[KEY]
    assert row.status == OutboxStatus.SENT
    assert row.slack_ts == slack.history[CHANNEL][0]["ts"]


def test_a_bad_answer_holds_up_no_other_message(engine, sessions, slack, client):
    for n in range(3):
        owe(sessions, key=f"meeting_recorded:{n}", channel=f"G0000{n}")
    slack.server_error(POST, performed=True)

    first = deliver(sessions, client, WEDNESDAY)

    assert (first.sent, first.retried) == (2, 1)
    assert in_history(slack) == dict.fromkeys([f"meeting_recorded:{n}" for n in range(3)], 1)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_the_outbox_client_never_repeats_a_post_answered_with_a_server_error(slack, client, status):
    """slack_sdk's retry handlers would post again after a 5xx; the outbox's client has
    none for that (bot/slack.py), so the outbox, which checks first, decides."""
    slack.server_error(POST, status=status, performed=True)

    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel=CHANNEL, text="hello")

    assert error.value.response.status_code == status
    assert len(slack.calls_to(POST)) == 1


def test_a_pass_meeting_a_500_on_a_post_slack_made_settles_it_at_a_later_pass(
    walk, engine, settings, slack
):
    """End to end, through `mentorbot tick`: whichever post met the 500, every message
    (the check-ins and the weekly digest) is in Slack once and recorded sent."""
    seed_pairs(engine, settings, slack, 3, next_check_at=WEDNESDAY - dt.timedelta(hours=1))
    slack.server_error(POST, performed=True)

    first = walk.tick(WEDNESDAY)

    assert first.retried == 1
    assert sum(row.status == OutboxStatus.SENDING for row in outbox(engine).values()) <= 1
    posts = len(slack.calls_to(POST))

    walk.tick(WEDNESDAY + LEASE - dt.timedelta(minutes=1))
    later = walk.tick(WEDNESDAY + LEASE + dt.timedelta(minutes=1))

    assert later.reconciled == 1
    assert len(slack.calls_to(POST)) == posts
    counts = in_history(slack)
    assert counts and set(counts.values()) == {1}
    assert len(counts) == posts
    assert {row.status for row in outbox(engine).values()} == {OutboxStatus.SENT}
