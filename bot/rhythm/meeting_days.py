"""Which meeting days a person's calendar shows, and in what state: every pair of theirs,
from today to twelve weeks ahead, in a fixed number of queries; and the last two weeks'
days the pair answered (confirmed, moved, skipped or not met), which are facts. A past
day nobody answered is left out: it may have fallen in a pause that has ended.

A period's day is planning's (bot.rhythm.planning.planned_day): the day the pair moved
it to, else their usual day. A day is tentative until the pair confirms it, cancelled
once skipped or not met, left out while the pair is paused, and cancelled from the day a
pair closes (for twelve weeks after, so calendars that showed them take them away).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.messages.calendars import CalendarEvent, EventStatus
from bot.models import Pair, PairStatus, Period, PeriodAnswer, Person
from bot.periods import Rhythm
from bot.rhythm.planning import planned_day
from bot.services.agreements import agreed_rows, terms_at
from bot.services.rhythms import anchor_of, load_rhythm, rhythms_of
from bot.terms import Terms

BACK = dt.timedelta(weeks=2)
AHEAD = dt.timedelta(weeks=12)
NOT_MET = frozenset({PeriodAnswer.SKIPPED, PeriodAnswer.MISSED})
SAID = frozenset({PeriodAnswer.CONFIRMED, PeriodAnswer.RESCHEDULED})
LINK_HOST = "mentorbot"  # a link's event carries no UID; the field is filled all the same


def calendar_events(
    session: so.Session, person: Person, now: dt.datetime, *, uid_host: str
) -> list[CalendarEvent]:
    """The person's meeting days around `now` (their today), across all their pairs."""
    today = local_date(person.tz, now)
    first, last = today - BACK, today + AHEAD
    pairs = session.scalars(
        sa.select(Pair)
        .where(
            sa.or_(Pair.mentor_id == person.id, Pair.mentee_id == person.id),
            sa.or_(Pair.status != PairStatus.CLOSED, Pair.closed_at >= now - AHEAD),
        )
        .options(so.joinedload(Pair.mentor), so.joinedload(Pair.mentee))
        .order_by(Pair.id)
    ).all()
    ids = [pair.id for pair in pairs]
    rhythms = rhythms_of(session, pairs)
    agreed = agreed_rows(session, ids)
    notes: dict[tuple[int, dt.date], Period] = {}
    if ids:
        for row in session.scalars(
            sa.select(Period).where(Period.pair_id.in_(ids), Period.starts_on >= first - AHEAD)
        ):
            notes[row.pair_id, row.starts_on] = row
    events = []
    for pair in pairs:
        days = _days(pair, rhythms[pair.id], notes, first, last)
        events += [
            _event(pair, period, day, rhythms[pair.id], agreed[pair.id], notes, uid_host)
            for period, day in days
            if day >= today or _answered(notes.get((pair.id, period)))
        ]
    return [event for event in events if event is not None]


def day_event(
    session: so.Session, pair: Pair, period: dt.date, day: dt.date, terms: Terms | None = None
) -> CalendarEvent:
    """One meeting day the pair has settled, for the add-to-calendar links, with `terms`
    (by default its period's), the time in the mentee's zone."""
    if terms is None:
        rows = agreed_rows(session, [pair.id])[pair.id]
        terms, _ = terms_at(load_rhythm(session, pair), rows, period)
    return CalendarEvent(
        uid=_uid(pair, period, LINK_HOST),
        day=day,
        terms=terms,
        zone=pair.mentee.tz,
        mentor=pair.mentor.name,
        mentee=pair.mentee.name,
    )


def _uid(pair: Pair, period: dt.date, host: str) -> str:
    return f"pair-{pair.id}-{period:%Y%m%d}@{host}"


def _days(
    pair: Pair,
    rhythm: Rhythm,
    notes: dict[tuple[int, dt.date], Period],
    first: dt.date,
    last: dt.date,
) -> list[tuple[dt.date, dt.date]]:
    """(period, meeting day) for each of the pair's periods whose day is in [first, last]."""
    anchor = anchor_of(pair)
    out = []
    period = rhythm.period_start(max(first - AHEAD, anchor))
    while period <= last:
        note = notes.get((pair.id, period))
        day = planned_day(rhythm, period, note.meeting_day if note else None)
        if first <= day <= last and day >= anchor:
            out.append((period, day))
        period = rhythm.next_period_start(period)
    return out


def _event(
    pair: Pair,
    period: dt.date,
    day: dt.date,
    rhythm: Rhythm,
    agreed: Sequence,
    notes: dict[tuple[int, dt.date], Period],
    uid_host: str,
) -> CalendarEvent | None:
    tz = pair.mentee.tz
    note = notes.get((pair.id, period))
    terms, row = terms_at(rhythm, agreed, period)
    changes = [pair.created_at, pair.status_changed_at]
    changes += [row.agreed_at] if row is not None and row.agreed_at else []
    changes += [note.updated_at] if note is not None else []
    if pair.status is PairStatus.CLOSED and pair.closed_at is not None:
        closed_on = local_date(tz, pair.closed_at)
        if day >= closed_on:
            status = EventStatus.CANCELLED
            if day > closed_on + AHEAD:  # never shown before it closed: nothing to take away
                return None
        else:
            status = _said(note)
    elif pair.status is PairStatus.PAUSED and _in_pause(pair, day):
        return None
    else:
        status = _said(note)
    return CalendarEvent(
        uid=_uid(pair, period, uid_host),
        day=day,
        terms=terms,
        zone=tz,
        mentor=pair.mentor.name,
        mentee=pair.mentee.name,
        status=status,
        revised_at=max(changes),
        conversation=_conversation(pair),
    )


def _answered(note: Period | None) -> bool:
    return note is not None and note.answer is not PeriodAnswer.PLANNED


def _said(note: Period | None) -> EventStatus:
    if note is not None and note.answer in NOT_MET:
        return EventStatus.CANCELLED
    if note is not None and note.answer in SAID:
        return EventStatus.CONFIRMED
    return EventStatus.TENTATIVE


def _in_pause(pair: Pair, day: dt.date) -> bool:
    """Whether `day` falls in the pair's pause: from the day it paused (in the mentee's
    zone) until the day it is active again."""
    paused_on = local_date(pair.mentee.tz, pair.status_changed_at)
    return day >= paused_on and (pair.paused_until is None or day < pair.paused_until)


def _conversation(pair: Pair) -> str | None:
    if not pair.conversation_id:
        return None
    return f"https://app.slack.com/client/{pair.mentee.team_id}/{pair.conversation_id}"
