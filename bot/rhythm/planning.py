"""What is due for a pair at an instant: a pure function of the pair's state and now.

The scheduler loads the state of the pairs whose `next_check_at` has come, calls
`plan_pair` for each, writes the due messages to the outbox (their keys make a second
pass harmless) and stores the plan's `next_check_at`. Nothing here reads the clock or
the database, so tests can ask about any instant.

Each period of a pair has a meeting day (the weekday of the rhythm it was planned with,
unless rescheduled; bot.periods keeps each period's rhythm across changes):
- nudge, in the pair's conversation, two days ahead (on a working day), mid-morning for
  the mentee — the energy comes from the mentee, so the conversation messages follow
  the mentee's working hours;
- reminder, a DM to each member at the start of their working day, on the meeting day;
- check-in, in the pair's conversation, the next working morning after the meeting day.
Once, a week after the pair started, a pair that has agreed nothing is reminded to.
When its programme has an end date: a heads-up two weeks before, the wrap-up on the day,
nothing about meeting days after it, no health after it, and a week later the pair is
closed unless it chose to keep meeting on its own.
A period that is skipped gets nothing more; one with a recorded meeting needs no
reminder or check-in; a nudge already answered is not repeated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.calendar import WorkingHours, local_date, local_midnight
from bot.models.enums import PairStatus, PeriodAnswer
from bot.periods import Rhythm

NUDGE_LEAD = dt.timedelta(days=2)
MID_MORNING = dt.time(10, 0)
CHECKIN_WINDOW = dt.timedelta(days=5)


@dataclass(frozen=True)
class Member:
    person_id: int
    user_id: str
    tz: str


@dataclass(frozen=True)
class PeriodNote:
    meeting_day: dt.date | None
    answer: PeriodAnswer


@dataclass(frozen=True)
class PairState:
    pair_id: int
    rhythm: Rhythm  # each period's cadence and day, across changes (bot.periods)
    status: PairStatus
    paused_until: dt.date | None
    started_on: dt.date
    conversation_id: str
    mentor: Member
    mentee: Member
    periods: Mapping[dt.date, PeriodNote] = field(default_factory=dict)
    meeting_days: frozenset[dt.date] = frozenset()
    resumed_on: dt.date | None = None  # no messages about days before this
    last_met: dt.date | None = None
    needs_agreement: bool = False  # nothing agreed (or set) yet: one reminder, a week in
    ends_on: dt.date | None = None  # its programme's end date
    on_own: bool = False  # meeting on its own since its programme ended: nothing more
    at_risk_periods: int = 2
    dormant_periods: int = 3
    dormant_days: int = 45


@dataclass(frozen=True)
class Due:
    kind: str
    key: str
    period: dt.date
    meeting_day: dt.date
    recipient: Member | None  # None: the pair's conversation
    not_before: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class Plan:
    due: list[Due]
    next_check_at: dt.datetime | None
    resume: bool = False
    health: PairStatus | None = None  # active, at_risk or dormant; None when paused/closed
    close: bool = False  # its programme ended a week ago and it did not answer the wrap-up


def meeting_day(state: PairState, period: dt.date) -> dt.date:
    note = state.periods.get(period)
    return planned_day(state.rhythm, period, note.meeting_day if note else None)


def planned_day(rhythm: Rhythm, period: dt.date, moved_to: dt.date | None) -> dt.date:
    """A period's meeting day: the day the pair moved it to, else their usual day in it."""
    return moved_to or rhythm.usual_meeting_day(period)


def in_play(state: PairState, day: dt.date) -> bool:
    """Whether a meeting day is one the bot plans for: after the day the pair started,
    not after its programme's end (the wrap-up says what comes next), and not before the
    day it came back from a pause."""
    if day <= state.started_on or (state.ends_on is not None and day > state.ends_on):
        return False
    return state.resumed_on is None or day >= state.resumed_on


def met_in(state: PairState, period: dt.date) -> bool:
    """Whether the pair met for a period: on its (possibly moved) day, or any other day in
    the period, unless that was the previous period's moved day."""
    day = meeting_day(state, period)
    period_end = state.rhythm.next_period_start(period)
    taken = meeting_day(state, state.rhythm.previous_period_start(period))
    return any(d == day or (period <= d < period_end and d != taken) for d in state.meeting_days)


