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

    walk.tick("2026-10-05T08:05:00Z")  # the clock's client does not sleep on a 429
    assert (count(sessions, PairRequest), count(sessions, Pair)) == (1, 0)

    walk.tick("2026-10-05T08:10:00Z")
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

    def finisher() -> None:
        start.wait()
        pair_requests.finish(
            sessions,
            bot.deps.outbox_client,
            request_id,
            now=bot.deps.now,
            deliver=bot.deps.deliver_now,
        )

    threads = [threading.Thread(target=finisher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (count(sessions, PairRequest), count(sessions, Pair)) == (0, 1)
    assert count(sessions, OutboxMessage) == 1  # the welcome, owed once
    assert len(welcomes(bot)) == 1
    assert len(bot.slack.calls_to("conversations.open")) == 1
