"""The client paces its own calls by Slack's tiers (issue 9, §3): a call waits only when its
method's last minute is full, counting each call when it ended; no wait for other methods."""

from __future__ import annotations

import pytest

from bot.slack_limits import Pacer


class Time:
    """A clock that moves only when told or slept on, and the sleeps asked of it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def time() -> Time:
    return Time()


@pytest.fixture
def pacer(time: Time) -> Pacer:
    return Pacer(minute=60, clock=time.clock, sleep=time.sleep)


def call(pacer: Pacer, time: Time, method: str, *, lasting: float = 0.0) -> None:
    with pacer.paced(method):
        time.now += lasting


def test_a_tier_goes_at_once_then_waits_for_its_oldest_call_to_leave_the_minute(pacer, time):
    for _ in range(50):
        call(pacer, time, "conversations.open", lasting=0.2)  # ends 100.2, 100.4, ... 110.0

    call(pacer, time, "conversations.open")

    assert [s for s in time.slept if s] == [pytest.approx(100.2 + 60 - 110.0)]


def test_a_call_counts_from_when_it_ended_so_slack_never_sees_more(pacer, time):
    call(pacer, time, "users.list", lasting=5)  # arrived at 100, ended at 105
    for _ in range(19):
        call(pacer, time, "users.list")

    call(pacer, time, "users.list")

    assert time.now == pytest.approx(165)  # Slack counted it at 100; we wait till 105 + 60


def test_each_method_waits_only_for_its_own_tier(pacer, time):
    for _ in range(20):
        call(pacer, time, "users.list")

    call(pacer, time, "users.lookupByEmail")
    call(pacer, time, "auth.test")  # no tier
    call(pacer, time, "chat.postMessage")  # no tier: its limits are per conversation

    assert not any(time.slept)


def test_a_shorter_minute_paces_the_same_calls_faster(time):
    pacer = Pacer(minute=1.5, clock=time.clock, sleep=time.sleep)
    for _ in range(101):
        call(pacer, time, "users.info")

    assert sum(time.slept) == pytest.approx(1.5)