def plan_pair(state: PairState, now: dt.datetime, hours: WorkingHours) -> Plan:
    """The messages due for this pair at `now`, and when to look at it again."""
    if state.status is PairStatus.CLOSED or state.on_own:
        return Plan([], None)
    today = local_date(state.mentee.tz, now)
    if state.ends_on is not None and today >= state.ends_on + WRAP_UP_ANSWER:
        return Plan([], None, close=True)
    resume = False
    if state.status is PairStatus.PAUSED:
        if state.paused_until is None or today < state.paused_until:
            return _paused(state, now, hours)
        resume = True
        state = replace(state, status=PairStatus.ACTIVE, resumed_on=today)

    due, later = _timed(_messages(state, today, hours), state, now, hours)
    if not later:  # nothing ahead in the window: look again when the next period starts
        later.append(local_midnight(state.mentee.tz, _periods(state, today)[2]))
    if state.ends_on is not None:  # and when a week after the end it must be closed
        later.append(local_midnight(state.mentee.tz, state.ends_on + WRAP_UP_ANSWER))
    ended = state.ends_on is not None and today > state.ends_on
    return Plan(due, min(later), resume, None if ended else health(state, today))


def _paused(state: PairState, now: dt.datetime, hours: WorkingHours) -> Plan:
    """A paused pair hears nothing until its pause ends, except what its programme's end
    brings (the heads-up and the wrap-up: a pause does not stop a programme ending)."""
    due, later = _timed(_programme_end(state, hours), state, now, hours)
    if state.paused_until is not None:
        later.append(local_midnight(state.mentee.tz, state.paused_until))
    if state.ends_on is not None:
        later.append(local_midnight(state.mentee.tz, state.ends_on + WRAP_UP_ANSWER))
    return Plan(due, min(later) if later else None)


def _timed(
    messages: list[Due], state: PairState, now: dt.datetime, hours: WorkingHours
) -> tuple[list[Due], list[dt.datetime]]:
    """(the messages due at `now`, when the others will be). A late one (the scheduler was
    down, or a pause just ended) waits for working hours; one past its expiry is dropped."""
    due: list[Due] = []
    later: list[dt.datetime] = []
    for message in messages:
        tz = (message.recipient or state.mentee).tz
        at = message.not_before if message.not_before > now else hours.next_open(tz, now)
        if at >= message.expires_at:
            continue
        if at <= now:
            due.append(message)
        else:
            later.append(at)
    return due, later


def health(state: PairState, today: dt.date) -> PairStatus:
    """Active, at risk or dormant, from the periods gone by without a meeting.

    A period counts as missed once its meeting day is past with no meeting since; skipped
    periods and days before a resume do not count.
    """
    since = max(state.last_met or state.started_on, state.resumed_on or dt.date.min)
    missed = 0
    period = state.rhythm.period_start(since)
    while period <= today:
        day = meeting_day(state, period)
        note = state.periods.get(period)
        skipped = note is not None and note.answer is PeriodAnswer.SKIPPED
        if since < day < today and not skipped:
            missed += 1
        period = state.rhythm.next_period_start(period)
    if missed >= state.dormant_periods and (today - since).days >= state.dormant_days:
        return PairStatus.DORMANT
    if missed >= state.at_risk_periods:
        return PairStatus.AT_RISK
    return PairStatus.ACTIVE


def _periods(state: PairState, today: dt.date) -> list[dt.date]:
    """The previous, current and next two periods around `today`."""
    rhythm = state.rhythm
    current = rhythm.period_start(today)
    following = rhythm.next_period_start(current)
    return [
        rhythm.previous_period_start(current),
        current,
        following,
        rhythm.next_period_start(following),
    ]


PULSE_DAYS = (30, 90)
PULSE_WINDOW = dt.timedelta(days=7)


