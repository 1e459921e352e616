"""`/mentor-pair` is answered before Slack is asked anything; the request is finished after
the answer. A request Slack acknowledged is never lost (a process that stops right after
answering leaves it to the clock's next pass) and is finished once, however many try."""

from __future__ import annotations

import datetime as dt
import json
import threading

import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.models import OutboxMessage, Pair, PairRequest
from bot.rhythm import pair_requests
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
PAIR_TEXT = f"{mention(MENTOR)} {mention(MENTEE)} weekly tue"


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def answered_then_stopped(bot, monkeypatch) -> str:
    """/mentor-pair answered by a process that stops right after answering: the work
    after the answer never runs. Returns the command's response_url."""
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    monkeypatch.setattr(bot.deps.background, "run", lambda *args, **kwargs: None)
    reply = bot.command("/mentor-pair", PAIR_TEXT, user=COORDINATOR)
    assert "Pairing" in reply.first and "Paired" not in reply.text
    monkeypatch.undo()
    return reply.response_url


def welcomes(bot) -> list[dict]:
    conversation = bot.slack.messages_in(bot.slack.conversation_id(MENTOR, MENTEE))
    return [m for m in conversation if "paired for mentoring" in m["text"]]


def test_a_request_a_stopped_process_left_is_finished_by_the_next_pass(
    bot, walk, sessions, monkeypatch
):
    walk.to("2026-10-05T08:00:00Z")
    response_url = answered_then_stopped(bot, monkeypatch)
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (1, 0)
    assert bot.slack.calls_to("users.info") == []

    walk.tick("2026-10-05T08:05:00Z")

    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert len(welcomes(bot)) == 1
    told = bot.sender.response_urls.posted_to(response_url)
    assert ["Paired" in m["text"] for m in told] == [True]


def test_told_in_a_dm_once_the_response_url_has_expired(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    response_url = answered_then_stopped(bot, monkeypatch)

    walk.tick("2026-10-05T09:00:00Z")  # an hour later: the response_url lasts 30 minutes

    assert count(sessions, Pair) == 1
    assert bot.sender.response_urls.posted_to(response_url) == []
    [dm] = [
        c.args for c in bot.slack.calls_to("chat.postMessage") if c.args["channel"] == COORDINATOR
    ]
    assert "Paired" in dm["text"]


def test_a_request_refused_in_slack_is_forgotten_and_explained(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    response_url = answered_then_stopped(bot, monkeypatch)
    bot.slack.add_user(MENTEE, deleted=True)

    walk.tick("2026-10-05T08:05:00Z")

    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 0)
    [told] = bot.sender.response_urls.posted_to(response_url)
    assert "deactivated" in told["text"] and "Usage: `/mentor-pair" in json.dumps(told)


def test_a_rate_limited_look_up_waits_for_the_next_pass(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    answered_then_stopped(bot, monkeypatch)
    bot.slack.rate_limit("users.info", retry_after=30)

    walk.tick("2026-10-05T08:00:10Z")  # the clock's client does not sleep on a 429
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (1, 0)

    walk.tick("2026-10-05T08:00:20Z")  # released at once: no lease to wait out
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert len(welcomes(bot)) == 1


def test_a_request_being_finished_is_left_alone_until_its_claim_lapses(bot, walk, sessions):
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T08:00:00Z")
    now = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)
    with sessions.begin() as session:
        request_id = pair_requests.save(
            session,
            programme_id=bot.deps.programme_id,
            team_id="T0MENTOR",
            coordinator=COORDINATOR,
            mentor=MENTOR,
            mentee=MENTEE,
            cadence=None,
            weekday=None,
            response_url=None,
            now=now,
        )
        session.execute(sa.update(PairRequest).values(claimed_at=now))  # a process has it

    walk.tick(now + pair_requests.LEASE - dt.timedelta(seconds=1))
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (1, 0)

    walk.tick(now + pair_requests.LEASE + dt.timedelta(seconds=1))  # that process stopped
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert request_id


def test_finishers_racing_finish_a_request_once(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    answered_then_stopped(bot, monkeypatch)
    [request_id] = pair_requests.unfinished(sessions, dt.datetime.now(dt.UTC))
    bot.slack.slow("users.info", 0.2)  # long enough for every finisher to be on its way
    start = threading.Barrier(4)

    finished = []

    def finisher() -> None:
        start.wait()
        finished.append(
            pair_requests.finish(
                sessions,
                bot.deps.outbox_client,
                request_id,
                now=bot.deps.now,
                deliver=bot.deps.deliver_now,
            )
        )

    threads = [threading.Thread(target=finisher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(finished) == [False, False, False, True]
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert count(sessions, OutboxMessage) == 1  # the welcome, owed once
    assert len(welcomes(bot)) == 1
    assert len(bot.slack.calls_to("conversations.open")) == 1


def test_a_finisher_whose_claim_lapsed_changes_nothing_and_tells_nobody(
    bot, walk, sessions, monkeypatch
):
    """Slack so slow that a finisher's claim lapses: the pass takes the request over and
    finishes it; the first finisher, when Slack finally answers, stores nothing."""
    walk.to("2026-10-05T08:00:00Z")
    response_url = answered_then_stopped(bot, monkeypatch)
    [request_id] = pair_requests.unfinished(sessions, dt.datetime.now(dt.UTC))
    late = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)
    took_over = late + pair_requests.LEASE + dt.timedelta(seconds=1)
    moments = iter([late, took_over, took_over])

    def slow_look_up(user_id):  # while the first finisher waits, the pass takes over
        if user_id == MENTOR and next(moments) == late:
            walk.tick(took_over)
        return real_look_up(bot.deps.outbox_client, user_id)

    real_look_up = pair_requests.lookup_user
    monkeypatch.setattr(pair_requests, "_pairable", lambda client, user_id: slow_look_up(user_id))
    first = pair_requests.finish(
        sessions,
        bot.deps.outbox_client,
        request_id,
        now=lambda: late,
        deliver=bot.deps.deliver_now,
    )

    assert first is False
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert len(welcomes(bot)) == 1
    assert ["Paired" in m["text"] for m in bot.sender.response_urls.posted_to(response_url)] == [
        True
    ]


def test_a_request_slack_never_answers_is_given_up_and_explained(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    response_url = answered_then_stopped(bot, monkeypatch)
    bot.slack.server_error("users.info", performed=False, times=100)

    for minute in range(1, pair_requests.MAX_ATTEMPTS + 2):
        walk.tick(dt.datetime(2026, 10, 5, 8, minute, tzinfo=dt.UTC))

    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 0)
    [told] = bot.sender.response_urls.posted_to(response_url)
    assert "Slack didn't answer" in told["text"]


def test_a_request_failing_unforeseen_does_not_stop_the_pass(bot, walk, sessions, monkeypatch):
    walk.to("2026-10-05T08:00:00Z")
    answered_then_stopped(bot, monkeypatch)

    def broken(*args, **kwargs):
        raise KeyError("channel")

    monkeypatch.setattr(pair_requests, "_store", broken)
    summary = walk.tick("2026-10-05T08:05:00Z")

    assert summary is not None  # the pass went on to plan and deliver
    assert count(sessions, PairRequest) == 1  # and the request waits for a later pass
