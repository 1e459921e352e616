"""Values a person could forge in a button or a modal (a day outside the pair's life,
another pair's id, a stranger pressing someone else's button) are refused with a short
message and change nothing; nobody learns who is paired with whom."""

from __future__ import annotations

import pytest

from bot.demo.response_urls import ResponseUrls
from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from tests.conftest import COORDINATOR
from tests.db_state import snapshot

MENTOR, MENTEE, STRANGER = "UMENTOR01", "UMENTEE01", "USTRANGE1"


@pytest.fixture
def paired(bot, walk):
    for user in (MENTOR, MENTEE, STRANGER):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.to("2026-10-14T08:00:00Z")
    bot.slack.reset_calls()
    return bot


def press(bot, user: str, action_id: str, value: str, **action) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0MENTOR"},
        "trigger_id": "1.2.forged",
        "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1.000100"},
        "message": {"ts": "1.000100", "blocks": []},
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
        **action,
    }
    assert bot.interaction(payload).status == 200


def told(bot) -> list[str]:
    return [call.args["text"] for call in bot.slack.calls_to("chat.postEphemeral")]


@pytest.mark.parametrize(
    "ref",
    [
        "1:1999-01-04:1999-01-05",  # years before the pair began
        "1:2026-09-28:2026-09-29",  # the week before it began
        "1:2031-01-06:2031-01-07",  # years ahead
    ],
)
@pytest.mark.parametrize("action_id", [ids.CHECKIN_MET, ids.CHECKIN_MISSED, ids.NUDGE_CONFIRM])
def test_a_day_outside_the_pairs_life_is_refused(paired, sessions, ref, action_id):
    before = snapshot(sessions)
    press(paired, MENTEE, action_id, ref)
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []
    assert ["older version of this message" in text for text in told(paired)] == [True]


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        (ids.CHECKIN_MET, "2:2026-10-12:2026-10-13"),  # a pair that is not theirs
        (ids.PULSE_NOT_WORKING, "2:30"),
        (ids.REFLECT_OPEN, "7"),
    ],
)
def test_another_pairs_id_is_refused(paired, sessions, action_id, value):
    before = snapshot(sessions)
    press(paired, STRANGER, action_id, value)
    press(paired, STRANGER, action_id, value.replace("2", "1", 1))
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []
    assert paired.slack.calls_to("views.open") == []
    assert len(told(paired)) == 2
    assert all(MENTOR not in text and MENTEE not in text for text in told(paired))


def test_keep_it_open_tells_a_stranger_nothing(paired, sessions):
    """*Keep it open* checks who pressed it, as *Close pair* does: a stranger is told the
    button is not theirs, and is not told who is paired with whom."""
    receiver = ResponseUrls()
    try:
        before = snapshot(sessions)
        press(paired, STRANGER, ids.CLOSE_KEEP, "1", response_url=receiver.url("keep"))
        assert snapshot(sessions) == before
        [answer] = receiver.posted
    finally:
        receiver.stop()
    text = blocks_text(answer["blocks"])
    assert "belongs to another pair" in text
    assert MENTOR not in text and MENTEE not in text


@pytest.mark.parametrize(
    "ref",
    [
        "1:9999-12-27:2026-10-13",  # a period at the end of time
        "1:2026-10-14:2026-10-13",  # a Wednesday: no period starts then
        "1:2026-10-12:2026-10-09",  # a day before its period
    ],
)
@pytest.mark.parametrize("action_id", [ids.CHECKIN_MISSED, ids.NUDGE_SKIP, ids.NUDGE_CONFIRM])
def test_a_period_our_messages_never_name_is_refused(paired, sessions, ref, action_id):
    before = snapshot(sessions)
    press(paired, MENTEE, action_id, ref)
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []
    assert ["older version of this message" in text for text in told(paired)] == [True]
