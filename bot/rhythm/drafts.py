"""What each planned message says: the nudge, the reminder, the pulse, the check-in and
the one reminder to agree a rhythm, drawn from the pair, the terms it agreed for the
period, and what a batch of plans loads in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import WorkingHours, shared_window, window_label
from bot.messages import blocks
from bot.messages import nudges as nudge_messages
from bot.messages import programme_ends as end_messages
from bot.messages import pulses as pulse_messages
from bot.messages import rhythms as rhythm_messages
from bot.messages import terms as wording
from bot.models import Agreement, Goal, GoalStatus, Pair, PairStatus
from bot.rhythm.lessons import Lessons, lessons_to_carry
from bot.rhythm.outbox import Owed
from bot.rhythm.planning import Due, PairState, Plan
from bot.services import agreements
from bot.terms import Terms


@dataclass(frozen=True)
class Loaded:
    """What a batch's messages need beyond the pairs: one query each, for the pairs whose
    plans need it."""

    goals: dict[int, list[Goal]]
    lessons: Lessons
    agreed: dict[int, list[Agreement]]
    proposals: dict[int, Agreement]
    in_several: frozenset[int]  # people (ids) with open pairs in more than one programme

    @classmethod
    def for_plans(cls, session: so.Session, plans: Sequence[tuple[Pair, Plan]]) -> Loaded:
        def having(*kinds: str) -> list[int]:
            return [pair.id for pair, plan in plans if any(d.kind in kinds for d in plan.due)]

        return cls(
            goals=_open_goals(session, having("nudge")),
            lessons=lessons_to_carry(session, having("reminder")),
            agreed=agreements.agreed_rows(session, having("nudge", "reminder")),
            proposals=agreements.open_proposals(session, having("agreement_reminder")),
            in_several=_in_several_programmes(
                session,
                [
                    d.recipient.person_id
                    for _, plan in plans
                    for d in plan.due
                    if d.kind == "reminder" and d.recipient is not None
                ],
            ),
        )

    def terms(self, pair: Pair, state: PairState, period: dt.date) -> Terms:
        return agreements.terms_at(state.rhythm, self.agreed.get(pair.id, []), period)[0]


def draft(
    pair: Pair, state: PairState, due: Due, loaded: Loaded, now: dt.datetime, hours: WorkingHours
) -> Owed:
    ref = f"{pair.id}:{due.period.isoformat()}"
    if due.kind == "nudge":
        message = _nudge(pair, state, due, loaded, now, hours)
    elif due.kind == "reminder":
        assert due.recipient is not None
        me = pair.mentor if due.recipient.person_id == pair.mentor_id else pair.mentee
        terms = loaded.terms(pair, state, due.period)
        message = nudge_messages.reminder(
            partner=pair.partner_of(me).slack_user_id,
            role=pair.role_of(me),
            time=wording.time_for(me.tz, pair.mentee.tz, due.meeting_day, terms.meets_at),
            length=wording.length(terms),
            way=wording.way(terms),
            lesson=loaded.lessons.get((pair.id, due.recipient.user_id)),
            programme=pair.programme.name if me.id in loaded.in_several else None,
        )
    elif due.kind == "pulse":
        assert due.recipient is not None
        me = pair.mentor if due.recipient.person_id == pair.mentor_id else pair.mentee
        days = int(due.key.split(":")[2])
        message = pulse_messages.pulse(
            ref=f"{pair.id}:{days}", partner=pair.partner_of(me).slack_user_id, days=days
        )
    elif due.kind == "agreement_reminder":
        message = _agreement_reminder(pair, state, due, loaded)
    elif due.kind == "programme_heads_up":
        message = end_messages.heads_up(
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
            programme=pair.programme.name,
            ends_on=state.ends_on or due.meeting_day,
        )
    elif due.kind == "programme_wrap_up":
        message = end_messages.wrap_up(pair_id=pair.id, programme=pair.programme.name)
    else:
        message = nudge_messages.checkin(
            ref=f"{ref}:{due.meeting_day.isoformat()}", day=due.meeting_day
        )
    channel = due.recipient.user_id if due.recipient else state.conversation_id
    return Owed(
        key=due.key,
        kind=due.kind,
        channel=channel,
        message=message,
        not_before=due.not_before,
        expires_at=due.expires_at,
        pair_id=pair.id,
    )


def _nudge(
    pair: Pair, state: PairState, due: Due, loaded: Loaded, now: dt.datetime, hours: WorkingHours
) -> blocks.Message:
    mentor, mentee = state.mentor, state.mentee
    zones: list[nudge_messages.Zone] = []
    mentor_hours = ""
    if mentor.tz != mentee.tz:
        window = shared_window(hours, due.meeting_day, mentee.tz, mentor.tz)
        if window:
            zones = [
                nudge_messages.Zone(m.user_id, window_label(m.tz, *window))
                for m in (mentee, mentor)
            ]
        else:
            theirs = (
                hours.day_start(mentor.tz, due.meeting_day),
                hours.day_end(mentor.tz, due.meeting_day),
            )
            mentor_hours = window_label(mentee.tz, *theirs)
    topics = nudge_messages.topics()
    index = state.rhythm.period_index(due.period)
    stale_before = now - dt.timedelta(days=nudge_messages.STALE_GOAL_DAYS)
    terms = loaded.terms(pair, state, due.period)
    return nudge_messages.nudge(
        ref=f"{pair.id}:{due.period.isoformat()}:{due.meeting_day.isoformat()}",
        mentor=mentor.user_id,
        mentee=mentee.user_id,
        day=due.meeting_day,
        time=wording.time_for_everyone(mentee.tz, due.meeting_day, terms.meets_at),
        length=wording.length(terms),
        way=wording.way(terms),
        zones=zones,
        mentor_hours=mentor_hours,
        topic=topics[(pair.id + index) % len(topics)],
        goals=[
            nudge_messages.GoalLine(g.number, g.text, g.updated_at < stale_before)
            for g in loaded.goals.get(pair.id, [])
        ],
    )


def _agreement_reminder(pair: Pair, state: PairState, due: Due, loaded: Loaded) -> blocks.Message:
    """A week in with nothing agreed: the suggestion waiting, or an invitation."""
    segment = state.rhythm.at(due.period)
    pencilled = wording.summary(Terms(segment.cadence, segment.weekday), time=None)
    waiting = loaded.proposals.get(pair.id)
    if waiting is None:
        return rhythm_messages.agreement_reminder(
            pair_id=pair.id, pencilled=pencilled, proposer=None, partner=None, terms=None
        )
    proposer = waiting.proposed_by
    partner = next(
        p.slack_user_id for p in (pair.mentor, pair.mentee) if p.slack_user_id != proposer
    )
    terms = agreements.terms_of(waiting)
    return rhythm_messages.agreement_reminder(
        pair_id=pair.id,
        pencilled=pencilled,
        proposer=proposer,
        partner=partner,
        terms=wording.summary(
            terms, time=wording.time_for_everyone(pair.mentee.tz, due.period, terms.meets_at)
        ),
    )


def _in_several_programmes(session: so.Session, person_ids: list[int]) -> frozenset[int]:
    """Of these people, those with open pairs in more than one programme."""
    if not person_ids:
        return frozenset()
    member = sa.union_all(
        sa.select(Pair.mentor_id.label("person_id"), Pair.programme_id).where(
            Pair.status != PairStatus.CLOSED, Pair.mentor_id.in_(person_ids)
        ),
        sa.select(Pair.mentee_id.label("person_id"), Pair.programme_id).where(
            Pair.status != PairStatus.CLOSED, Pair.mentee_id.in_(person_ids)
        ),
    ).subquery()
    return frozenset(
        session.scalars(
            sa.select(member.c.person_id)
            .group_by(member.c.person_id)
            .having(sa.func.count(sa.distinct(member.c.programme_id)) > 1)
        )
    )


def _open_goals(session: so.Session, pair_ids: list[int]) -> dict[int, list[Goal]]:
    goals: dict[int, list[Goal]] = defaultdict(list)
    if pair_ids:
        for goal in session.scalars(
            sa.select(Goal)
            .where(Goal.pair_id.in_(pair_ids), Goal.status == GoalStatus.OPEN)
            .order_by(Goal.pair_id, Goal.number)
        ):
            goals[goal.pair_id].append(goal)
    return goals
