"""Which meeting days a person's calendar shows, and in what state: every pair of theirs,
from the mentee's today to twelve weeks ahead, in a fixed number of queries; and of the
last two weeks, the days the pair met or answered for (facts). A past day nobody
answered is left out: it may have fallen in a pause since ended.

The days are planning's (bot.rhythm.planning): each period's day (moved, or the usual
one), only days in play (after the pair started, not after its programme's end, not
before it came back from a pause), and a period met as planning counts it. A day is
tentative until the pair confirms it (or meets), cancelled once skipped or not met, left
out while the pair is paused, and cancelled from the day a pair closes (for twelve
weeks after, so calendars that showed them take them away). A pair meeting on its own
after its programme ended keeps its days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.messages.calendars import CalendarEvent, EventStatus
from bot.models import Agreement, Meeting, Pair, PairStatus, Period, PeriodAnswer, Person
from bot.rhythm.passes import pair_state
from bot.rhythm.planning import PairState, PeriodNote, in_play, meeting_day, met_in
from bot.services.agreements import agreed_rows, terms_at
from bot.services.rhythms import load_rhythm, rhythms_of
from bot.terms import Terms

BACK = dt.timedelta(weeks=2)
AHEAD = dt.timedelta(weeks=12)
NOT_MET = frozenset({PeriodAnswer.SKIPPED, PeriodAnswer.MISSED})
SAID = frozenset({PeriodAnswer.CONFIRMED, PeriodAnswer.RESCHEDULED})
LINK_HOST = "mentorbot"  # a link's event carries no UID; the field is filled all the same


def calendar_events(
    session: so.Session, person: Person, now: dt.datetime, *, uid_host: str
) -> list[CalendarEvent]:
    """The person's meeting days around `now`, across all their pairs."""
    pairs = session.scalars(
        sa.select(Pair)
        .where(
            sa.or_(Pair.mentor_id == person.id, Pair.mentee_id == person.id),
            sa.or_(Pair.status != PairStatus.CLOSED, Pair.closed_at >= now - AHEAD),
        )
        .options(
            so.joinedload(Pair.mentor), so.joinedload(Pair.mentee), so.joinedload(Pair.programme)
        )
        .order_by(Pair.id)
    ).all()
    ids = [pair.id for pair in pairs]
    since = (now - BACK - AHEAD).date()  # a period's start, well before its day in the window
    rows: dict[int, dict[dt.date, Period]] = defaultdict(dict)
    met: dict[int, set[dt.date]] = defaultdict(set)
    if ids:
        for row in session.scalars(
            sa.select(Period).where(Period.pair_id.in_(ids), Period.starts_on >= since)
        ):
            rows[row.pair_id][row.starts_on] = row
        for pair_id, held_on in session.execute(
            sa.select(Meeting.pair_id, Meeting.held_on).where(
                Meeting.pair_id.in_(ids), Meeting.held_on >= since
            )
        ):
            met[pair_id].add(held_on)
    rhythms = rhythms_of(session, pairs)
    agreed = agreed_rows(session, ids)
    events = []
    for pair in pairs:
        notes = {
            start: PeriodNote(row.meeting_day, row.answer) for start, row in rows[pair.id].items()
        }
        state = pair_state(pair, rhythms[pair.id], notes, frozenset(met[pair.id]))
        if pair.on_own_since is not None:
            state = replace(state, ends_on=None)
        events += _pair_events(pair, state, rows[pair.id], agreed[pair.id], now, uid_host)
    return events


def _pair_events(
    pair: Pair,
    state: PairState,
    rows: dict[dt.date, Period],
    agreed: Sequence[Agreement],
    now: dt.datetime,
    uid_host: str,
) -> list[CalendarEvent]:
    today = local_date(pair.mentee.tz, now)  # meeting days are the mentee's dates
    first, last = today - BACK, today + AHEAD
    events = []
    period = state.rhythm.period_start(first - AHEAD)
    while period <= last:
        day, row = meeting_day(state, period), rows.get(period)
        happened = met_in(state, period)
        answered = happened or (row is not None and row.answer is not PeriodAnswer.PLANNED)
        shown = first <= day <= last and (in_play(state, day) or happened)
        if shown and (day >= today or answered):
            status = _status(pair, day, row, happened)
            if status is not None:
                terms, agreement = terms_at(state.rhythm, agreed, period)
                changes = [pair.created_at, pair.status_changed_at]
                changes += [agreement.agreed_at] if agreement and agreement.agreed_at else []
                changes += [row.updated_at] if row is not None else []
                events.append(_event(pair, period, day, terms, uid_host, status, max(changes)))
        period = state.rhythm.next_period_start(period)
    return events


def _status(pair: Pair, day: dt.date, row: Period | None, happened: bool) -> EventStatus | None:
    """The day's state; None: not shown (in the pair's pause, or long after it closed)."""
    if pair.status is PairStatus.CLOSED and pair.closed_at is not None:
        closed_on = local_date(pair.mentee.tz, pair.closed_at)
        if day > closed_on + AHEAD:  # never shown before it closed: nothing to take away
            return None
        if day >= closed_on:
            return EventStatus.CANCELLED
    elif pair.status is PairStatus.PAUSED and _in_pause(pair, day):
        return None
    if happened or (row is not None and row.answer in SAID):
        return EventStatus.CONFIRMED
    if row is not None and row.answer in NOT_MET:
        return EventStatus.CANCELLED
    return EventStatus.TENTATIVE


def _in_pause(pair: Pair, day: dt.date) -> bool:
    """Whether `day` falls in the pair's pause: from the day it paused (in the mentee's
    zone) until the day it is active again."""
    paused_on = local_date(pair.mentee.tz, pair.status_changed_at)
    return day >= paused_on and (pair.paused_until is None or day < pair.paused_until)


def day_event(
    session: so.Session, pair: Pair, period: dt.date, day: dt.date, terms: Terms | None = None
) -> CalendarEvent:
    """One meeting day the pair has settled, for the add-to-calendar links, with `terms`
    (by default its period's), the time in the mentee's zone."""
    if terms is None:
        rows = agreed_rows(session, [pair.id])[pair.id]
        terms, _ = terms_at(load_rhythm(session, pair), rows, period)
    return _event(pair, period, day, terms, LINK_HOST)


def _event(
    pair: Pair,
    period: dt.date,
    day: dt.date,
    terms: Terms,
    uid_host: str,
    status: EventStatus = EventStatus.CONFIRMED,
    revised_at: dt.datetime | None = None,
) -> CalendarEvent:
    return CalendarEvent(
        uid=f"pair-{pair.id}-{period:%Y%m%d}@{uid_host}",
        day=day,
        terms=terms,
        zone=pair.mentee.tz,
        mentor=pair.mentor.name,
        mentee=pair.mentee.name,
        status=status,
        revised_at=revised_at or pair.created_at,
        conversation=_conversation(pair),
    )


def _conversation(pair: Pair) -> str | None:
    if not pair.conversation_id:
        return None
    return f"https://app.slack.com/client/{pair.mentee.team_id}/{pair.conversation_id}"
