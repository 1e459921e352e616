"""Meetings, the answers to nudges, pausing, and reflections."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.db import upsert_insert
from bot.models import (
    Meeting,
    MeetingSource,
    Pair,
    PairStatus,
    Period,
    PeriodAnswer,
    Person,
    Pulse,
    PulseAnswer,
    Reflection,
)
from bot.rhythm.clock import local_date
from bot.rhythm.periods import next_period_start, period_start, usual_meeting_day
from bot.services.errors import UserError

MAX_PAUSE = dt.timedelta(days=365)
LIVELY = (PairStatus.ACTIVE, PairStatus.AT_RISK, PairStatus.DORMANT)


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
        if pair.status in (PairStatus.AT_RISK, PairStatus.DORMANT):
            pair.status, pair.status_changed_at = PairStatus.ACTIVE, now
        pair.next_check_at = now
    return meeting, created_id is not None


def check_log_date(pair: Pair, person: Person, day: dt.date, now: dt.datetime) -> None:
    """A hand-logged meeting is not in the future (the person's own today) nor before the pair."""
    if day > local_date(person.tz, now):
        raise UserError("meeting_in_future", date=day.isoformat())
    if day < local_date(person.tz, pair.created_at):
        raise UserError("meeting_before_pair", date=day.isoformat())


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
    row = session.scalar(
        sa.select(Period).where(Period.pair_id == pair.id, Period.starts_on == period)
    )
    if row is None:
        row = Period(pair_id=pair.id, starts_on=period, answer=answer, reschedules=0)
        session.add(row)
    row.answer, row.answered_by, row.updated_at = answer, by, now
    if answer is PeriodAnswer.RESCHEDULED:
        row.meeting_day = new_day
        row.reschedules = (row.reschedules or 0) + 1
    pair.next_check_at = now
    session.flush()
    return row


def check_new_day(
    pair: Pair, person: Person, period: dt.date, day: dt.date, now: dt.datetime
) -> None:
    """A new meeting day is from today on and before the next period's usual day."""
    today = local_date(person.tz, now)
    following = next_period_start(pair.cadence, period)
    latest = usual_meeting_day(pair.cadence, following, pair.weekday) - dt.timedelta(days=1)
    if day < today:
        raise UserError("new_day_past", date=day.isoformat())
    if day > latest:
        raise UserError("new_day_too_late", date=day.isoformat(), latest=latest.isoformat())


def current_period(pair: Pair, now: dt.datetime) -> dt.date:
    anchor = local_date(pair.mentee.tz, pair.created_at)
    return period_start(pair.cadence, anchor, local_date(pair.mentee.tz, now))


def pause(
    session: so.Session, *, pair: Pair, until: dt.date | None, today: dt.date, now: dt.datetime
) -> Pair:
    if pair.status not in LIVELY and pair.status is not PairStatus.PAUSED:
        raise UserError("pair_closed")
    if until is not None and until <= today:
        raise UserError("pause_past", date=until.isoformat())
    if until is not None and until - today > MAX_PAUSE:
        raise UserError("pause_too_long")
    pair.status, pair.paused_until, pair.status_changed_at = PairStatus.PAUSED, until, now
    pair.next_check_at = now
    return pair


def resume(session: so.Session, *, pair: Pair, now: dt.datetime) -> Pair:
    if pair.status is not PairStatus.PAUSED:
        raise UserError("not_paused")
    pair.status, pair.paused_until, pair.status_changed_at = PairStatus.ACTIVE, None, now
    pair.resumed_on = local_date(pair.mentee.tz, now)
    pair.next_check_at = now
    return pair


def meeting_of_member(session: so.Session, *, meeting_id: int, person: Person | None) -> Meeting:
    """The meeting, if `person` is in its pair; nobody reads another pair's meetings."""
    meeting = session.get(Meeting, meeting_id)
    if (
        meeting is None
        or person is None
        or person.id not in (meeting.pair.mentor_id, meeting.pair.mentee_id)
    ):
        raise UserError("not_your_meeting")
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
    reflection = session.scalar(
        sa.select(Reflection).where(
            Reflection.meeting_id == meeting.id, Reflection.author_id == author.id
        )
    )
    was_shared = bool(reflection and reflection.shared)
    if reflection is None:
        reflection = Reflection(
            pair_id=meeting.pair_id, meeting=meeting, author=author, created_at=now
        )
        session.add(reflection)
    reflection.worked, reflection.did_not_work, reflection.differently = (
        worked,
        did_not_work,
        differently,
    )
    reflection.shared, reflection.updated_at = shared, now
    session.flush()
    return reflection, shared and not was_shared


def close_pair(session: so.Session, *, pair: Pair, now: dt.datetime) -> Pair:
    """Closed is final: no more messages; the history stays for the digest.

    The change is one conditional UPDATE, so of two clicks at once (or a click and a
    retry) exactly one closes the pair; the other is told it is already closed.
    """
    closed = session.execute(
        sa.update(Pair)
        .where(Pair.id == pair.id, Pair.status != PairStatus.CLOSED)
        .values(status=PairStatus.CLOSED, closed_at=now, status_changed_at=now, next_check_at=None)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        raise UserError(
            "pair_already_closed",
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
        )
    session.refresh(pair)
    return pair


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
    pulse = session.scalar(
        sa.select(Pulse).where(
            Pulse.pair_id == pair.id, Pulse.person_id == person.id, Pulse.day == days
        )
    )
    if pulse is None:
        pulse = Pulse(pair_id=pair.id, person_id=person.id, day=days, answer=answer)
        session.add(pulse)
    pulse.answer, pulse.answered_at = answer, now
    session.flush()
    return pulse


def save_pulse_note(
    session: so.Session, *, pulse_id: int, person: Person | None, note: str
) -> None:
    pulse = session.get(Pulse, pulse_id)
    if pulse is None or person is None or pulse.person_id != person.id:
        raise UserError("not_your_pair")
    pulse.note = note or None
