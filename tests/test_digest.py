"""The weekly digest: figures against a hand-counted programme, its chart, its message.

The week is Monday 3 March 2025 to Sunday 9 March 2025 (UTC). Every figure below was
counted by hand from the rows `hand_counted` writes; the comments beside each row say
which figure it counts towards and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from slack_sdk.models.blocks import Block
from sqlalchemy import orm as so

from bot.messages import ids
from bot.messages.chart import meetings_chart
from bot.messages.digest import MAX_PAIRS_SHOWN, chart_upload, digest_message
from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    MeetingSource,
    Pair,
    PairStatus,
    Person,
    Programme,
    Reflection,
)
from bot.services.digest import MAX_ATTENTION, AttentionPair, DigestFigures, weekly_figures
from tests.messages.slack_rules import check_message

UTC = dt.UTC
WEEK_START = dt.datetime(2025, 3, 3, tzinfo=UTC)
WEEK_END = dt.datetime(2025, 3, 10, tzinfo=UTC)
NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
SECRET_GOAL = "SECRET-GOAL-TEXT"
SECRET_REFLECTION = "SECRET-REFLECTION-TEXT"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=UTC)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


class Scene:
    """Writes rows straight through the ORM; `pairs` maps a short name to its pair."""

    def __init__(self, session: so.Session, name: str) -> None:
        self.session = session
        handle = "-".join(name.lower().split())[:32]
        self.programme = Programme(
            handle=handle, name=name, default_cadence=Cadence.WEEKLY, default_weekday=1
        )
        session.add(self.programme)
        self.pairs: dict[str, Pair] = {}
        self.meetings: dict[tuple[str, dt.date], Meeting] = {}

    def pair(self, name: str, status: PairStatus, closed_at: dt.datetime | None = None) -> Pair:
        mentor = Person(team_id="T1", slack_user_id=f"UMR{self.programme.name}{name}")
        mentee = Person(team_id="T1", slack_user_id=f"UME{self.programme.name}{name}")
        pair = Pair(
            programme=self.programme,
            mentor=mentor,
            mentee=mentee,
            cadence=Cadence.WEEKLY,
            weekday=1,
            status=status,
            closed_at=closed_at,
            created_by="UCOORD01",
            created_at=at("2024-11-04"),
        )
        self.session.add(pair)
        self.pairs[name] = pair
        return pair

    def met(self, name: str, *days: str) -> None:
        for day in days:
            meeting = Meeting(
                pair=self.pairs[name],
                held_on=d(day),
                source=MeetingSource.BUTTON,
                recorded_by="UX",
                created_at=at(day),
            )
            self.session.add(meeting)
            self.meetings[(name, d(day))] = meeting

    def goal(self, name: str, status: GoalStatus, updated_at: dt.datetime) -> None:
        pair = self.pairs[name]
        self.session.add(
            Goal(
                pair=pair,
                number=len(pair.goals) + 1,
                owner=pair.mentee,
                text=f"{SECRET_GOAL} <b>&</b> of {name}",
                status=status,
                created_at=at("2025-01-02"),
                updated_at=updated_at,
            )
        )

    def reflected(self, name: str, day: str, created_at: dt.datetime, *, mentor: bool) -> None:
        pair = self.pairs[name]
        self.session.add(
            Reflection(
                meeting=self.meetings[(name, d(day))],
                author=pair.mentor if mentor else pair.mentee,
                worked=f"{SECRET_REFLECTION} worked",
                did_not_work=f"{SECRET_REFLECTION} did not",
                differently=f"{SECRET_REFLECTION} differently",
                shared=True,
                created_at=created_at,
                updated_at=created_at,
            )
        )


def hand_counted(session: so.Session) -> Scene:
    p = Scene(session, "P")
    for name in ("A1", "A2", "A3"):
        p.pair(name, PairStatus.ACTIVE)  # active: 3
    p.pair("R1", PairStatus.AT_RISK)  # at risk: 2
    p.pair("R2", PairStatus.AT_RISK)
    p.pair("D1", PairStatus.DORMANT)  # dormant: 2
    p.pair("D2", PairStatus.DORMANT)  # never met: first in the attention list
    p.pair("S1", PairStatus.PAUSED)  # paused: 1
    p.pair("C1", PairStatus.CLOSED, at("2025-03-05"))  # closed this week: 1
    p.pair("C2", PairStatus.CLOSED, at("2025-02-27"))  # closed last week: not counted
    p.pair("C3", PairStatus.CLOSED, WEEK_END)  # closed at the week's end: next week

    # Charted weeks start 16 Dec 2024 and go to this week, 3 Mar 2025.
    p.met("D1", "2024-12-09", "2024-12-16", "2025-01-06")  # 9 Dec is before the chart
    p.met("R1", "2025-01-20", "2025-02-03")
    p.met("R2", "2025-02-10", "2025-02-12")
    p.met("C2", "2025-01-27")
    p.met("S1", "2025-02-17")
    p.met("A1", "2025-02-24", "2025-03-03")  # last week; this week (its first day)
    p.met("A2", "2025-03-02", "2025-03-05", "2025-03-10")  # last week; this week; next week
    p.met("A3", "2025-02-26", "2025-03-09")  # last week; this week (its last day)
    p.met("C1", "2025-03-04")  # this week

    p.goal("A1", GoalStatus.DONE, at("2025-03-04"))  # goals completed: 2
    p.goal("A2", GoalStatus.DONE, at("2025-03-09", "23:59"))
    p.goal("A3", GoalStatus.DONE, at("2025-02-28"))  # done last week
    p.goal("R1", GoalStatus.OPEN, at("2025-03-05"))  # touched, not done
    p.goal("A1", GoalStatus.DROPPED, at("2025-03-05"))  # dropped is not completed
    p.goal("C1", GoalStatus.DONE, WEEK_END)  # next week

    p.reflected("A1", "2025-03-03", at("2025-03-03", "18:00"), mentor=True)  # reflections: 3
    p.reflected("A1", "2025-03-03", at("2025-03-04"), mentor=False)
    p.reflected("A2", "2025-03-02", at("2025-03-03", "08:00"), mentor=True)  # last week's meeting
    p.reflected("A3", "2025-02-26", at("2025-02-26"), mentor=True)  # written last week
    p.reflected("A2", "2025-03-05", WEEK_END, mentor=False)  # written next week

    # Another programme's busy week, none of which is P's.
    q = Scene(session, "Q")
    q.pair("X1", PairStatus.ACTIVE)
    q.pair("X2", PairStatus.DORMANT)
    q.pair("X3", PairStatus.CLOSED, at("2025-03-05"))
    q.met("X1", "2025-03-04", "2025-02-25")
    q.goal("X1", GoalStatus.DONE, at("2025-03-05"))
    q.reflected("X1", "2025-03-04", at("2025-03-05"), mentor=True)
    session.flush()
    return p


EXPECTED_WEEKS = [
    (d("2024-12-16"), 1),  # D1
    (d("2024-12-23"), 0),
    (d("2024-12-30"), 0),
    (d("2025-01-06"), 1),  # D1
    (d("2025-01-13"), 0),
    (d("2025-01-20"), 1),  # R1
    (d("2025-01-27"), 1),  # C2
    (d("2025-02-03"), 1),  # R1
    (d("2025-02-10"), 2),  # R2 twice
    (d("2025-02-17"), 1),  # S1
    (d("2025-02-24"), 3),  # A1, A2, A3
    (d("2025-03-03"), 4),  # A1, A2, A3, C1
]


@pytest.fixture
def figures(sessions: so.sessionmaker[so.Session]) -> tuple[DigestFigures, Scene]:
    with sessions.begin() as session:
        scene = hand_counted(session)
    with sessions() as session:
        result = weekly_figures(
            session, programme_id=scene.programme.id, week_start=WEEK_START, week_end=WEEK_END
        )
    return result, scene


def test_every_figure_is_the_hand_count(figures):
    result, scene = figures
    ids = {name: pair.id for name, pair in scene.pairs.items()}
    assert (result.week_start, result.week_end) == (WEEK_START, WEEK_END)
    assert (result.active, result.at_risk, result.dormant, result.paused) == (3, 2, 2, 1)
    assert result.closed_this_week == 1
    assert (result.meetings_this_week, result.meetings_last_week) == (4, 3)
    assert result.goals_completed == 2
    assert result.reflections == 3
    assert result.pulses == {}
    assert result.attention_total == 4
    assert result.attention == [
        AttentionPair(ids["D2"], "UMRPD2", "UMEPD2", PairStatus.DORMANT, None),
        AttentionPair(ids["D1"], "UMRPD1", "UMEPD1", PairStatus.DORMANT, d("2025-01-06")),
        AttentionPair(ids["R1"], "UMRPR1", "UMEPR1", PairStatus.AT_RISK, d("2025-02-03")),
        AttentionPair(ids["R2"], "UMRPR2", "UMEPR2", PairStatus.AT_RISK, d("2025-02-12")),
    ]


def test_the_twelve_week_series(figures):
    result, _ = figures
    assert result.meetings_per_week == EXPECTED_WEEKS
    assert [count for _, count in result.meetings_per_week[-2:]] == [3, 4]


def test_pulse_answers_come_from_the_counter_it_is_given(sessions):
    with sessions.begin() as session:
        scene = hand_counted(session)
    asked = []

    def pulse_counts(session, **window):
        asked.append(window)
        return {"not_working": 1, "going_well": 2, "could_be_better": 0}

    with sessions() as session:
        result = weekly_figures(
            session,
            programme_id=scene.programme.id,
            week_start=WEEK_START,
            week_end=WEEK_END,
            pulse_counts=pulse_counts,
        )
    assert result.pulses == {"not_working": 1, "going_well": 2, "could_be_better": 0}
    assert asked == [
        {"programme_id": scene.programme.id, "week_start": WEEK_START, "week_end": WEEK_END}
    ]
    text = json.dumps(digest_message(result, today=NOW.date()).blocks, ensure_ascii=False)
    assert "2 going well · 0 could be better · 1 not working" in text


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, which must come first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", png[16:24])


def test_the_chart_is_a_png(figures):
    result, _ = figures
    png = meetings_chart(result.meetings_per_week)
    assert png.startswith(PNG_SIGNATURE)
    width, height = png_size(png)
    assert width > 0
    assert height > 0
    assert png.rstrip().endswith(b"IEND\xaeB`\x82")


def test_the_chart_upload_carries_words_from_prompts(figures):
    result, _ = figures
    upload = chart_upload(result)
    assert upload.content.startswith(PNG_SIGNATURE)
    kwargs = upload.as_kwargs()
    assert kwargs["filename"].endswith(".png")
    assert kwargs["title"] == "Meetings per week, last 12 weeks"
    assert "1, 0, 0, 1, 0, 1, 1, 1, 2, 1, 3, 4" in kwargs["alt_txt"]


def test_a_chart_of_no_meetings_is_still_a_png():
    weeks = [(d("2025-03-03") - dt.timedelta(weeks=n), 0) for n in range(12)][::-1]
    width, height = png_size(meetings_chart(weeks))
    assert width > 0
    assert height > 0


def test_the_message_validates_and_lists_the_pairs_needing_a_hand(figures):
    result, scene = figures
    message = digest_message(result, today=NOW.date())
    check_message(message)
    assert len(message.blocks) <= 50
    assert [Block.parse(b).to_dict() for b in message.blocks] == message.blocks
    actions = [b for b in message.blocks if b["type"] == "actions"]
    order = ["D2", "D1", "R1", "R2"]
    assert [[e["value"] for e in b["elements"]] for b in actions] == [
        [str(scene.pairs[name].id)] * 3 for name in order
    ]
    assert {tuple(e["action_id"] for e in b["elements"]) for b in actions} == {
        (ids.DORMANT_NUDGE, ids.DORMANT_PAUSE, ids.DORMANT_CLOSE)
    }
    text = json.dumps(message.blocks)
    for expected in ("3 active", "2 at risk", "2 dormant", "1 paused", "1 closed this week"):
        assert expected in text
    assert "4 this week, 3 last week" in text
    assert "<@UMRPD1> and <@UMEPD1>" in text
    assert "Monday 6 January 2025 (63 days ago)" in text
    assert "no meeting recorded yet" in text


def test_no_private_text_reaches_the_coordinators(figures):
    result, _ = figures
    message = digest_message(result, today=NOW.date())
    upload = chart_upload(result)
    seen = [
        repr(result),
        message.text,
        json.dumps(message.blocks),
        upload.title,
        upload.alt_txt,
        upload.content.decode("latin-1"),
    ]
    for secret in (SECRET_GOAL, SECRET_REFLECTION, "SECRET"):
        assert not any(secret in text for text in seen), secret


def test_the_figures_are_plain_values(figures):
    result, _ = figures
    values = dataclasses.astuple(result)  # deep-copies: fails on ORM objects with sessions
    assert "Pair(" not in repr(values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.active = 0  # type: ignore[misc]


def many_pairs(session: so.Session, count: int) -> int:
    """`count` pairs in every status, each with meetings, a done goal and a reflection."""
    scene = Scene(session, f"N{count}")
    statuses = list(PairStatus)
    for n in range(count):
        name = f"{n:03d}"
        status = statuses[n % len(statuses)]
        scene.pair(name, status, at("2025-03-05") if status is PairStatus.CLOSED else None)
        days = [WEEK_START.date() - dt.timedelta(days=7 * k + n % 7) for k in range(n % 4)]
        scene.met(name, *(day.isoformat() for day in days))
        scene.goal(name, GoalStatus.DONE, at("2025-03-04"))
        if days:
            scene.reflected(name, days[0].isoformat(), at("2025-03-04"), mentor=True)
    session.flush()
    return scene.programme.id


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def figures_statements(sessions, engine, programme_id: int) -> tuple[DigestFigures, list[str]]:
    with sessions() as session:
        session.execute(sa.select(1))  # connect (and any first-connect queries) before counting
        with statements(engine) as seen:
            result = weekly_figures(
                session, programme_id=programme_id, week_start=WEEK_START, week_end=WEEK_END
            )
    return result, seen


def test_the_statement_count_does_not_grow_with_the_pairs(sessions, engine):
    with sessions.begin() as session:
        small, large = many_pairs(session, 5), many_pairs(session, 50)
    few, few_sql = figures_statements(sessions, engine, small)
    many, many_sql = figures_statements(sessions, engine, large)
    assert few.active + few.at_risk + few.dormant + few.paused == 4
    assert many.active == many.at_risk == many.dormant == many.paused == 10
    assert many.closed_this_week == 10
    assert many.goals_completed == 50
    assert len(many.attention) == MAX_ATTENTION
    assert many.attention_total == 20
    assert len(few_sql) == len(many_sql) <= 5
    for sql in few_sql + many_sql:
        lowered = sql.lower()
        assert "goal.text" not in lowered
        for column in ("worked", "did_not_work", "differently"):
            assert f"reflection.{column}" not in lowered


def test_the_attention_list_is_capped_and_the_message_stays_within_slacks_limit():
    attention = [
        AttentionPair(n, f"UMR{n:03d}", f"UME{n:03d}", PairStatus.DORMANT, d("2025-01-06"))
        for n in range(MAX_ATTENTION)
    ]
    result = DigestFigures(
        week_start=WEEK_START,
        week_end=WEEK_END,
        active=900,
        at_risk=120,
        dormant=80,
        paused=30,
        closed_this_week=4,
        meetings_this_week=700,
        meetings_last_week=710,
        goals_completed=55,
        reflections=300,
        pulses={"going_well": 40, "could_be_better": 9, "not_working": 2},
        meetings_per_week=EXPECTED_WEEKS,
        attention=attention,
    )
    message = digest_message(result, today=NOW.date())
    check_message(message)
    assert len(message.blocks) < 50, "room for the answer a button's handler adds"
    assert MAX_PAIRS_SHOWN >= MAX_ATTENTION
    assert len([b for b in message.blocks if b["type"] == "actions"]) == MAX_ATTENTION
    assert "…and 180 more" in json.dumps(message.blocks, ensure_ascii=False)


def test_a_quiet_programme_has_a_digest_too(sessions):
    with sessions.begin() as session:
        programme = Scene(session, "EMPTY").programme
        session.flush()
        programme_id = programme.id
    with sessions() as session:
        result = weekly_figures(
            session, programme_id=programme_id, week_start=WEEK_START, week_end=WEEK_END
        )
    assert result.attention == []
    assert [count for _, count in result.meetings_per_week] == [0] * 12
    message = digest_message(result, today=NOW.date())
    check_message(message)
    assert "No pair needs a hand" in json.dumps(message.blocks)


@pytest.mark.parametrize(("meetings", "words"), [(1, "1 meeting this week"), (2, "2 meetings")])
def test_the_notification_text_counts_meetings_in_words(meetings, words):
    result = DigestFigures(
        week_start=WEEK_START,
        week_end=WEEK_END,
        active=3,
        at_risk=0,
        dormant=0,
        paused=0,
        closed_this_week=0,
        meetings_this_week=meetings,
        meetings_last_week=0,
        goals_completed=0,
        reflections=0,
        meetings_per_week=EXPECTED_WEEKS,
    )
    assert words in digest_message(result, today=NOW.date()).text
