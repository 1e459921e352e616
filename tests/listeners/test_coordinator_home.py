"""The coordinators' programme overview on App Home: figures, the pairs needing a hand with
their buttons, coordinators only, no one's words, and a flat statement count."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from bot.demo.slack_requests import blocks_text, mention
from bot.demo.stand_in import TEAM_ID
from bot.messages import ids
from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSource,
    Pair,
    PairStatus,
    Person,
    Pulse,
    PulseAnswer,
    Reflection,
)
from tests.conftest import COORDINATOR
from tests.messages.slack_rules import check_home_view

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
NOW = "2026-10-08T12:00:00Z"  # a Thursday; the week is Monday 5 to Sunday 11 October
SECRET = "SECRET-PRIVATE-TEXT"
ACTION_IDS = {ids.DORMANT_NUDGE, ids.DORMANT_PAUSE, ids.DORMANT_CLOSE}


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def open_home(bot, user: str) -> dict:
    """The view published when `user` opens the Home tab."""
    event = {"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.1"}
    assert bot.event(event).status == 200
    [published] = bot.slack.calls_to("views.publish")
    bot.slack.reset_calls()
    assert published.args["user_id"] == user
    view = published.args["view"]
    check_home_view(view)
    return view


def buttons(view: dict) -> list[tuple[str, str]]:
    """(action_id, value) of every button in the view, in order."""
    return [
        (element["action_id"], element["value"])
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def add_pairs(sessions, programme_id: int, statuses: list[PairStatus], *, tag: str) -> list[int]:
    """Pairs straight through the ORM; pair n last met n days before 1 October (or never)."""
    with sessions.begin() as session:
        pairs = []
        for n, status in enumerate(statuses):
            pair = Pair(
                programme_id=programme_id,
                mentor=Person(team_id=TEAM_ID, slack_user_id=f"UMR{tag}{n:03d}"),
                mentee=Person(team_id=TEAM_ID, slack_user_id=f"UME{tag}{n:03d}"),
                cadence=Cadence.WEEKLY,
                weekday=1,
                status=status,
                created_by=COORDINATOR,
                created_at=at("2026-06-01"),
            )
            if n % 5:  # every fifth pair has never met
                held = dt.date(2026, 10, 1) - dt.timedelta(days=n)
                pair_meeting = Meeting(
                    pair=pair, held_on=held, source=MeetingSource.BUTTON, recorded_by="UX"
                )
                session.add(pair_meeting)
            session.add(pair)
            pairs.append(pair)
        session.flush()
        return [pair.id for pair in pairs]


def set_status(sessions, pair_id: int, status: PairStatus) -> None:
    with sessions.begin() as session:
        session.get_one(Pair, pair_id).status = status


def pair_status(sessions, pair_id: int) -> PairStatus:
    with sessions() as session:
        return session.get_one(Pair, pair_id).status


@freeze_time(NOW)
def test_a_coordinator_sees_the_overview_above_their_own_pairs(bot, sessions):
    for user in (MENTOR, MENTEE, "UMENTEE02"):
        bot.slack.add_user(user, tz="Europe/Berlin")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-pair", f"{mention(COORDINATOR)} {mention('UMENTEE02')}", user=COORDINATOR)
    bot.command("/mentor-log", "today", user=MENTEE)
    bot.command("/mentor-goals", "add Ship it", user="UMENTEE02")
    bot.command("/mentor-goals", "done 1", user="UMENTEE02")
    bot.slack.reset_calls()

    seen = blocks_text(open_home(bot, COORDINATOR)["blocks"])
    assert seen.index("Programme overview") < seen.index("Your mentoring")
    assert "Monday 5 October 2026 to Sunday 11 October 2026" in seen
    assert "*Pairs* · :large_green_circle: 2 active · :large_yellow_circle: 0 at risk" in seen
    assert "*Meetings* · 1 this week, 0 last week" in seen
    assert "*Goals completed this week* · 1" in seen
    assert "*Reflections written this week* · 0" in seen
    assert "*Pulse check-ins this week* · none answered yet" in seen
    assert "No pair needs a hand right now" in seen
    assert f"*With <@{'UMENTEE02'}>* — you are the mentor" in seen  # their own pair, below


@freeze_time(NOW)
def test_a_coordinator_in_no_pair_sees_only_the_overview(bot):
    seen = blocks_text(open_home(bot, COORDINATOR)["blocks"])
    assert "Programme overview" in seen
    assert "*Pairs* · :large_green_circle: 0 active" in seen
    assert "Your mentoring" not in seen
    assert "not in a mentoring pair" not in seen


class TestAProgrammeWithItsOwnDigestWeek:
    @pytest.fixture
    def settings(self, settings):
        return settings.model_copy(update={"timezone": "Pacific/Auckland", "digest_day": "wed"})

    @freeze_time("2026-10-06T12:00:00Z")  # Wednesday 7 October, 01:00 in Auckland
    def test_the_overview_counts_the_week_the_digest_will_report(self, bot):
        seen = blocks_text(open_home(bot, COORDINATOR)["blocks"])
        assert "Wednesday 7 October 2026 to Tuesday 13 October 2026" in seen


@freeze_time(NOW)
def test_members_never_see_the_overview(bot, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    add_pairs(sessions, bot.deps.programme_id, [PairStatus.DORMANT, PairStatus.AT_RISK], tag="X")
    bot.slack.reset_calls()

    coordinator = open_home(bot, COORDINATOR)
    assert "Programme overview" in blocks_text(coordinator["blocks"])
    assert {action for action, _ in buttons(coordinator)} == ACTION_IDS
    for user in (MENTOR, MENTEE, "UNEWCOMER"):
        view = open_home(bot, user)
        seen = blocks_text(view["blocks"])
        for overview_words in ("Programme overview", "need a hand", "active ·", "/mentor-pairs"):
            assert overview_words not in seen, (user, overview_words)
        assert "UMRX" not in json.dumps(view)
        assert buttons(view) == []


@freeze_time(NOW)
def test_the_pairs_needing_a_hand_come_longest_without_a_meeting_first_and_are_capped(
    bot, sessions
):
    statuses = [PairStatus.DORMANT, PairStatus.AT_RISK] * 12 + [PairStatus.ACTIVE] * 6
    pair_ids = add_pairs(sessions, bot.deps.programme_id, statuses, tag="C")
    view = open_home(bot, COORDINATOR)
    seen = blocks_text(view["blocks"])
    assert "*Pairs* · :large_green_circle: 6 active · :large_yellow_circle: 12 at risk" in seen
    assert "*24 pairs need a hand*, the longest without a meeting first:" in seen
    assert "…and 14 more: `/mentor-pairs dormant` and `/mentor-pairs at-risk`" in seen
    never_met = [pair_ids[n] for n in range(0, 24, 5)]  # n % 5 == 0, oldest pair first
    met = [pair_ids[n] for n in range(23, -1, -1) if n % 5]  # fewest days since: last
    expected = (never_met + met)[:10]
    assert [value for action, value in buttons(view) if action == ids.DORMANT_NUDGE] == [
        str(pair_id) for pair_id in expected
    ]
    assert {action for action, _ in buttons(view)} == ACTION_IDS
    assert "<@UMRC023> and <@UMEC023> · *at risk* · last met Tuesday 8 September 2026" in seen
    assert "(30 days ago)" in seen
    assert "UMRC021" in seen and "UMRC017" not in seen  # the eleventh is left for the command
    assert "<@UMRC000> and <@UMEC000> · *dormant* · no meeting recorded yet" in seen


@freeze_time(NOW)
def test_no_goal_reflection_or_note_text_reaches_the_overview(bot, sessions):
    [pair_id] = add_pairs(sessions, bot.deps.programme_id, [PairStatus.AT_RISK], tag="S")
    with sessions.begin() as session:
        pair = session.get_one(Pair, pair_id)
        mentor, mentee = pair.mentor, pair.mentee  # loaded before the new rows exist
        meeting = Meeting(
            pair=pair, held_on=dt.date(2026, 10, 6), source=MeetingSource.BUTTON, recorded_by="UX"
        )
        session.add_all(
            [
                Goal(pair=pair, number=1, owner=mentee, text=f"{SECRET} goal <b>&</b>"),
                Goal(
                    pair=pair,
                    number=2,
                    owner=mentee,
                    text=f"{SECRET} done goal",
                    status=GoalStatus.DONE,
                ),
                Reflection(
                    meeting=meeting,
                    author=mentor,
                    worked=f"{SECRET} worked",
                    did_not_work=f"{SECRET} did not",
                    differently=f"{SECRET} differently",
                    shared=True,
                ),
                Pulse(
                    pair_id=pair.id,
                    person_id=mentee.id,
                    day=30,
                    answer=PulseAnswer.NOT_WORKING,
                    note=f"{SECRET} pulse note",
                    answered_at=at("2026-10-07"),
                ),
            ]
        )
    view = open_home(bot, COORDINATOR)
    seen = blocks_text(view["blocks"])
    assert "*Goals completed this week* · 1" in seen  # the rows are there and counted
    assert "*Reflections written this week* · 1" in seen
    assert "*Pulse check-ins this week* · 1 not working" in seen
    assert "SECRET" not in json.dumps(view)


def home_button(view: dict, user: str, action_id: str, pair_id: int) -> dict:
    """A signed block_actions payload as Slack sends it for a button on the Home tab."""
    [action] = [
        {**element, "block_id": block["block_id"], "action_ts": "1.2"}
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id and element["value"] == str(pair_id)
    ]
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM_ID},
        "trigger_id": "1.2.home",
        "container": {"type": "view", "view_id": "V0HOME"},
        "view": {**view, "id": "V0HOME", "hash": "1.abc", "team_id": TEAM_ID},
        "actions": [action],
    }


def published_view(bot) -> dict:
    [published] = bot.slack.calls_to("views.publish")
    assert published.args["user_id"] == COORDINATOR
    view = published.args["view"]
    check_home_view(view)
    bot.slack.reset_calls()
    return view


@freeze_time(NOW)
def test_a_button_on_the_home_tab_acts_and_redraws_the_home_view(bot, sessions):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    mine = 1
    set_status(sessions, mine, PairStatus.DORMANT)
    [other] = add_pairs(sessions, bot.deps.programme_id, [PairStatus.DORMANT], tag="B")
    bot.slack.reset_calls()
    view = open_home(bot, COORDINATOR)
    assert {value for _, value in buttons(view)} == {str(mine), str(other)}

    # Someone who is not a coordinator, with a button they should never have seen: refused.
    assert bot.interaction(home_button(view, MENTEE, ids.DORMANT_PAUSE, mine)).status == 200
    assert pair_status(sessions, mine) is PairStatus.DORMANT
    [refusal] = bot.slack.calls_to("chat.postEphemeral")
    assert "Only programme coordinators" in refusal.args["text"]
    assert bot.slack.calls_to("views.publish") == []
    bot.slack.reset_calls()

    assert bot.interaction(home_button(view, COORDINATOR, ids.DORMANT_NUDGE, mine)).status == 200
    conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    assert any("been a little while" in m["text"] for m in bot.slack.messages_in(conversation))
    assert bot.slack.calls_to("chat.update") == []
    seen = blocks_text(published_view(bot)["blocks"])
    assert f"<@{COORDINATOR}> nudged <@{MENTOR}> and <@{MENTEE}> again." in seen
    assert "*2 pairs need a hand*" in seen

    assert bot.interaction(home_button(view, COORDINATOR, ids.DORMANT_PAUSE, other)).status == 200
    assert pair_status(sessions, other) is PairStatus.PAUSED
    redrawn = published_view(bot)
    seen = blocks_text(redrawn["blocks"])
    assert f"<@{COORDINATOR}> paused the pair of <@UMRB000> and <@UMEB000>." in seen
    assert "1 paused" in seen and "*1 pair needs a hand*" in seen
    assert {value for _, value in buttons(redrawn)} == {str(mine)}

    close = home_button(redrawn, COORDINATOR, ids.DORMANT_CLOSE, mine)
    assert bot.interaction(close).status == 200
    assert pair_status(sessions, mine) is PairStatus.CLOSED
    seen = blocks_text(published_view(bot)["blocks"])
    assert f"<@{COORDINATOR}> closed the pair of <@{MENTOR}> and <@{MENTEE}>." in seen
    assert "1 closed this week" in seen and "No pair needs a hand right now" in seen
    assert bot.slack.calls_to("chat.update") == []


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@freeze_time(NOW)
def test_opening_home_as_a_coordinator_costs_the_same_statements_for_5_and_50_pairs(
    bot, sessions, engine
):
    statuses = [PairStatus.ACTIVE, PairStatus.AT_RISK, PairStatus.DORMANT, PairStatus.PAUSED]
    open_home(bot, COORDINATOR)  # connect, and anything done once, before counting
    add_pairs(sessions, bot.deps.programme_id, (statuses * 2)[:5], tag="F")
    with statements(engine) as few:
        few_view = open_home(bot, COORDINATOR)
    add_pairs(sessions, bot.deps.programme_id, (statuses * 12)[:45], tag="M")
    with statements(engine) as many:
        many_view = open_home(bot, COORDINATOR)
    assert "*2 pairs need a hand*" in blocks_text(few_view["blocks"])
    assert "*24 pairs need a hand*" in blocks_text(many_view["blocks"])
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 10, "\n".join(many)
