"""Meetings: answering a nudge, confirming a check-in (button, reaction or command), and
the reflection each member may write afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import meetings as meeting_messages
from bot.messages import nudges as nudge_messages
from bot.messages.blocks import Message
from bot.messages.refs import Ref
from bot.models import (
    Meeting,
    MeetingSource,
    Pair,
    PeriodAnswer,
    Person,
    Reflection,
)
from bot.rhythm.meeting_days import day_event
from bot.rhythm.outbox import Owed, enqueue, posted_key
from bot.services import meetings
from bot.services.pairs import member_of, pair_for
from bot.services.people import find_person
from bot.services.rhythms import load_rhythm

MET_REACTIONS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
MISSED_REACTIONS = frozenset({"x", "negative_squared_cross_mark", "heavy_multiplication_x"})
ANSWER_WORDS = {
    PeriodAnswer.CONFIRMED: "confirmed",
    PeriodAnswer.RESCHEDULED: "rescheduled",
    PeriodAnswer.SKIPPED: "skipped",
}


def answer_nudge(
    deps: Deps, *, user_id: str, ref: Ref, answer: PeriodAnswer, new_day: dt.date | None = None
) -> Message:
    """Confirm, skip or move the period's meeting; returns the note shown under the nudge."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, person = member_of(session, pair_id=ref.pair_id, user_id=user_id)
        meetings.check_ref(session, pair, person, ref.period, ref.day, now)
        if new_day is not None:
            meetings.check_new_day(session, pair, person, ref.period, new_day, now)
        meetings.answer_period(
            session,
            pair=pair,
            period=ref.period,
            answer=answer,
            by=user_id,
            now=now,
            new_day=new_day,
        )
        day = new_day or ref.day
        met = answer is not PeriodAnswer.SKIPPED
        event = day_event(session, pair, ref.period, day) if met else None
    return nudge_messages.nudge_answered(ANSWER_WORDS[answer], user=user_id, day=day, event=event)


def answer_checkin(deps: Deps, *, user_id: str, ref: Ref, met: bool, source: MeetingSource) -> None:
    """✅: the meeting is recorded (once). ❌: the period is missed and the mentee is asked
    for another day."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, person = member_of(session, pair_id=ref.pair_id, user_id=user_id)
        meetings.check_ref(session, pair, person, ref.period, ref.day, now)
        if met:
            meetings.check_log_date(pair, person, ref.day, now)
            keys = _meeting_held(session, deps, pair=pair, day=ref.day, source=source, by=user_id)[
                1
            ]
        else:
            keys = _missed(session, pair=pair, ref=ref, by=user_id, now=now)
    deps.deliver(keys)


def reaction_added(deps: Deps, *, user_id: str, reaction: str, channel: str, ts: str) -> None:
    """✅ or ❌ from a member on one of our check-ins answers it; anything else (another
    emoji, another message, someone outside the pair, a closed pair) changes nothing and
    gets no answer."""
    name = reaction.split("::")[0]
    met = name in MET_REACTIONS
    if not (met or name in MISSED_REACTIONS):
        return
    with deps.sessions() as session:
        key = posted_key(session, kind="checkin", channel=channel, ts=ts)
    if key is None:
        return
    try:
        answer_checkin(
            deps, user_id=user_id, ref=Ref.parse(key), met=met, source=MeetingSource.REACTION
        )
    except UserError:
        return


def log_meeting(
    deps: Deps, *, team_id: str, user_id: str, partner: str | None, day_of: Any
) -> Message:
    """`/mentor-log`: the meeting on the day the person means (`day_of(their today)`)."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair = pair_for(session, person=person, partner_user_id=partner)
        assert person is not None  # pair_for refuses a person it does not know
        day = day_of(local_date(person.tz, now))
        meetings.check_log_date(pair, person, day, now)
        _, keys, created = _meeting_held(
            session, deps, pair=pair, day=day, source=MeetingSource.COMMAND, by=user_id
        )
        partner_id = pair.partner_of(person).slack_user_id
    deps.deliver(keys)
    return meeting_messages.meeting_confirmation(partner=partner_id, day=day, created=created)


