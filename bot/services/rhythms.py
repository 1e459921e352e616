"""A pair's rhythm: reading it (every period's cadence and day, across changes) and
changing it from the next period not yet nudged. The one owner of `RhythmChange` rows and
of a pair's cadence and weekday after it was created."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.errors import UserError
from bot.models import Cadence, OutboxMessage, Pair, RhythmChange
from bot.periods import Rhythm, Segment


def anchor_of(pair: Pair) -> dt.date:
    """The day the pair started, in the mentee's zone, from which planning counts."""
    return local_date(pair.mentee.tz, pair.created_at)


def rhythm_of(pair: Pair, changes: Iterable[RhythmChange] = ()) -> Rhythm:
    """The pair's rhythm from its changes (all of them, or none: its cadence and weekday)."""
    rows = sorted(changes, key=lambda change: change.starts_on)
    anchor = anchor_of(pair)
    if not rows:
        return Rhythm.single(anchor, pair.cadence, pair.weekday)
    first, *later = rows
    later = [row for row in later if row.starts_on > anchor]
    return Rhythm(
        (
            Segment(anchor, first.cadence, first.weekday),
            *(Segment(row.starts_on, row.cadence, row.weekday) for row in later),
        )
    )


def rhythms_of(session: so.Session, pairs: Sequence[Pair]) -> dict[int, Rhythm]:
    """Every pair's rhythm, in one query."""
    changes: dict[int, list[RhythmChange]] = defaultdict(list)
    if pairs:
        for row in session.scalars(
            sa.select(RhythmChange).where(RhythmChange.pair_id.in_([p.id for p in pairs]))
        ):
            changes[row.pair_id].append(row)
    return {pair.id: rhythm_of(pair, changes[pair.id]) for pair in pairs}


def load_rhythm(session: so.Session, pair: Pair) -> Rhythm:
    return rhythms_of(session, [pair])[pair.id]


def change_rhythm(
    session: so.Session,
    *,
    pair: Pair,
    cadence: Cadence,
    weekday: int,
    set_by: str,
    now: dt.datetime,
    proposed_by: str | None = None,
) -> dt.date:
    """The pair's rhythm from the first period not yet nudged: the next one, or the one
    after if its nudge is already out. Periods before keep theirs; a change already
    planned from then on is replaced. Returns the first day of the new rhythm."""
    starts_on = start_of_change(session, pair, cadence=cadence, weekday=weekday, now=now)
    has_rows = session.scalar(
        sa.select(sa.func.count()).select_from(RhythmChange).where(RhythmChange.pair_id == pair.id)
    )
    if not has_rows:  # the rhythm it replaces, from the start, so history keeps it
        session.add(
            RhythmChange(
                pair_id=pair.id,
                starts_on=anchor_of(pair),
                cadence=pair.cadence,
                weekday=pair.weekday,
                set_by=pair.created_by,
                created_at=now,
            )
        )
    session.execute(
        sa.delete(RhythmChange).where(
            RhythmChange.pair_id == pair.id, RhythmChange.starts_on >= starts_on
        )
    )
    session.add(
        RhythmChange(
            pair_id=pair.id,
            starts_on=starts_on,
            cadence=cadence,
            weekday=weekday,
            set_by=set_by,
            proposed_by=proposed_by,
            created_at=now,
        )
    )
    pair.cadence, pair.weekday, pair.next_check_at = cadence, weekday, now
    session.flush()
    return starts_on


def start_of_change(
    session: so.Session, pair: Pair, *, cadence: Cadence, weekday: int, now: dt.datetime
) -> dt.date:
    """The first day a change to `cadence` and `weekday` made now would take effect;
    refused if that is the rhythm the pair will have then anyway."""
    rhythm = load_rhythm(session, pair)
    starts_on = change_day(session, pair, rhythm, now)
    current = rhythm.at(starts_on)
    if (current.cadence, current.weekday) == (cadence, weekday):
        raise UserError("rhythm_unchanged")
    return starts_on


def change_day(session: so.Session, pair: Pair, rhythm: Rhythm, now: dt.datetime) -> dt.date:
    """The first day a change made now would take effect: the next period's, or the one
    after if the next period's nudge is already out."""
    today = local_date(pair.mentee.tz, now)
    starts_on = rhythm.next_period_start(rhythm.period_start(today))
    if _nudged(session, pair, starts_on):
        starts_on = rhythm.next_period_start(starts_on)
    return starts_on


def _nudged(session: so.Session, pair: Pair, period: dt.date) -> bool:
    key = f"nudge:{pair.id}:{period.isoformat()}"
    return session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None
