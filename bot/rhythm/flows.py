"""What follows an answer from the pair: rules from services, wording from messages,
and the messages owed written to the outbox (so a retried event owes nothing twice).

Each function returns the outbox keys it owed; the listener delivers those at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.messages import closing as closing_messages
from bot.messages import rhythm as messages
from bot.models import (
    Meeting,
    MeetingSource,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    PeriodAnswer,
    Person,
    PulseAnswer,
    Reflection,
)
from bot.rhythm.clock import WorkingHours, local_date
from bot.rhythm.outbox import Owed, enqueue
from bot.rhythm.periods import next_period_start, usual_meeting_day
from bot.services import meetings
from bot.services.errors import UserError
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person

MET_REACTIONS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
MISSED_REACTIONS = frozenset({"x", "negative_squared_cross_mark", "heavy_multiplication_x"})


@dataclass(frozen=True)
class Ref:
    """Which pair, period and meeting day a nudge or check-in is about: `pair:period:day`."""

    pair_id: int
    period: dt.date
    day: dt.date

    @classmethod
    def parse(cls, text: str) -> Ref:
        try:
            pair_id, period, day = text.split(":")[-3:]
            return cls(int(pair_id), dt.date.fromisoformat(period), dt.date.fromisoformat(day))
        except ValueError:
            raise UserError("stale_button") from None

    def __str__(self) -> str:
        return f"{self.pair_id}:{self.period.isoformat()}:{self.day.isoformat()}"


def member_pair(session: so.Session, pair_id: int, user_id: str) -> tuple[Pair, Person]:
    """The pair and the acting member; anyone outside the pair is refused."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise UserError("not_your_pair")
    for person in (pair.mentor, pair.mentee):
        if person.slack_user_id == user_id:
            return pair, person
    raise UserError("not_your_pair")


def checkin_ref(session: so.Session, *, channel: str, ts: str) -> Ref | None:
    """The check-in posted as (channel, ts), if that message is one of ours."""
    key = session.scalar(
        sa.select(OutboxMessage.key).where(
            OutboxMessage.channel == channel,
            OutboxMessage.slack_ts == ts,
            OutboxMessage.kind == "checkin",
        )
    )
    return Ref.parse(key) if key else None


def answer_checkin(
    session: so.Session,
    *,
    ref: Ref,
    user_id: str,
    met: bool,
    source: MeetingSource,
    now: dt.datetime,
    hours: WorkingHours,
) -> list[str]:
    """✅: the meeting is recorded (once). ❌: the period is missed and the mentee is asked
    for another day."""
    pair, _ = member_pair(session, ref.pair_id, user_id)
    if met:
        return meeting_held(
            session, pair=pair, day=ref.day, source=source, by=user_id, now=now, hours=hours
        )[1]
    meetings.answer_period(
        session, pair=pair, period=ref.period, answer=PeriodAnswer.MISSED, by=user_id, now=now
    )
    following = next_period_start(pair.cadence, ref.period)
    question = messages.reschedule_question(
        ref=str(ref),
        mentee=pair.mentee.slack_user_id,
        before=usual_meeting_day(pair.cadence, following, pair.weekday),
        today=ref.day + dt.timedelta(days=1),
    )
    key = f"reschedule:{ref}"
    enqueue(session, [Owed(key, "reschedule", pair.conversation_id or "", question, now, pair.id)])
    return [key]


def meeting_held(
    session: so.Session,
    *,
    pair: Pair,
    day: dt.date,
    source: MeetingSource,
    by: str,
    now: dt.datetime,
    hours: WorkingHours,
) -> tuple[Meeting, list[str], bool]:
    """Record the meeting; if new, say so in the pair's conversation and owe each member a
    reflection prompt in their own working hours. Returns (meeting, keys, created)."""
    meeting, created = meetings.record_meeting(
        session, pair=pair, held_on=day, source=source, recorded_by=by, now=now
    )
    if not created:
        return meeting, [], False
    owed = [
        Owed(
            f"meeting_recorded:{meeting.id}",
            "meeting_recorded",
            pair.conversation_id or "",
            messages.meeting_recorded(user=by, day=day),
            now,
            pair.id,
        )
    ]
    for member in (pair.mentee, pair.mentor):
        owed.append(
            Owed(
                f"reflection_prompt:{meeting.id}:{member.slack_user_id}",
                "reflection_prompt",
                member.slack_user_id,
                messages.reflection_prompt(
                    meeting_id=meeting.id, partner=pair.partner_of(member).slack_user_id, day=day
                ),
                hours.next_open(member.tz, now),
                pair.id,
            )
        )
    enqueue(session, owed)
    return meeting, [o.key for o in owed], True


