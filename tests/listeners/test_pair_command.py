"""/mentor-pair, sent as Slack sends it, checked by what people see and what is stored."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.calendar import WorkingHours
from bot.demo.slack_requests import blocks_text, mention
from bot.demo.stand_in import BOT_USER_ID
from bot.models import Cadence, OutboxMessage, OutboxStatus, Pair, Person
from bot.rhythm.passes import run_pass
from tests.conftest import COORDINATOR
from tests.db_state import count, snapshot

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"


@pytest.fixture
def people(bot):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles", name="maria")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin", name="emil")
    return bot


def pair_command(bot, text, user=COORDINATOR):
    return bot.command("/mentor-pair", text, user=user)


def test_pair_is_created_with_conversation_and_welcome(people, sessions):
    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)} weekly thu")

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert (
        f"Paired <@{MENTOR}> (mentor) with <@{MENTEE}> (mentee), weekly on Thursdays" in reply.text
    )

    opened = people.slack.calls_to("conversations.open")
    assert len(opened) == 1
    assert set(opened[0].args["users"].split(",")) == {MENTOR, MENTEE}
    conversation = people.slack.conversation_id(MENTOR, MENTEE)
    [welcome] = people.slack.messages_in(conversation)
    seen = blocks_text(welcome["blocks"])
    assert f"Hello <@{MENTOR}> and <@{MENTEE}>" in seen
    assert "agree your rhythm" in seen.lower()
    assert "I've pencilled in weekly on Thursdays" in seen and "Agree our rhythm" in seen
    assert "how fast you answer each other" in seen and "what you each hope" in seen
    assert f"<@{MENTEE}>, what would you like to get out of this?" in seen
    assert "/mentor-goals add" in seen

    with sessions() as session:
        pair = session.scalars(sa.select(Pair)).one()
        assert (pair.mentor.slack_user_id, pair.mentee.slack_user_id) == (MENTOR, MENTEE)
        assert pair.cadence == Cadence.WEEKLY and pair.weekday == 3
        assert pair.conversation_id == conversation
        assert pair.created_by == COORDINATOR
        assert pair.mentor.tz == "America/Los_Angeles" and pair.mentee.tz == "Europe/Berlin"
        # The names Slack shows (the stand-in's display names; its real names are "Maria", "Emil").
        assert (pair.mentor.name, pair.mentee.name) == ("maria", "emil")


def test_defaults_are_the_programmes_rhythm(people, sessions):
    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}")
    assert "biweekly on Tuesdays" in reply.text


def test_options_in_any_order_and_full_day_names(people):
    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)} Friday MONTHLY")
    assert "monthly on Fridays" in reply.text


def test_repairing_an_active_pair_is_refused(people, sessions):
    pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}")
    before = snapshot(sessions)
    people.slack.reset_calls()

    for text in (
        f"{mention(MENTOR)} {mention(MENTEE)} weekly",
        f"{mention(MENTEE)} {mention(MENTOR)}",
    ):
        reply = pair_command(people, text)
        assert reply.status == 200
        assert "already a pair" in reply.text
        assert "Usage: `/mentor-pair" in reply.text

    assert snapshot(sessions) == before
    assert people.slack.calls_to("conversations.open") == []
    assert people.slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "I need the mentor"),
        (f"{mention(MENTOR)}", "I need the mentee"),
        ("@maria @emil", "`@maria` isn't a mention I can read as the mentor"),
        (f"{mention(MENTOR)} emil", "`emil` isn't a mention I can read as the mentee"),
        (f"{mention(MENTOR)} {mention(MENTOR)}", "two different people"),
        (f"{mention(MENTOR)} {mention(MENTEE)} fortnightly", "I don't know `fortnightly`"),
        (f"{mention(MENTOR)} {mention(MENTEE)} sat", "I don't know `sat`"),
        (f"{mention(MENTOR)} {mention(BOT_USER_ID)}", "I can't be in a pair myself"),
        (f"{mention(MENTOR)} {mention('UNOBODY01')}", "can't find the user `UNOBODY01`"),
    ],
)
def test_bad_input_explains_and_writes_nothing(people, sessions, text, expected):
    before = snapshot(sessions)

    reply = pair_command(people, text)

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert expected in reply.text
    assert "Usage: `/mentor-pair @mentor @mentee" in reply.text
    assert snapshot(sessions) == before
    assert people.slack.calls_to("chat.postMessage") == []


def test_other_bots_and_deactivated_people_are_refused(people, sessions):
    people.slack.add_user("UROBOT001", is_bot=True)
    people.slack.add_user("UGONE0001", deleted=True)

    assert "is a bot" in pair_command(people, f"{mention(MENTOR)} {mention('UROBOT001')}").text
    assert "deactivated" in pair_command(people, f"{mention('UGONE0001')} {mention(MENTEE)}").text
    assert count(sessions, Pair) == 0


def test_only_coordinators_may_pair(people, sessions):
    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}", user=MENTEE)

    assert "Only programme coordinators can run `/mentor-pair`" in reply.text
    assert count(sessions, Pair) == 0 and count(sessions, Person) == 0
    assert people.slack.calls == []


def test_slack_refusing_the_conversation_saves_nothing(people, sessions):
    people.slack.fail("conversations.open", "user_disabled")

    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}")

    assert "Slack wouldn't let me do that (user_disabled), so nothing was saved" in reply.text
    assert count(sessions, Pair) == 0


def test_a_welcome_slack_refuses_is_said_and_the_coordinators_told(people, sessions):
    """The pair is stored with its welcome owed; no Slack call is made inside the
    transaction. A welcome Slack refuses for good is said in the reply, never claimed."""
    people.slack.fail("chat.postMessage", "channel_not_found")

    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}")

    assert "Paired" in reply.text
    assert "could not post the welcome there (channel_not_found)" in reply.text
    assert "posted a welcome" not in reply.text
    assert count(sessions, Pair) == 1
    with sessions() as session:
        welcome = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == "welcome")
        ).one()
        assert (welcome.status, welcome.error) == (OutboxStatus.FAILED, "channel_not_found")


def test_a_rate_limited_welcome_waits_for_the_next_pass(people, sessions):
    """A 429 does not hold the request (Slack wants its answer in 3 s): the welcome stays
    owed and the next scheduler pass posts it, once."""
    people.slack.rate_limit("chat.postMessage", retry_after=30)

    reply = pair_command(people, f"{mention(MENTOR)} {mention(MENTEE)}")

    assert "will post a welcome there as soon as Slack lets me" in reply.text
    assert count(sessions, Pair) == 1
    assert len(people.slack.calls_to("chat.postMessage")) == 1  # the 429

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    run_pass(sessions, people.deps.outbox_client, later, WorkingHours(days=frozenset(range(7))))

    posts = people.slack.calls_to("chat.postMessage")
    assert len(posts) == 2 and "paired for mentoring" in posts[1].args["text"]
