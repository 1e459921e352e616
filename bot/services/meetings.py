"""Meetings, the answers to nudges, pausing, and reflections."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.db import upsert_insert
from bot.errors import UserError
from bot.models import (
    Meeting,
    MeetingSource,
    Pair,
    Period,
    PeriodAnswer,
    Person,
    Pulse,
    PulseAnswer,
    Reflection,
)
from bot.services import lifecycle
from bot.services.rhythms import load_rhythm


def record_meeting(
    session: so.Session,
    *,
    pair: Pair,
    held_on: dt.date,
    source: MeetingSource,
    recorded_by: str,
    now: dt.datetime,
) -> tuple[Meeting, bool]:
    """The pair's meeting on `held_on`, and whether this call created it.

    At most one meeting per pair per day, even when both members react at once or
    Slack delivers the same event twice: the insert does nothing on a conflict.
    """
    created_id = session.scalar(
        upsert_insert(session, Meeting)
        .values(
            pair_id=pair.id, held_on=held_on, source=source, recorded_by=recorded_by, created_at=now
        )
        .on_conflict_do_nothing(index_elements=["pair_id", "held_on"])
        .returning(Meeting.id)
    )
    meeting = session.scalars(
        sa.select(Meeting).where(Meeting.pair_id == pair.id, Meeting.held_on == held_on)
    ).one()
    if created_id is not None:
        lifecycle.met(pair, now)
    return meeting, created_id is not None


def check_log_date(pair: Pair, person: Person, day: dt.date, now: dt.datetime) -> None:
    """A hand-logged meeting is not in the future (the person's own today) nor before the pair."""
    if day > local_date(person.tz, now):
        raise UserError("meeting_in_future", date=day.isoformat())
    if day < local_date(person.tz, pair.created_at):
        raise UserError("meeting_before_pair", date=day.isoformat())


LATEST_AHEAD = dt.timedelta(days=62)  # a nudge is about this period or the next one


def check_ref(
    session: so.Session, pair: Pair, person: Person, period: dt.date, day: dt.date, now: dt.datetime
) -> None:
    """The period and day a button names are ones our messages could carry: the period is
    one of the pair's (a period start, from the pair's first on), the day is in it or
    after it, and neither is past what any nudge or check-in could be about. Anything else
    is a forged or stale value."""
    rhythm = load_rhythm(session, pair)
    earliest = min(local_date(p.tz, pair.created_at) for p in (pair.mentor, pair.mentee))
    latest = local_date(person.tz, now) + LATEST_AHEAD
    if not earliest <= day <= latest:
        raise UserError("stale_button")
    first = rhythm.period_start(earliest)
    if not first <= period <= day or period != rhythm.period_start(period):
        raise UserError("stale_button")


def answer_period(
    session: so.Session,
    *,
    pair: Pair,
    period: dt.date,
    answer: PeriodAnswer,
    by: str,
    now: dt.datetime,
    new_day: dt.date | None = None,
) -> Period:
    """Record the pair's answer about one period (confirm, move, skip, or "we didn't meet")."""
    session.execute(
        upsert_insert(session, Period)
        .values(pair_id=pair.id, starts_on=period, answer=answer, reschedules=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["pair_id", "starts_on"])
    )
    row = session.scalars(
        sa.select(Period).where(Period.pair_id == pair.id, Period.starts_on == period)
    ).one()
    row.answer, row.answered_by, row.updated_at = answer, by, now
    if answer is PeriodAnswer.RESCHEDULED:
        row.meeting_day = new_day
        row.reschedules = (row.reschedules or 0) + 1
    pair.next_check_at = now
    session.flush()
    return row


def check_new_day(
    session: so.Session, pair: Pair, person: Person, period: dt.date, day: dt.date, now: dt.datetime
) -> None:
    """A new meeting day is from today on and before the next period's usual day."""
    today = local_date(person.tz, now)
    rhythm = load_rhythm(session, pair)
    latest = rhythm.usual_meeting_day(rhythm.next_period_start(period)) - dt.timedelta(days=1)
    if day < today:
        raise UserError("new_day_past", date=day.isoformat())
    if day > latest:
        raise UserError("new_day_too_late", date=day.isoformat(), latest=latest.isoformat())


def meeting_of_member(session: so.Session, *, meeting_id: int, person: Person | None) -> Meeting:
    """The meeting, if `person` is in its pair; nobody reads another pair's meetings."""
    meeting = session.get(Meeting, meeting_id)
    if (
        meeting is None
        or person is None
        or person.id not in (meeting.pair.mentor_id, meeting.pair.mentee_id)
    ):
        raise UserError("not_your_meeting")
    lifecycle.ensure_open(meeting.pair)
    return meeting


def save_reflection(
    session: so.Session,
    *,
    meeting: Meeting,
    author: Person,
    worked: str,
    did_not_work: str,
    differently: str,
    shared: bool,
    now: dt.datetime,
) -> tuple[Reflection, bool]:
    """Store (or replace) the author's reflection; also returns whether it is newly shared."""
    session.execute(
        upsert_insert(session, Reflection)
        .values(
            pair_id=meeting.pair_id,
            meeting_id=meeting.id,
            author_id=author.id,
            worked="",
            did_not_work="",
            differently="",
            shared=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["meeting_id", "author_id"])
    )
    reflection = session.scalars(
        sa.select(Reflection).where(
            Reflection.meeting_id == meeting.id, Reflection.author_id == author.id
        )
    ).one()
    was_shared = reflection.shared
    reflection.worked, reflection.did_not_work, reflection.differently = (
        worked,
        did_not_work,
        differently,
    )
    reflection.shared, reflection.updated_at = shared, now
    session.flush()
    return reflection, shared and not was_shared


def answer_pulse(
    session: so.Session,
    *,
    pair: Pair,
    person: Person,
    days: int,
    answer: PulseAnswer,
    now: dt.datetime,
) -> Pulse:
    """The member's answer to the `days`-day pulse; a second click changes it."""
    if days not in (30, 90):
        raise UserError("stale_button")
    session.execute(
        upsert_insert(session, Pulse)
        .values(pair_id=pair.id, person_id=person.id, day=days, answer=answer, answered_at=now)
        .on_conflict_do_nothing(index_elements=["pair_id", "person_id", "day"])
    )
    pulse = session.scalars(
        sa.select(Pulse).where(
            Pulse.pair_id == pair.id, Pulse.person_id == person.id, Pulse.day == days
        )
    ).one()
    pulse.answer, pulse.answered_at = answer, now
    session.flush()
    return pulse


def save_pulse_note(
    session: so.Session, *, pulse_id: int, person: Person | None, note: str
) -> None:
    pulse = session.get(Pulse, pulse_id)
    if pulse is None or person is None or pulse.person_id != person.id:
        raise UserError("not_your_pair")
    lifecycle.ensure_open(session.get_one(Pair, pulse.pair_id))
    pulse.note = note or None
