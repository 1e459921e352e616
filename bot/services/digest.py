"""The weekly coordinator digest's figures: counts and states, never anyone's words.

`weekly_figures` costs the same few statements for ten pairs or ten thousand: every
figure is a conditional aggregate or a bounded list, never a query per pair. It selects
no free text (goal text, reflection answers, notes), so nothing private can leak into
what coordinators see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import DigestSchedule
from bot.models import Goal, GoalStatus, Meeting, Pair, PairStatus, Person, Pulse, Reflection

WEEKS_CHARTED = 12
MAX_ATTENTION = 20
NEEDS_ATTENTION = (PairStatus.AT_RISK, PairStatus.DORMANT)

# (session, programme_id=, week_start=, week_end=) -> answer -> count, from the pulse service.
PulseCounter = Callable[..., Mapping[str, int]]


@dataclass(frozen=True)
class AttentionPair:
    """A pair at risk or dormant, with who to ask and when they last met."""

    pair_id: int
    mentor: str  # Slack user IDs
    mentee: str
    status: PairStatus
    last_met: dt.date | None


@dataclass(frozen=True)
class DigestFigures:
    """One programme's week, [week_start, week_end), as plain values."""

    week_start: dt.datetime
    week_end: dt.datetime
    active: int
    at_risk: int
    dormant: int
    paused: int
    closed_this_week: int
    meetings_this_week: int
    meetings_last_week: int
    goals_completed: int
    reflections: int
    # Pulse answer ("going_well", "could_be_better", "not_working") -> answers this week.
    pulses: dict[str, int] = field(default_factory=dict)
    # (first day of the week, meetings held that week), oldest first; the last is this week.
    meetings_per_week: list[tuple[dt.date, int]] = field(default_factory=list)
    # At most MAX_ATTENTION pairs, the longest without a meeting first.
    attention: list[AttentionPair] = field(default_factory=list)
    # Slack IDs of people whose pair closed and who would like another (none open now).
    ready_again: list[str] = field(default_factory=list)

    @property
    def attention_total(self) -> int:
        return self.at_risk + self.dormant


def weekly_figures(
    session: so.Session,
    *,
    programme_id: int,
    week_start: dt.datetime,
    week_end: dt.datetime,
    pulse_counts: PulseCounter | None = None,
) -> DigestFigures:
    """The digest's figures for one programme; statuses are as they are now.

    `week_start` and `week_end` are aware instants, usually midnights in the coordinator's
    zone; meetings are counted by their dates there, `week_start.date()` up to but not
    including `week_end.date()`. `pulse_counts`, when given, is called with the session and
    the same keyword arguments and returns answer -> count; without it `pulses` is empty.
    """
    statuses = _statuses(session, programme_id, week_start, week_end)
    weeks = _meetings_per_week(session, programme_id, week_start.date(), week_end.date())
    goals, reflections = _activity(session, programme_id, week_start, week_end)
    pulses = (
        pulse_counts(session, programme_id=programme_id, week_start=week_start, week_end=week_end)
        if pulse_counts
        else {}
    )
    return DigestFigures(
        week_start=week_start,
        week_end=week_end,
        **statuses,
        meetings_this_week=weeks[-1][1],
        meetings_last_week=weeks[-2][1],
        goals_completed=goals,
        reflections=reflections,
        pulses=dict(pulses),
        meetings_per_week=weeks,
        attention=_attention(session, programme_id),
        ready_again=ready_again(session, programme_id=programme_id),
    )


def digest_figures(
    session: so.Session, *, programme_id: int, week_start: dt.datetime, week_end: dt.datetime
) -> DigestFigures:
    """What coordinators are shown of a week (the scheduled digest, `/mentor-digest`, the
    Home overview): `weekly_figures` with the pulse answers counted."""
    return weekly_figures(
        session,
        programme_id=programme_id,
        week_start=week_start,
        week_end=week_end,
        pulse_counts=pulse_counts,
    )


def week_so_far(
    session: so.Session, *, programme_id: int, now: dt.datetime, schedule: DigestSchedule
) -> DigestFigures:
    """The figures of the week the next scheduled digest will report, up to `now`."""
    week_start, week_end = this_week(now, schedule)
    return digest_figures(
        session, programme_id=programme_id, week_start=week_start, week_end=week_end
    )


def _statuses(
    session: so.Session, programme_id: int, start: dt.datetime, end: dt.datetime
) -> dict[str, int]:
    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.count().filter(condition)

    closed_this_week = sa.and_(
        Pair.status == PairStatus.CLOSED, Pair.closed_at >= start, Pair.closed_at < end
    )
    row = session.execute(
        sa.select(
            count(Pair.status == PairStatus.ACTIVE).label("active"),
            count(Pair.status == PairStatus.AT_RISK).label("at_risk"),
            count(Pair.status == PairStatus.DORMANT).label("dormant"),
            count(Pair.status == PairStatus.PAUSED).label("paused"),
            count(closed_this_week).label("closed_this_week"),
        ).where(Pair.programme_id == programme_id)
    ).one()
    return dict(row._mapping)