def reflection_shared(
    session: so.Session, *, meeting: Meeting, author: Person, reflection_id: int, now: dt.datetime
) -> list[str]:
    pair = meeting.pair
    reflection = session.get_one(Reflection, reflection_id)
    message = messages.reflection_shared(
        author=author.slack_user_id,
        day=meeting.held_on,
        worked=reflection.worked,
        did_not_work=reflection.did_not_work,
        differently=reflection.differently,
    )
    key = f"reflection_shared:{reflection_id}"
    enqueue(
        session, [Owed(key, "reflection_shared", pair.conversation_id or "", message, now, pair.id)]
    )
    return [key]


def last_reflection_shared(
    session: so.Session, *, pair: Pair, reflection: Reflection, now: dt.datetime
) -> list[str]:
    """A member's last reflection, posted in the pair's conversation (once: the key is the
    reflection's, so sharing again after unsharing owes nothing new)."""
    message = closing_messages.last_reflection_shared(
        author=reflection.author.slack_user_id,
        worked=reflection.worked,
        did_not_work=reflection.did_not_work,
        differently=reflection.differently,
    )
    key = f"reflection_shared:{reflection.id}"
    enqueue(
        session, [Owed(key, "reflection_shared", pair.conversation_id or "", message, now, pair.id)]
    )
    return [key]


def close(session: so.Session, *, pair: Pair, now: dt.datetime, hours: WorkingHours) -> list[str]:
    """Close the pair, drop what it was still owed, and tell each member kindly, in their
    own working hours, offering a last reflection. Refuses a pair already closed."""
    meetings.close_pair(session, pair=pair, now=now)
    session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.pair_id == pair.id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.kind != "alert",  # the coordinators' alerts still go
        )
        .values(status=OutboxStatus.CANCELLED, error="pair_closed")
    )
    owed = [
        Owed(
            f"closed:{pair.id}:{member.slack_user_id}",
            "closed",
            member.slack_user_id,
            messages.pair_closed(pair_id=pair.id, partner=pair.partner_of(member).slack_user_id),
            hours.next_open(member.tz, now),
            pair.id,
        )
        for member in (pair.mentee, pair.mentor)
    ]
    enqueue(session, owed)
    return [o.key for o in owed]


def nudge_again(
    session: so.Session, *, pair: Pair, now: dt.datetime, hours: WorkingHours
) -> list[str]:
    """A coordinator's "Nudge again": the gentle word once more, at most once a day."""
    today = local_date(pair.mentee.tz, now)
    message = messages.at_risk(mentee=pair.mentee.slack_user_id, mentor=pair.mentor.slack_user_id)
    key = f"renudge:{pair.id}:{today.isoformat()}"
    at = hours.next_open(pair.mentee.tz, now)
    enqueue(session, [Owed(key, "renudge", pair.conversation_id or "", message, at, pair.id)])
    return [key]


def member_left(session: so.Session, *, team_id: str, user_id: str, now: dt.datetime) -> list[str]:
    """Someone deleted or deactivated: pause their open pairs and tell the coordinators."""
    person = find_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        return []
    person.active = False
    keys = []
    for pair in open_pairs_of(session, person):
        if pair.status is not PairStatus.PAUSED:
            pair.status, pair.paused_until, pair.status_changed_at = PairStatus.PAUSED, None, now
            pair.next_check_at = now
        channel = pair.programme.coordinator_channel_id
        if channel:
            message = messages.member_left(
                user=user_id, partner=pair.partner_of(person).slack_user_id
            )
            key = f"left:{pair.id}:{user_id}"
            enqueue(session, [Owed(key, "alert", channel, message, now, pair.id)])
            keys.append(key)
    return keys


def pulse_answered(
    session: so.Session,
    *,
    pair_id: int,
    days: int,
    user_id: str,
    answer: PulseAnswer,
    now: dt.datetime,
) -> tuple[int, list[str]]:
    """Record the answer; "could be better" and "not working" alert the coordinators once
    each, with the answer and never the note. Returns (pulse id, keys owed)."""
    pair, person = member_pair(session, pair_id, user_id)
    pulse = meetings.answer_pulse(
        session, pair=pair, person=person, days=days, answer=answer, now=now
    )
    channel = pair.programme.coordinator_channel_id
    if answer is PulseAnswer.GOING_WELL or not channel:
        return pulse.id, []
    message = messages.pulse_alert(
        mentor=pair.mentor.slack_user_id,
        mentee=pair.mentee.slack_user_id,
        user=user_id,
        answer=answer.value,
        days=days,
    )
    key = f"pulse_alert:{pair.id}:{days}:{user_id}:{answer.value}"
    enqueue(session, [Owed(key, "alert", channel, message, now, pair.id)])
    return pulse.id, [key]