def reflection_form(deps: Deps, *, team_id: str, user_id: str, meeting_id: int) -> dict[str, Any]:
    """The reflection modal for a member's meeting (nothing is written)."""
    with deps.sessions() as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        meeting = meetings.meeting_of_member(session, meeting_id=meeting_id, person=person)
        assert person is not None
        return meeting_messages.reflection_modal(
            meeting_id=meeting.id,
            partner=meeting.pair.partner_of(person).slack_user_id,
            day=meeting.held_on,
        )


def save_reflection(
    deps: Deps, *, team_id: str, user_id: str, meeting_id: int, answers: dict[str, str], share: bool
) -> None:
    """Store the author's answers on a meeting; post them in the pair's conversation the
    first time they are shared; tell the author (by DM) where their words went."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        meeting = meetings.meeting_of_member(session, meeting_id=meeting_id, person=person)
        assert person is not None
        reflection, newly_shared = meetings.save_reflection(
            session, meeting=meeting, author=person, shared=share, now=now, **answers
        )
        shared = (
            meeting_messages.reflection_shared(
                author=user_id,
                day=meeting.held_on,
                worked=reflection.worked,
                did_not_work=reflection.did_not_work,
                differently=reflection.differently,
            )
            if newly_shared
            else None
        )
        keys = owe_reflection_messages(session, meeting.pair, person, reflection, shared, now)
    deps.deliver(keys)


def owe_reflection_messages(
    session: so.Session,
    pair: Pair,
    author: Person,
    reflection: Reflection,
    shared: Message | None,
    now: dt.datetime,
) -> list[str]:
    """What saving a reflection owes: `shared` (its answers, the first time it is shared)
    in the pair's conversation, once; and the author's DM saying it was saved and whether
    their partner sees it (once per save)."""
    owed = []
    if shared is not None:
        key = f"reflection_shared:{reflection.id}"
        channel = pair.conversation_id or ""
        owed.append(Owed(key, "reflection_shared", channel, shared, now, pair.id))
    partner = pair.partner_of(author).slack_user_id
    note = meeting_messages.reflection_saved(shared=reflection.shared, partner=partner)
    key = f"reflection_saved:{reflection.id}:{now.isoformat()}"
    owed.append(Owed(key, "reflection_saved", author.slack_user_id, note, now, pair.id))
    enqueue(session, owed)
    return [o.key for o in owed]


def _missed(session: so.Session, *, pair: Pair, ref: Ref, by: str, now: dt.datetime) -> list[str]:
    meetings.answer_period(
        session, pair=pair, period=ref.period, answer=PeriodAnswer.MISSED, by=by, now=now
    )
    rhythm = load_rhythm(session, pair)
    question = nudge_messages.reschedule_question(
        ref=str(ref),
        mentee=pair.mentee.slack_user_id,
        before=rhythm.usual_meeting_day(rhythm.next_period_start(ref.period)),
        today=ref.day + dt.timedelta(days=1),
    )
    key = f"reschedule:{ref}"
    enqueue(session, [Owed(key, "reschedule", pair.conversation_id or "", question, now, pair.id)])
    return [key]


def _meeting_held(
    session: so.Session, deps: Deps, *, pair: Pair, day: dt.date, source: MeetingSource, by: str
) -> tuple[Meeting, list[str], bool]:
    """Record the meeting; if new, say so in the pair's conversation and owe each member a
    reflection prompt in their own working hours. Returns (meeting, keys, created)."""
    now, hours = deps.now(), deps.settings.hours
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
            meeting_messages.meeting_recorded(user=by, day=day),
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
                meeting_messages.reflection_prompt(
                    meeting_id=meeting.id, partner=pair.partner_of(member).slack_user_id, day=day
                ),
                hours.next_open(member.tz, now),
                pair.id,
            )
        )
    enqueue(session, owed)
    return meeting, [o.key for o in owed], True
