"""Requests that did not come from Slack, or came too late, are refused and change nothing."""

from __future__ import annotations

import time

import pytest

from bot.demo.slack_requests import SlackSender, mention
from bot.models import Pair
from tests.conftest import COORDINATOR
from tests.db_state import count, snapshot


@pytest.fixture
def people(bot):
    bot.slack.add_user("UMENTOR01")
    bot.slack.add_user("UMENTEE01")
    return bot


PAIR_TEXT = f"{mention('UMENTOR01')} {mention('UMENTEE01')}"


def test_bad_signature_is_401_and_touches_nothing(people, sessions):
    before = snapshot(sessions)
    reply = people.command("/mentor-pair", PAIR_TEXT, user=COORDINATOR, signature="v0=" + "0" * 64)
    assert reply.status == 401
    assert snapshot(sessions) == before
    assert people.slack.calls == []


def test_signed_with_another_secret_is_401(people, sessions):
    impostor = SlackSender(people.sender.host, people.sender.port, secret="not-the-secret")
    reply = impostor.command("/mentor-pair", PAIR_TEXT, user=COORDINATOR)
    assert reply.status == 401
    assert count(sessions, Pair) == 0


def test_timestamp_older_than_five_minutes_is_401(people, sessions):
    stale = int(time.time()) - 6 * 60
    reply = people.command("/mentor-pair", PAIR_TEXT, user=COORDINATOR, timestamp=stale)
    assert reply.status == 401
    assert count(sessions, Pair) == 0
    assert people.slack.calls == []


def test_fresh_signed_request_is_accepted(people, sessions):
    recent = int(time.time()) - 60
    reply = people.command("/mentor-pair", PAIR_TEXT, user=COORDINATOR, timestamp=recent)
    assert reply.status == 200
    assert count(sessions, Pair) == 1


def test_tampered_body_is_401(people, sessions):
    body = "command=%2Fmentor-help&user_id=UMENTEE01&team_id=T0MENTOR&text="
    signature = people.sender.verifier.generate_signature(
        timestamp=str(int(time.time())), body=body
    )
    reply = people.post(body + "x", "application/x-www-form-urlencoded", signature=signature)
    assert reply.status == 401


def test_malformed_payload_is_a_client_error_and_touches_nothing(people, sessions):
    before = snapshot(sessions)
    reply = people.post("payload=%7Bnot-json", "application/x-www-form-urlencoded")
    assert 400 <= reply.status < 500
    assert snapshot(sessions) == before


def test_url_verification_challenge_is_answered(bot):
    reply = bot.post(
        '{"type": "url_verification", "challenge": "abc123", "token": "t"}', "application/json"
    )
    assert reply.status == 200
    assert "abc123" in reply.body