def _pulses(state: PairState, hours: WorkingHours) -> list[Due]:
    """ "How is it going?" to each member, 30 and 90 days in, mid-morning their time."""
    out = []
    for days in PULSE_DAYS:
        day = hours.working_day_on_or_after(state.started_on + dt.timedelta(days=days))
        for member in (state.mentee, state.mentor):
            at = hours.at(member.tz, day, MID_MORNING)
            key = f"pulse:{state.pair_id}:{days}:{member.user_id}"
            out.append(Due("pulse", key, day, day, member, at, at + PULSE_WINDOW))
    return out


AGREEMENT_REMINDER_AFTER = dt.timedelta(days=7)
AGREEMENT_REMINDER_WINDOW = dt.timedelta(days=3)


def _agreement_reminder(state: PairState, hours: WorkingHours) -> list[Due]:
    """Once, in the pair's conversation, a week in with nothing agreed: mid-morning for
    the mentee on the first working day a week after the pair started."""
    if not state.needs_agreement:
        return []
    day = hours.working_day_on_or_after(state.started_on + AGREEMENT_REMINDER_AFTER)
    at = hours.at(state.mentee.tz, day, MID_MORNING)
    key = f"agreement_reminder:{state.pair_id}"
    return [Due("agreement_reminder", key, day, day, None, at, at + AGREEMENT_REMINDER_WINDOW)]


HEADS_UP_BEFORE = dt.timedelta(days=14)
WRAP_UP_ANSWER = dt.timedelta(days=7)  # a pair that has not answered the wrap-up by then closes


def _programme_end(state: PairState, hours: WorkingHours) -> list[Due]:
    """Two weeks before its programme ends, a heads-up in the pair's conversation; on the
    end date, the wrap-up (keep meeting on your own, or close with a keepsake); each
    mid-morning for the mentee, on the working day on or after."""
    if state.ends_on is None:
        return []
    out = []
    for kind, day in (
        ("programme_heads_up", state.ends_on - HEADS_UP_BEFORE),
        ("programme_wrap_up", state.ends_on),
    ):
        at = hours.at(state.mentee.tz, hours.working_day_on_or_after(day), MID_MORNING)
        key = f"{kind}:{state.pair_id}:{state.ends_on.isoformat()}"
        out.append(Due(kind, key, day, day, None, at, at + WRAP_UP_ANSWER))
    return out


def _messages(state: PairState, today: dt.date, hours: WorkingHours) -> list[Due]:
    messages: list[Due] = _pulses(state, hours) + _agreement_reminder(state, hours)
    messages += _programme_end(state, hours)
    for period in _periods(state, today):
        messages += _period_messages(state, period, hours)
    return messages


def _period_messages(state: PairState, period: dt.date, hours: WorkingHours) -> list[Due]:
    day = meeting_day(state, period)
    note = state.periods.get(period)
    answer = note.answer if note else PeriodAnswer.PLANNED
    if not in_play(state, day) or answer is PeriodAnswer.SKIPPED or met_in(state, period):
        return []
    mentee_tz = state.mentee.tz
    out: list[Due] = []
    if answer is PeriodAnswer.PLANNED:
        nudge_day = hours.working_day_on_or_before(day - NUDGE_LEAD)
        out.append(
            Due(
                "nudge",
                f"nudge:{state.pair_id}:{period}",
                period,
                day,
                None,
                hours.at(mentee_tz, nudge_day, MID_MORNING),
                # Late (a pair that starts after hours before its meeting day, a pause that
                # ends on it): still worth asking on the morning of the day itself.
                hours.day_end(mentee_tz, day),
            )
        )
    for member in (state.mentee, state.mentor):
        reminder_day = hours.working_day_on_or_before(day)
        out.append(
            Due(
                "reminder",
                f"reminder:{state.pair_id}:{period}:{day}:{member.user_id}",
                period,
                day,
                member,
                hours.day_start(member.tz, reminder_day),
                hours.day_end(member.tz, reminder_day),
            )
        )
    if answer is not PeriodAnswer.MISSED:
        checkin_day = hours.working_day_on_or_after(day + dt.timedelta(days=1))
        checkin_at = hours.at(mentee_tz, checkin_day, MID_MORNING)
        out.append(
            Due(
                "checkin",
                f"checkin:{state.pair_id}:{period}:{day}",
                period,
                day,
                None,
                checkin_at,
                checkin_at + CHECKIN_WINDOW,
            )
        )
    return out
