"""Exactly once, nothing lost: the outbox under repeated passes, two schedulers, a kill,
a 429 and a permanent failure (issue 3, section 8).

Every message the bot posts carries its outbox key in Slack message metadata, so the
stand-in's calls and conversation history say exactly which owed message reached Slack
and how often.

The tests with two `mentorbot tick` processes at once, one killed mid-delivery, or a
claim racing another scheduler's run on PostgreSQL only: SQLite takes one writer at a
time (a second process waits on, or times out against, its file lock) and has no row
locks, so it cannot show that claims with `FOR UPDATE SKIP LOCKED` keep concurrent
schedulers apart. CI runs the suite on both databases, so those tests run there.

The two-process test is end to end, and two claims only collide when they happen within
milliseconds of each other, so it would catch a non-atomic claim only by chance; the
claim test makes that collision happen on purpose.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading

import pytest
import sqlalchemy as sa

from bot.calendar import WorkingHours
from bot.demo.stand_in import TOKEN
from bot.messages.blocks import Message
from bot.models import OutboxMessage, OutboxStatus, Programme
from bot.rhythm import outbox as delivery
from bot.rhythm.outbox import Owed
from bot.rhythm.sending import LEASE
from bot.settings import Settings
from bot.slack import make_client
from tests.channels import COORDINATOR_CHANNEL, alerts_in, is_digest
from tests.conftest import ON_POSTGRES
from tests.rhythm.helpers_exactly_once import (
    FRIDAY,
    POST,
    WEDNESDAY,
    call_keys,
    finish,
    outbox,
    posted_keys,
    seed_pairs,
    summary_counts,
    tick_process,
    touch_pairs,
    wait_for,
)

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="concurrent writers and row locks need PostgreSQL (SQLite has one writer at a time)",
)


def assert_all_sent(engine, count: int) -> None:
    rows = outbox(engine)
    assert len(rows) == count
    assert {row.status for row in rows.values()} == {OutboxStatus.SENT}
    assert all(row.slack_ts for row in rows.values())


def test_planning_and_delivering_twice_at_one_instant_sends_each_message_once(
    walk, engine, settings, slack
):
    seed_pairs(engine, settings, slack, 5, next_check_at=FRIDAY - dt.timedelta(hours=1))

    first = walk.tick(FRIDAY)
    # A change to every pair makes the second pass plan them all again, at the same instant.
    touch_pairs(engine, FRIDAY)
    second = walk.tick(FRIDAY)

    keys = call_keys(slack)
    assert len(keys) == 10, keys  # a check-in and a nudge for each of the five pairs
    assert len(set(keys)) == 10
    assert sorted({key.split(":")[0] for key in keys}) == ["checkin", "nudge"]
    assert (first.planned, first.sent) == (10, 10)
    assert (second.pairs, second.planned, second.sent) == (5, 0, 0)
    assert posted_keys(slack) == dict.fromkeys(keys, 1)
    assert_all_sent(engine, 10)


@needs_postgres
def test_two_tick_processes_over_1000_due_pairs_send_each_message_once(
    engine, settings, slack, database_url, tmp_path
):
    seed_pairs(engine, settings, slack, 1000, next_check_at=WEDNESDAY - dt.timedelta(hours=1))

    processes = [
        tick_process(WEDNESDAY, database_url=database_url, slack=slack, cwd=tmp_path)
        for _ in range(2)
    ]
    summaries = [summary_counts(finish(process)) for process in processes]

    keys = call_keys(slack)
    assert len(keys) == 1000
    assert len(set(keys)) == 1000
    assert all(key.startswith("checkin:") for key in keys)
    assert posted_keys(slack) == dict.fromkeys(keys, 1)
    assert_all_sent(engine, 1000)
    # And last week's digest with its chart (the pairs are older than that week), once.
    assert sum(s["sent"] for s in summaries) == 1000 + 2, summaries
    assert sum(s["planned"] for s in summaries) == 1000 + 2, summaries
    assert len([m for m in slack.messages_in(COORDINATOR_CHANNEL) if is_digest(m)]) == 1
    assert len(slack.files_in(COORDINATOR_CHANNEL)) == 1


@needs_postgres
def test_a_claim_skips_rows_another_scheduler_holds_and_does_not_wait_for_them(
    engine, sessions, slack
):
    """The claim race the two-process test can only hit by chance, made to happen."""
    with sessions.begin() as session:
        owed = [
            Owed(f"test:{n}", "checkin", f"G{n:05d}", Message(f"message {n}"), WEDNESDAY)
            for n in range(6)
        ]
        delivery.enqueue(session, owed)
    client = make_client(token=TOKEN, base_url=slack.url, wait_on_429=False)

    with engine.connect() as other:  # another scheduler, between its claim and its commit
        held = other.scalars(
            sa.select(OutboxMessage.key).order_by(OutboxMessage.id).limit(3).with_for_update()
        ).all()
        other.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.key.in_(held))
            .values(status=OutboxStatus.SENDING, claimed_at=WEDNESDAY)
        )
        reports = []
        worker = threading.Thread(
            target=lambda: reports.append(
                delivery.deliver(sessions, client, WEDNESDAY, hours=WorkingHours())
            ),
            daemon=True,
        )
        worker.start()
        worker.join(timeout=15)
        finished = not worker.is_alive()
        other.commit()
    worker.join(timeout=15)

    assert finished, "delivery waited for rows another scheduler holds"
    assert reports[0].sent == 3
    assert sorted(call_keys(slack)) == ["test:3", "test:4", "test:5"]
    again = delivery.deliver(sessions, client, WEDNESDAY, hours=WorkingHours())
    assert (again.sent, again.reconciled) == (0, 0)
    assert set(call_keys(slack)).isdisjoint(held)


@needs_postgres
def test_a_pass_killed_mid_delivery_then_run_again_loses_none_and_duplicates_none(
    engine, settings, slack, database_url, tmp_path
):
    seed_pairs(engine, settings, slack, 60, next_check_at=WEDNESDAY - dt.timedelta(hours=1))
    slack.slow(POST, 0.05)
    process = tick_process(WEDNESDAY, database_url=database_url, slack=slack, cwd=tmp_path)
    wait_for(lambda: len(slack.calls_to(POST)) >= 19, what="19 posts")
    # Hold the next post inside Slack, so the kill lands after Slack has it and before we
    # record its ts: the crash this is about.
    slack.slow(POST, 1.0)
    held = len(slack.calls_to(POST))
    wait_for(lambda: len(slack.calls_to(POST)) > held, what="a post held by the stand-in")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    slack.slow(POST, 0)
    in_flight = call_keys(slack)[held]
    wait_for(lambda: in_flight in posted_keys(slack), what="Slack to accept the held post")

    before = outbox(engine)
    assert len(before) == 60
    assert before[in_flight].status == OutboxStatus.SENDING  # in Slack, not recorded
    assert sum(row.status == OutboxStatus.SENDING for row in before.values()) > 1
    # Of the first 19 posts, all but those still on their way (one a sender) were recorded.
    senders = Settings.model_fields["delivery_concurrency"].default
    assert sum(row.status == OutboxStatus.SENT for row in before.values()) >= 19 - senders

    again = tick_process(
        WEDNESDAY + LEASE + dt.timedelta(minutes=5),
        database_url=database_url,
        slack=slack,
        cwd=tmp_path,
    )
    second = summary_counts(finish(again))

    assert second["reconciled"] > 0, second
    assert posted_keys(slack) == dict.fromkeys(before, 1)
    assert_all_sent(engine, 60)
    # Reconciled: the ts recorded is the one of the message Slack accepted before the kill.
    after = outbox(engine)[in_flight]
    assert [m["ts"] for m in slack.history[after.channel]] == [after.slack_ts]


def test_a_long_retry_after_leaves_the_posts_for_a_later_pass_and_none_goes_before_it(
    walk, engine, settings, slack
):
    """Longer than MENTORBOT_MAX_RETRY_WAIT (30 s): the pass does not wait. No sender posts
    after the 429 (only those already on their way reach Slack), and the rest wait,
    pending, for the Retry-After."""
    seed_pairs(engine, settings, slack, 4, next_check_at=WEDNESDAY - dt.timedelta(hours=1))
    slack.rate_limit(POST, retry_after=120, times=1)

    first = walk.tick(WEDNESDAY)

    keys = call_keys(slack)
    limited = keys[0]  # the stand-in answered the first post with 429
    assert 1 <= len(keys) <= settings.delivery_concurrency
    assert posted_keys(slack) == dict.fromkeys(keys[1:], 1)
    rows = outbox(engine)
    waiting = {key for key, row in rows.items() if row.status == OutboxStatus.PENDING}
    assert limited in waiting
    assert waiting == set(rows) - set(keys[1:])
    for key in waiting:
        assert rows[key].error == "ratelimited"
        assert abs(rows[key].not_before - (WEDNESDAY + dt.timedelta(seconds=120))) <= dt.timedelta(
            seconds=1
        )
    # Four check-ins, and last week's digest with its chart (the pairs are older than it).
    assert (first.sent + first.retried, first.failed) == (4 + 2, 0)

    early = walk.tick(WEDNESDAY + dt.timedelta(seconds=119))
    assert early.sent == 0
    assert len(call_keys(slack)) == len(keys)

    later = walk.tick(WEDNESDAY + dt.timedelta(seconds=121))
    assert later.sent == first.retried
    assert sorted(call_keys(slack)[len(keys) :]) == sorted(waiting)
    assert posted_keys(slack) == dict.fromkeys(rows, 1)
    assert_all_sent(engine, 4)


def test_a_pass_waits_out_a_short_retry_after_and_delivers_everything_before_it_ends(
    walk, engine, settings, slack
):
    """Up to MENTORBOT_MAX_RETRY_WAIT, the pass (and so `mentorbot tick`) waits and tries
    again: nothing due is left to a later pass. The frozen clock moves; nobody sleeps."""
    seed_pairs(engine, settings, slack, 4, next_check_at=WEDNESDAY - dt.timedelta(hours=1))
    slack.rate_limit(POST, retry_after=5, times=3)

    summary = walk.tick(WEDNESDAY)

    assert (summary.sent, summary.retried, summary.failed) == (4 + 2, 0, 0)
    keys = call_keys(slack)
    assert len(keys) == 4 + 3  # three answered 429, and each sent once after
    assert posted_keys(slack) == dict.fromkeys(set(keys), 1)
    assert_all_sent(engine, 4)
    assert 5 <= walk.sleep.slept <= 3 * 5


def test_a_permanent_failure_is_recorded_once_alerted_once_and_never_retried(
    walk, engine, settings, slack
):
    seed_pairs(engine, settings, slack, 3, next_check_at=WEDNESDAY - dt.timedelta(hours=1))
    with engine.begin() as connection:  # no digest due now: none races a check-in to the
        connection.execute(sa.update(Programme).values(digest_weekday=4))  # planned failure
    slack.fail(POST, "channel_not_found")

    first = walk.tick(WEDNESDAY)

    keys = call_keys(slack)
    failed = keys[0]  # the stand-in answered the first post with channel_not_found
    row = outbox(engine)[failed]
    assert (row.status, row.error) == (OutboxStatus.FAILED, "channel_not_found")
    assert first.failed == 1
    alerts = alerts_in(slack)
    assert len(alerts) == 1
    assert "channel_not_found" in alerts[0]["text"]
    assert sorted(key.split(":")[0] for key in keys) == ["alert", "checkin", "checkin", "checkin"]
    assert posted_keys(slack) == dict.fromkeys(keys[1:], 1)

    # Later passes, with every pair planned again, neither retry it nor alert again.
    for later in (dt.timedelta(minutes=10), dt.timedelta(hours=6), dt.timedelta(days=1)):
        touch_pairs(engine, WEDNESDAY + later)
        walk.tick(WEDNESDAY + later)

    assert call_keys(slack).count(failed) == 1
    assert len(alerts_in(slack)) == 1
    rows = outbox(engine)
    assert (rows[failed].status, rows[failed].error) == (OutboxStatus.FAILED, "channel_not_found")
    assert {row.status for key, row in rows.items() if key != failed} == {OutboxStatus.SENT}
    assert posted_keys(slack)[failed] == 0
