"""/mentor-goals: list, add, done, edit, drop, for members of a pair, and every bad input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from bot.demo.slack_requests import blocks_text, mention
from bot.models import Goal, GoalStatus, OutboxMessage, OutboxStatus
from bot.services.goals import MAX_GOAL_LENGTH
from tests.conftest import COORDINATOR
from tests.db_state import count, snapshot

MENTOR, MENTEE, OTHER_MENTEE, STRANGER = "UMENTOR01", "UMENTEE01", "UMENTEE02", "USTRANGE1"
TOGETHER = "One you set and finished together: worth a moment to mark it before the next one."


@pytest.fixture
def paired(bot):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    bot.slack.add_user(OTHER_MENTEE, tz="Asia/Tokyo")
    bot.slack.add_user(STRANGER)
    reply = bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)
    assert "Paired" in reply.text
    bot.slack.reset_calls()
    return bot


def goals(bot, text="", user=MENTEE):
    return bot.command("/mentor-goals", text, user=user)


def posted_in_pair(bot, mentor=MENTOR, mentee=MENTEE):
    return [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(bot.slack.conversation_id(mentor, mentee))
    ]


def test_empty_list_invites_the_first_goal(paired):
    for text in ("", "list", "LIST"):
        reply = goals(paired, text)
        assert reply.json["response_type"] == "ephemeral"
        assert f"Open goals with <@{MENTOR}>* (0)" in reply.text
        assert "No open goals yet" in reply.text
    assert paired.slack.calls_to("chat.postMessage") == []


def test_add_is_confirmed_privately_and_posted_for_both(paired, sessions):
    reply = goals(paired, "add Give a talk at the guild by 2027-06-30")

    assert reply.json["response_type"] == "ephemeral"
    assert f"Goal *#1* added. I've posted it in your conversation with <@{MENTOR}>" in reply.text
    assert posted_in_pair(paired) == [
        f":dart: <@{MENTEE}> added goal *#1*: Give a talk at the guild — _by Wednesday 30 June 2027_"
    ]
    with sessions() as session:
        goal = session.scalars(sa.select(Goal)).one()
        assert goal.text == "Give a talk at the guild"
        assert goal.target_date.isoformat() == "2027-06-30"
        assert goal.owner.slack_user_id == MENTEE
        assert goal.status == GoalStatus.OPEN


def test_both_members_see_the_same_numbered_list(paired):
    goals(paired, "add Learn the deploy pipeline")
    goals(paired, "add Pair on a code review", user=MENTOR)
    goals(paired, "add Write a design doc by 2027-01-15")

    for user in (MENTOR, MENTEE):
        seen = goals(paired, user=user).text
        assert "(3)" in seen
        assert "*#1* Learn the deploy pipeline" in seen
        assert "*#2* Pair on a code review" in seen
        assert "*#3* Write a design doc — _by Friday 15 January 2027_" in seen


def test_done_edit_drop_keep_numbers_stable(paired, sessions):
    for text in ("add One", "add Two", "add Three"):
        goals(paired, text)

    assert "Goal *#2* completed" in goals(paired, "done 2").text
    assert "Goal *#3* edited" in goals(paired, "edit 3 Three, reworded by 2027-03-01").text
    assert "Goal *#1* dropped" in goals(paired, "drop #1", user=MENTOR).text

    listing = goals(paired).text
    assert "(1)" in listing
    assert "*#3* Three, reworded — _by Monday 1 March 2027_" in listing
    assert "#1" not in listing.split("\n", 1)[1] and "#2" not in listing
    assert posted_in_pair(paired)[-3:] == [
        f":tada: <@{MENTEE}> completed goal *#2*: Two\n{TOGETHER}",
        f"<@{MENTEE}> edited goal *#3*: Three, reworded — _by Monday 1 March 2027_",
        f"<@{MENTOR}> dropped goal *#1*: One",
    ]
    assert "Goal *#4* added" in goals(paired, "add Four").text
    with sessions() as session:
        statuses = dict(session.execute(sa.select(Goal.number, Goal.status)).all())
    assert statuses == {
        1: GoalStatus.DROPPED,
        2: GoalStatus.DONE,
        3: GoalStatus.OPEN,
        4: GoalStatus.OPEN,
    }


def test_user_text_is_stored_as_typed_and_cannot_ping_anyone(paired, sessions):
    # As Slack sends it: a typed @channel as <!channel>, a picked mention as <@U|name>,
    # and the characters & < > escaped.
    goals(paired, "add Ask <!channel> &amp; <@UOTHER01|olga> about &lt;b&gt; tags")

    with sessions() as session:
        assert (
            session.scalars(sa.select(Goal.text)).one() == "Ask <!channel> & @olga about <b> tags"
        )
    [posted] = posted_in_pair(paired)
    assert "<!channel>" not in posted and "<@" not in posted.replace(f"<@{MENTEE}>", "")
    assert "Ask &lt;!channel&gt; &amp; @olga about &lt;b&gt; tags" in posted
    assert "Ask &lt;!channel&gt; &amp; @olga about &lt;b&gt; tags" in goals(paired).text


def test_escaped_characters_count_once_towards_the_limit(paired):
    reply = goals(paired, "add " + "&lt;" * MAX_GOAL_LENGTH)
    assert "Goal *#1* added" in reply.text


@freeze_time("2026-11-22 23:30:00", tz_offset=0)
def test_past_dates_are_judged_in_the_persons_own_zone(paired):
    # 23:30 UTC on 22 Nov is already 23 Nov in Berlin (the mentee) but still 22 Nov in LA.
    assert "already past" in goals(paired, "add Berlin today by 2026-11-22", user=MENTEE).text
    assert "Goal *#1* added" in goals(paired, "add LA today by 2026-11-22", user=MENTOR).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("frobnicate", "`frobnicate` isn't something I can do with goals"),
        ("add", "The goal needs some words"),
        ("add    ", "The goal needs some words"),
        ("add " + "x" * (MAX_GOAL_LENGTH + 1), f"keep it to {MAX_GOAL_LENGTH} or fewer"),
        ("add Finish the course by 2027-02-30", "`2027-02-30` isn't a date I can read"),
        ("add Finish the course by 31/12/2027", "`31/12/2027` isn't a date I can read"),
        ("add Finish the course by 2020-01-01", "2020-01-01 is already past"),
        ("done", "`done` needs the number of a goal"),
        ("done two", "`two` isn't one"),
        ("done 0", "`done` needs the number of a goal"),
        ("done 9", "There's no open goal 9 in this pair"),
        ("drop 1 now please", "`drop` takes only the goal number"),
        ("edit 1", "The goal needs some words"),
        ("edit 9 New words", "There's no open goal 9"),
        (f"{mention(OTHER_MENTEE)} list", f"You and <@{OTHER_MENTEE}> aren't a pair"),
        ("@emil list", "`@emil` isn't a mention I can read as the partner"),
    ],
)
def test_bad_input_explains_and_writes_nothing(paired, sessions, text, expected):
    before = snapshot(sessions)

    reply = goals(paired, text)

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert expected in reply.text
    assert "Usage: `/mentor-goals" in reply.text
    assert snapshot(sessions) == before
    assert paired.slack.calls_to("chat.postMessage") == []


def test_closed_goals_cannot_be_changed_again(paired, sessions):
    goals(paired, "add One")
    goals(paired, "done 1")
    before = snapshot(sessions)

    for text in ("done 1", "drop 1", "edit 1 Again"):
        assert "Goal 1 is already done" in goals(paired, text).text
    assert snapshot(sessions) == before


def test_someone_in_no_pair_is_told_so(paired, sessions):
    for user in (STRANGER, COORDINATOR):
        reply = goals(paired, "add Something", user=user)
        assert "You're not in a mentoring pair yet" in reply.text
    assert count(sessions, Goal) == 0


def test_a_person_in_two_pairs_names_the_partner(paired, sessions):
    paired.command("/mentor-pair", f"{mention(MENTOR)} {mention(OTHER_MENTEE)}", user=COORDINATOR)
    paired.slack.reset_calls()

    asked = goals(paired, "add Shared goal", user=MENTOR)
    assert "You're in 2 pairs" in asked.text
    assert f"<@{MENTEE}>" in asked.text and f"<@{OTHER_MENTEE}>" in asked.text
    assert paired.slack.calls_to("chat.postMessage") == []

    named = goals(paired, f"{mention(OTHER_MENTEE)} add Ship it", user=MENTOR)
    assert f"with <@{OTHER_MENTEE}>" in named.text
    assert posted_in_pair(paired, MENTOR, OTHER_MENTEE) == [
        f":dart: <@{MENTOR}> added goal *#1*: Ship it"
    ]
    assert posted_in_pair(paired, MENTOR, MENTEE) == []
    # The mentee of the first pair, in one pair only, needs to name nobody and sees nothing of the other.
    assert "(0)" in goals(paired, user=MENTEE).text


def test_a_post_slack_refuses_keeps_the_goal_and_tells_the_coordinators(paired, sessions):
    """The goal is saved first and its post owed through the outbox (no Slack call inside
    the transaction); a post Slack refuses for good fails once, and coordinators hear."""
    paired.slack.fail("chat.postMessage", "not_in_channel")

    reply = goals(paired, "add Something")

    assert "#1" in reply.text
    with sessions() as session:
        assert [g.text for g in session.scalars(sa.select(Goal))] == ["Something"]
        row = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == "goal_changed")
        ).one()
        assert (row.status, row.error) == (OutboxStatus.FAILED, "not_in_channel")
        alert = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "alert")).one()
        assert alert.key == f"alert:failed:{row.key}"


def dms_to(bot, user):
    return [blocks_text(m["blocks"]) for m in bot.slack.messages_in(user)]


def test_a_goal_done_is_celebrated_and_the_mentor_asked_for_specific_praise(paired):
    with freeze_time("2026-10-06T17:00:00Z"):  # 10:00 for the mentor in Los Angeles
        goals(paired, "add Give a talk at the guild")
        goals(paired, "done 1")

    assert posted_in_pair(paired)[-1] == (
        f":tada: <@{MENTEE}> completed goal *#1*: Give a talk at the guild\n{TOGETHER}"
    )
    [praise] = dms_to(paired, MENTOR)
    assert f"<@{MENTEE}> has just finished goal *#1*: Give a talk at the guild" in praise
    assert "tell them specifically what they did well" in praise
    assert dms_to(paired, MENTEE) == []  # the mentee is celebrated, not told to praise


def test_the_praise_waits_for_the_mentors_working_hours_and_comes_once(paired, sessions):
    from bot.scheduler import Clock

    with freeze_time("2026-10-06T09:00:00Z"):  # 02:00 in Los Angeles
        goals(paired, "add Give a talk at the guild", user=MENTOR)
        goals(paired, "done 1", user=MENTOR)
    assert dms_to(paired, MENTOR) == []
    assert posted_in_pair(paired)[-1].startswith(f":tada: <@{MENTOR}> completed goal *#1*")

    clock = Clock(paired.deps.settings, sessions.kw["bind"])
    for instant in ("2026-10-06T12:00:00Z", "2026-10-06T17:00:00Z", "2026-10-06T18:00:00Z"):
        with freeze_time(instant):
            clock.tick()
    [praise] = dms_to(paired, MENTOR)
    assert "has just finished goal *#1*" in praise
    with sessions() as session:
        [row] = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "praise"))
        assert row.status is OutboxStatus.SENT
        assert row.sent_at.hour == 17  # 10:00 in Los Angeles, the start of working hours