def week_starts(start: dt.date) -> list[dt.date]:
    """The first days of the charted weeks: this week's `start` and the 7-day weeks before it."""
    return [start - dt.timedelta(weeks=back) for back in range(WEEKS_CHARTED - 1, -1, -1)]


def _meetings_per_week(
    session: so.Session, programme_id: int, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int]]:
    starts = week_starts(start)
    ends = [*starts[1:], end]
    counts = session.execute(
        sa.select(
            *(
                sa.func.count().filter(Meeting.held_on >= first, Meeting.held_on < after)
                for first, after in zip(starts, ends, strict=True)
            )
        )
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.programme_id == programme_id,
            Meeting.held_on >= starts[0],
            Meeting.held_on < end,
        )
    ).one()
    return list(zip(starts, counts, strict=True))


def _activity(
    session: so.Session, programme_id: int, start: dt.datetime, end: dt.datetime
) -> tuple[int, int]:
    """Goals marked done and reflections written in the week (counts; no text is read)."""
    goals = (
        sa.select(sa.func.count(Goal.id))
        .join(Pair, Pair.id == Goal.pair_id)
        .where(
            Pair.programme_id == programme_id,
            Goal.status == GoalStatus.DONE,
            Goal.updated_at >= start,
            Goal.updated_at < end,
        )
        .scalar_subquery()
    )
    reflections = (  # after meetings, and the last ones on closing (which have no meeting)
        sa.select(sa.func.count(Reflection.id))
        .join(Pair, Pair.id == Reflection.pair_id)
        .where(
            Pair.programme_id == programme_id,
            Reflection.created_at >= start,
            Reflection.created_at < end,
        )
        .scalar_subquery()
    )
    done, written = session.execute(sa.select(goals, reflections)).one()
    return done, written


def _attention(session: so.Session, programme_id: int) -> list[AttentionPair]:
    return pairs_in(
        session, programme_id=programme_id, statuses=NEEDS_ATTENTION, limit=MAX_ATTENTION
    )


def pairs_in(
    session: so.Session, *, programme_id: int, statuses: Sequence[PairStatus], limit: int
) -> list[AttentionPair]:
    """Pairs in these statuses with their last meeting, longest without one first (one query)."""
    mentor, mentee = so.aliased(Person), so.aliased(Person)
    last_met = (
        sa.select(sa.func.max(Meeting.held_on))
        .where(Meeting.pair_id == Pair.id)
        .correlate(Pair)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(Pair.id, mentor.slack_user_id, mentee.slack_user_id, Pair.status, last_met)
        .join(mentor, mentor.id == Pair.mentor_id)
        .join(mentee, mentee.id == Pair.mentee_id)
        .where(Pair.programme_id == programme_id, Pair.status.in_(statuses))
        # Never met counts as longest without a meeting; then the oldest pair first.
        .order_by(last_met.asc().nulls_first(), Pair.created_at, Pair.id)
        .limit(limit)
    ).all()
    return [AttentionPair(*row) for row in rows]


def pulse_counts(
    session: so.Session, *, programme_id: int, week_start: dt.datetime, week_end: dt.datetime
) -> dict[str, int]:
    """Pulse answers given in the week, by answer: counts only, never the notes."""
    rows = session.execute(
        sa.select(Pulse.answer, sa.func.count())
        .join(Pair, Pair.id == Pulse.pair_id)
        .where(
            Pair.programme_id == programme_id,
            Pulse.answered_at >= week_start,
            Pulse.answered_at < week_end,
        )
        .group_by(Pulse.answer)
    )
    return {answer.value: count for answer, count in rows}


def this_week(
    now: dt.datetime, schedule: DigestSchedule | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The week the next scheduled digest will report, which `now` falls in (by default
    Monday to Monday, UTC)."""
    return (schedule or DigestSchedule()).current_week(now)


MAX_READY_AGAIN = 40


def ready_again(session: so.Session, *, programme_id: int) -> list[str]:
    """People of the programme who said, after their pair closed, that they would like
    another, and have no open pair now: the longest waiting first (IDs only), at most
    MAX_READY_AGAIN and one more to say there are more."""

    def member_of_a_pair(*conditions: sa.ColumnElement[bool]) -> sa.Exists:
        return (
            sa.select(Pair.id)
            .where(
                Pair.programme_id == programme_id,
                sa.or_(Pair.mentor_id == Person.id, Pair.mentee_id == Person.id),
                *conditions,
            )
            .exists()
        )

    return list(
        session.scalars(
            sa.select(Person.slack_user_id)
            .where(
                Person.wants_pair_since.is_not(None),
                Person.active.is_(True),
                member_of_a_pair(),
                ~member_of_a_pair(Pair.status != PairStatus.CLOSED),
            )
            .order_by(Person.wants_pair_since, Person.id)
            .limit(MAX_READY_AGAIN + 1)
        )
    )
