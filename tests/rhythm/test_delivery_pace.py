"""Delivering at Slack's pace (issue 9, item 4): a bounded pool of senders that keeps each
conversation's messages in order, and a 429's Retry-After shared by every sender of every
process through the database, waited out by a pass when it is short.

Time is frozen: a sender waiting out a Retry-After moves the frozen clock instead of
sleeping (tests/rhythm/conftest.py's FrozenSleep). The stand-in's latency is real but
tiny, only so that posts overlap."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from slack_sdk import WebClient

from bot.calendar import WorkingHours
from bot.db import make_engine, make_sessionmaker
from bot.demo.stand_in import TOKEN
from bot.messages.blocks import Message
from bot.models import OutboxStatus, SlackRateLimit
from bot.rhythm import outbox as delivery
from bot.rhythm.outbox import Owed
from bot.rhythm.pacing import Pace
from bot.rhythm.sending import LEASE
from bot.scheduler import Clock
from bot.slack import make_client
from tests.rhythm.conftest import FrozenSleep
from tests.rhythm.helpers_exactly_once import POST, WEDNESDAY, metadata_key, outbox

HOURS = WorkingHours()
SENDERS = 4
LATENCY = 0.01  # seconds: enough for four posts to be in flight together


class InFlight(WebClient):
    """A Web API client that counts the posts on their way to Slack, overall and by
    conversation, as they leave and as they come back."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lock = threading.Lock()
        self.now: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.total = self.most_total = 0

    def api_call(self, api_method: str, *args, **kwargs):
        channel = (kwargs.get("json") or {}).get("channel", "")
        with self.lock:
            self.now[channel] += 1
            self.total += 1
            self.most[channel] = max(self.most[channel], self.now[channel])
            self.most_total = max(self.most_total, self.total)
        try:
            return super().api_call(api_method, *args, **kwargs)
        finally:
            with self.lock:
                self.now[channel] -= 1
                self.total -= 1


@pytest.fixture
def frozen():
    with freeze_time(WEDNESDAY) as frozen:
        yield frozen


@pytest.fixture
def sleep(frozen) -> FrozenSleep:
    return FrozenSleep(frozen)


@pytest.fixture
def pace(sleep) -> Pace:
    """A scheduler pass's pace: four senders, Retry-After up to 30 s waited out."""
    return Pace(concurrency=SENDERS, max_wait=30, sleep_until=sleep)


@pytest.fixture
def client(slack):
    return make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)


def owe(sessions, channels: int, per_channel: int, *, interleaved: bool = True) -> list[str]:
    """`per_channel` messages to each of `channels` conversations, owed interleaved (one to
    each conversation, then a second to each ...) or a conversation's all together; their
    keys in the order owed."""
    pairs = [(c, n) for n in range(per_channel) for c in range(channels)]
    if not interleaved:
        pairs.sort()
    owed = [
        Owed(f"test:{c}:{n}", "meeting_recorded", f"G{c:05d}", Message(f"{c}:{n}"), WEDNESDAY)
        for c, n in pairs
    ]
    with sessions.begin() as session:
        delivery.enqueue(session, owed)
    return [o.key for o in owed]


def keys_in(slack, channel: str) -> list[str]:
    with slack._lock:
        return [metadata_key(m) for m in slack.history[channel]]


def posted(slack) -> Counter[str]:
    with slack._lock:
        return Counter(metadata_key(m) for ms in slack.history.values() for m in ms)


@pytest.mark.parametrize("interleaved", [False, True], ids=["grouped", "interleaved"])
def test_each_conversation_gets_its_messages_in_order_from_one_sender_at_a_time(
    sessions, slack, pace, interleaved
):
    keys = owe(sessions, channels=6, per_channel=5, interleaved=interleaved)
    slack.slow(POST, LATENCY)
    client = InFlight(token=TOKEN, base_url=slack.url)

    report = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, pace=pace)

    assert report.sent == 30
    for c in range(6):
        assert keys_in(slack, f"G{c:05d}") == [k for k in keys if k.startswith(f"test:{c}:")]
    assert set(client.most.values()) == {1}  # never two posts to one conversation at once
    assert 1 < client.most_total <= SENDERS  # but several conversations at once


def test_one_sender_does_everything_when_the_pace_says_one(sessions, slack, sleep):
    owe(sessions, channels=6, per_channel=2)
    slack.slow(POST, LATENCY)
    client = InFlight(token=TOKEN, base_url=slack.url)
    one = Pace(concurrency=1, max_wait=30, sleep_until=sleep)

    assert delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, pace=one).sent == 12
    assert client.most_total == 1


def test_a_429_to_one_sender_stops_the_others_calling_until_retry_after(
    sessions, slack, client, pace, sleep
):
    keys = owe(sessions, channels=40, per_channel=1)
    slack.slow(POST, LATENCY)
    slack.rate_limit(POST, retry_after=10, times=1)
    arrivals: list[dt.datetime] = []  # the frozen clock as each post reaches Slack
    slack.watchers.append(
        lambda method: arrivals.append(dt.datetime.now(dt.UTC)) if method == POST else None
    )

    report = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, pace=pace)

    # The first post met the 429 at WEDNESDAY. Only posts already on their way (at most one
    # per other sender) reached Slack before the Retry-After had passed.
    assert arrivals[0] == WEDNESDAY
    early = [at for at in arrivals[1:] if at < WEDNESDAY + dt.timedelta(seconds=10)]
    assert len(early) <= SENDERS - 1
    assert len(arrivals) == 41
    assert (report.sent, report.retried, report.failed) == (40, 0, [])
    assert report.waited == pytest.approx(10)
    assert sleep.slept == pytest.approx(10)  # the senders waited together
    assert posted(slack) == dict.fromkeys(keys, 1)


