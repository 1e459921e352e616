"""The end-of-programme report's figures: counts and dates only, never anyone's words, in
a handful of statements whatever the number of pairs."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.models import Goal, GoalStatus, Meeting, Pair, Person, Programme, Pulse
from bot.services.digest import ready_again

FIRST_DAYS = 90  # seed 002: the first three months make or break a pairing
THIRDS = 3  # "met regularly": at least once in each 30-day third of them


@dataclass(frozen=True)
class EndFigures:
    programme: str
    ends_on: dt.date
    pairs_started: int
    # Pairs at least 90 days old at the end, and those of them that met in each third.
    old_enough: int
    met_regularly: int
    meetings_per_pair: tuple[int, ...]  # one count per pair, in pair order
    goals_done: int
    pulses: dict[int, dict[str, int]]  # day (30, 90) -> answer -> count
    closed_early: int
    on_their_own: int
    ready_again: int

    @property
    def median_meetings(self) -> float:
        return statistics.median(self.meetings_per_pair) if self.meetings_per_pair else 0

    @property
    def fewest_meetings(self) -> int:
        return min(self.meetings_per_pair, default=0)

    @property
    def most_meetings(self) -> int:
        return max(self.meetings_per_pair, default=0)


def end_figures(session: so.Session, programme: Programme) -> EndFigures:
    """The programme's figures at its end (`programme.ends_on`, which must be set)."""
    ends_on = programme.ends_on
    if ends_on is None:
        raise ValueError("a programme without an end has no end report")
    pairs = session.execute(
        sa.select(Pair.id, Pair.created_at, Pair.closed_at, Pair.on_own_since, Person.tz)
        .join(Person, Person.id == Pair.mentee_id)
        .where(Pair.programme_id == programme.id)
        .order_by(Pair.id)
    ).all()
    ids = [row.id for row in pairs]
    met: dict[int, list[dt.date]] = defaultdict(list)
    for pair_id, held_on in session.execute(
        sa.select(Meeting.pair_id, Meeting.held_on).where(Meeting.pair_id.in_(ids))
    ):
        met[pair_id].append(held_on)
    started = {row.id: local_date(row.tz, row.created_at) for row in pairs}
    old_enough = [p for p in ids if started[p] + dt.timedelta(days=FIRST_DAYS) <= ends_on]
    pulses: dict[int, dict[str, int]] = {30: {}, 90: {}}
    for day, answer, count in session.execute(
        sa.select(Pulse.day, Pulse.answer, sa.func.count())
        .where(Pulse.pair_id.in_(ids))
        .group_by(Pulse.day, Pulse.answer)
    ):
        pulses.setdefault(day, {})[answer.value] = count
    goals_done = session.scalar(
        sa.select(sa.func.count())
        .select_from(Goal)
        .where(Goal.pair_id.in_(ids), Goal.status == GoalStatus.DONE)
    )
    end_start = dt.datetime.combine(ends_on, dt.time(0), tzinfo=dt.UTC)
    return EndFigures(
        programme=programme.name,
        ends_on=ends_on,
        pairs_started=len(ids),
        old_enough=len(old_enough),
        met_regularly=sum(_regular(started[p], met[p]) for p in old_enough),
        meetings_per_pair=tuple(len(met[p]) for p in ids),
        goals_done=goals_done or 0,
        pulses=pulses,
        closed_early=sum(
            1 for row in pairs if row.closed_at is not None and row.closed_at < end_start
        ),
        on_their_own=sum(1 for row in pairs if row.on_own_since is not None),
        ready_again=len(ready_again(session, programme_id=programme.id)),
    )


def _regular(started: dt.date, days: list[dt.date]) -> bool:
    """Whether the pair met at least once in each 30-day third of its first 90 days."""
    thirds = Counter((day - started).days // (FIRST_DAYS // THIRDS) for day in days)
    return all(thirds[third] for third in range(THIRDS))