def test_the_wait_is_in_the_database_for_every_process_using_the_token(
    engine, sessions, database_url, slack, client
):
    """The web process's listener meets a 429; the clock process (another engine, another
    client) then calls chat.postMessage not once before the Retry-After, and after it
    sends both."""
    first = owe(sessions, channels=1, per_channel=1)
    slack.rate_limit(POST, retry_after=120, times=1)
    listener = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, keys=first)
    assert (listener.sent, listener.retried) == (0, 1)

    other_engine = make_engine(database_url)
    try:
        with make_sessionmaker(other_engine)() as session:
            [limit] = session.scalars(sa.select(SlackRateLimit)).all()
        assert limit.method == POST
        assert abs(limit.until - (WEDNESDAY + dt.timedelta(seconds=120))) < dt.timedelta(seconds=1)

        other = make_sessionmaker(other_engine)
        with other.begin() as session:
            owed = Owed("test:other", "meeting_recorded", "G00009", Message("x"), WEDNESDAY)
            delivery.enqueue(session, [owed])
        other_client = make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)
        waiting = Pace(max_wait=30)
        a_minute_on = WEDNESDAY + dt.timedelta(seconds=60)

        held = delivery.deliver(other, other_client, a_minute_on, hours=HOURS, pace=waiting)

        assert (held.sent, held.retried, held.waited) == (0, 1, 0)
        assert len(slack.calls_to(POST)) == 1  # only the one that met the 429
        row = outbox(engine)["test:other"]
        assert (row.status, row.error) == (OutboxStatus.PENDING, "ratelimited")
        assert abs(row.not_before - limit.until) < dt.timedelta(seconds=1)

        after = WEDNESDAY + dt.timedelta(seconds=121)
        done = delivery.deliver(other, other_client, after, hours=HOURS, pace=waiting)
    finally:
        other_engine.dispose()

    assert done.sent == 2
    assert posted(slack) == {first[0]: 1, "test:other": 1}


def test_a_listener_never_waits_and_leaves_the_rest_of_the_conversation_in_order(
    engine, sessions, slack, client
):
    keys = owe(sessions, channels=1, per_channel=3)
    slack.rate_limit(POST, retry_after=5, times=1)

    report = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, keys=keys)

    assert (report.sent, report.retried, report.waited) == (0, 3, 0)
    assert len(slack.calls_to(POST)) == 1
    rows = outbox(engine)
    assert {rows[k].status for k in keys} == {OutboxStatus.PENDING}
    assert [rows[k].attempts for k in keys] == [1, 0, 0]  # only the first was tried

    later = WEDNESDAY + dt.timedelta(seconds=6)
    again = delivery.deliver(sessions, client, later, hours=HOURS, keys=keys)
    assert again.sent == 3
    assert keys_in(slack, "G00000") == keys


def test_none_lost_none_doubled_with_429s_and_5xx_among_four_senders(
    engine, sessions, slack, client, pace, frozen
):
    keys = owe(sessions, channels=12, per_channel=5)
    slack.slow(POST, LATENCY)
    slack.rate_limit(POST, retry_after=3, times=2)
    slack.server_error(POST, performed=True)
    slack.rate_limit(POST, retry_after=1, times=3)
    slack.server_error(POST, performed=False, status=503)
    slack.unreadable(POST, performed=True)
    slack.rate_limit(POST, retry_after=2, times=1)

    first = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, pace=pace)

    assert (first.sent, first.retried, first.failed) == (57, 3, [])
    assert first.waited >= 3
    unknown = {k for k, row in outbox(engine).items() if row.status == OutboxStatus.SENDING}
    assert len(unknown) == 3

    frozen.move_to(WEDNESDAY + LEASE + dt.timedelta(minutes=1))
    later = delivery.deliver(
        sessions, client, WEDNESDAY + LEASE + dt.timedelta(minutes=1), hours=HOURS, pace=pace
    )

    assert (later.reconciled, later.sent) == (3, 1)  # the 503 was not posted: posted now
    assert posted(slack) == dict.fromkeys(keys, 1)
    assert {row.status for row in outbox(engine).values()} == {OutboxStatus.SENT}


def test_one_pass_delivers_everything_under_the_workspace_cap(
    engine, sessions, slack, client, pace, sleep
):
    """The stand-in's own rate limits (bot/demo/rate_limits.py) on the frozen clock: five
    posts a Slack minute of 20 s in the whole workspace. Twelve messages take three windows,
    waited out within the one pass, and Slack refuses a post only when the window is full."""
    keys = owe(sessions, channels=12, per_channel=1)
    slack.limit(minute=20, workspace_posts=5, clock=lambda: time.monotonic())

    report = delivery.deliver(sessions, client, WEDNESDAY, hours=HOURS, pace=pace)

    assert (report.sent, report.retried, report.failed) == (12, 0, [])
    assert posted(slack) == dict.fromkeys(keys, 1)
    assert {row.status for row in outbox(engine).values()} == {OutboxStatus.SENT}
    # Two full windows waited out; a third at most, when a 429 reaches its sender only after
    # another sender's wait has moved the frozen clock 20 s on (its wait then counts from there).
    assert 40 - 0.01 <= sleep.slept <= 60 + 0.01
    assert 1 <= slack.limited[POST] <= 2 * SENDERS  # at most each sender once a window


def test_a_pass_takes_its_pace_from_the_settings(settings, engine):
    chosen = settings.model_copy(update={"delivery_concurrency": 2, "max_retry_wait": 5})

    pace = Clock(chosen, engine).pace

    assert (pace.concurrency, pace.max_wait) == (2, 5)
