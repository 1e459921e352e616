"""One scheduler pass: plan what is due at `now`, write it to the outbox, deliver it.

The pass reads only pairs whose `next_check_at` has come (an indexed column), in
batches, with a fixed number of queries per batch; so its cost follows the work due,
not the number of pairs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import orm as so

from bot.calendar import (
    DigestSchedule,
    WorkingHours,
    known_zone,
    shared_window,
    window_label,
)
from bot.messages import blocks
from bot.messages import health as health_messages
from bot.messages import nudges as nudge_messages
from bot.messages import pulses as pulse_messages
from bot.models import (
    Goal,
    GoalStatus,
    Meeting,
    OutboxMessage,
    Pair,
    PairStatus,
    Period,
    Person,
    Programme,
)
from bot.periods import Rhythm
from bot.rhythm import outbox, pair_requests
from bot.rhythm.digests import plan_digests
from bot.rhythm.lessons import Lessons, lessons_to_carry
from bot.rhythm.outbox import Owed
from bot.rhythm.pacing import Pace
from bot.rhythm.planning import Due, Member, PairState, PeriodNote, plan_pair
from bot.services import lifecycle
from bot.services.rhythms import anchor_of, rhythms_of
from bot.slack import workspace_users

log = logging.getLogger(__name__)

BATCH = 500
RECHECK = dt.timedelta(minutes=1)
TZ_MAX_AGE = dt.timedelta(days=1)
WINDOW_BACK = dt.timedelta(days=70)  # periods and meetings older than this never matter


@dataclass
class PassSummary:
    pairs: int = 0
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    reconciled: int = 0

    def line(self, now: dt.datetime) -> str:
        return (
            f"tick {now:%Y-%m-%dT%H:%M:%SZ}: {self.pairs} pairs checked, {self.planned} planned,"
            f" {self.sent} sent, {self.retried} to retry, {self.failed} failed,"
            f" {self.expired} expired, {self.reconciled} reconciled"
        )


def run_pass(
    sessions: so.sessionmaker[so.Session],
    client: WebClient,
    now: dt.datetime,
    hours: WorkingHours,
    digest: DigestSchedule | None = None,
    pace: Pace | None = None,
) -> PassSummary:
    """Plan what is due for the pairs whose time has come (and the weekly digest, given its
    schedule), then deliver everything the outbox owes at `now`, at `pace`."""
    summary = PassSummary()
    pair_requests.finish_left(
        sessions,
        client,
        now,
        deliver=lambda keys: outbox.deliver(
            sessions, client, now, hours=hours, keys=keys, on_failure=alert_coordinators(now)
        ),
    )
    while True:
        _refresh_zones(sessions, client, now)
        with sessions.begin() as session:
            pairs = _due_pairs(session, now)
            if not pairs:
                break
            summary.pairs += len(pairs)
            summary.planned += _plan_batch(session, pairs, now, hours)
    if digest is not None:
        try:
            with sessions.begin() as session:
                summary.planned += plan_digests(session, now, digest)
        except Exception:
            # The digest is one message a week; a fault drawing it must not hold up every
            # pair's messages. It is tried again at the next pass, until it is too late.
            log.exception("the weekly digest could not be planned; delivering the rest")
    report = outbox.deliver(
        sessions, client, now, hours=hours, on_failure=alert_coordinators(now), pace=pace
    )
    summary.sent, summary.retried = report.sent, report.retried
    summary.failed, summary.expired = len(report.failed), report.expired
    summary.reconciled = report.reconciled
    if report.failed:  # the alerts about failures are due now too
        again = outbox.deliver(sessions, client, now, hours=hours, pace=pace)
        summary.sent += again.sent
        summary.failed += len(again.failed)
    return summary


def _due_pairs(session: so.Session, now: dt.datetime) -> Sequence[Pair]:
    query = (
        sa.select(Pair)
        .where(Pair.next_check_at <= now, Pair.status != PairStatus.CLOSED)
        .order_by(Pair.next_check_at, Pair.id)
        .limit(BATCH)
        .options(
            so.joinedload(Pair.mentor), so.joinedload(Pair.mentee), so.joinedload(Pair.programme)
        )
    )
    if session.get_bind().dialect.name == "postgresql":
        # Two schedulers take different pairs; joined people are not locked.
        query = query.with_for_update(skip_locked=True, of=Pair)
    return session.scalars(query).unique().all()


def _refresh_zones(
    sessions: so.sessionmaker[so.Session], client: WebClient, now: dt.datetime
) -> None:
    """People's zones, kept fresh from users.list (a page of 200 people a call) once any
    person in the next batch of due pairs has a zone older than a day; so a day costs about
    people/200 calls, not one users.info per person. Slack is asked with no transaction
    open; what it said is written in one short transaction. (`user_change` events keep
    zones fresh in between.)"""
    stale = sa.or_(Person.tz_refreshed_at.is_(None), Person.tz_refreshed_at < now - TZ_MAX_AGE)
    with sessions() as session:
        due = (
            sa.select(Pair.mentor_id, Pair.mentee_id)
            .where(Pair.next_check_at <= now, Pair.status != PairStatus.CLOSED)
            .order_by(Pair.next_check_at, Pair.id)
            .limit(BATCH)
            .subquery()
        )
        in_batch = sa.or_(
            Person.id.in_(sa.select(due.c.mentor_id)), Person.id.in_(sa.select(due.c.mentee_id))
        )
        if session.scalar(sa.select(sa.exists().where(in_batch, stale))) is not True:
            return
    zones: dict[str, str | None] = {}
    complete = True
    try:
        for user in workspace_users(client):
            zones[user.id] = user.tz
    except SlackApiError as error:  # a 429 or a refusal: keep the pages already read
        log.warning("users.list: %s", error.response.get("error"))
        complete = False
    with sessions.begin() as session:
        people = session.execute(sa.select(Person.id, Person.slack_user_id, Person.tz).where(stale))
        updates = []
        for person_id, user_id, tz in people:
            if complete or user_id in zones:
                found = zones.get(user_id)
                zone = found if known_zone(found) else tz
                updates.append({"id": person_id, "tz": zone, "tz_refreshed_at": now})
        if updates:
            session.execute(sa.update(Person), updates)


def _plan_batch(
    session: so.Session, pairs: Sequence[Pair], now: dt.datetime, hours: WorkingHours
) -> int:
    ids = [pair.id for pair in pairs]
    since = (now - WINDOW_BACK).date()
    notes: dict[int, dict[dt.date, PeriodNote]] = defaultdict(dict)
    for period in session.scalars(
        sa.select(Period).where(Period.pair_id.in_(ids), Period.starts_on >= since)
    ):
        notes[period.pair_id][period.starts_on] = PeriodNote(period.meeting_day, period.answer)
    met: dict[int, set[dt.date]] = defaultdict(set)
    for pair_id, held_on in session.execute(
        sa.select(Meeting.pair_id, Meeting.held_on).where(
            Meeting.pair_id.in_(ids), Meeting.held_on >= since
        )
    ):
        met[pair_id].add(held_on)

    last_met = dict(
        session.execute(
            sa.select(Meeting.pair_id, sa.func.max(Meeting.held_on))
            .where(Meeting.pair_id.in_(ids))
            .group_by(Meeting.pair_id)
        ).all()
    )
    owed: list[Owed] = []
    plans = []
    rhythms = rhythms_of(session, pairs)
    for pair in pairs:
        state = pair_state(
            pair, rhythms[pair.id], notes[pair.id], frozenset(met[pair.id]), last_met.get(pair.id)
        )
        plan = plan_pair(state, now, hours)
        plans.append((pair, state, plan))
    goals = _open_goals(session, [p.id for p, _, plan in plans if _has(plan.due, "nudge")])
    lessons = lessons_to_carry(
        session, [p.id for p, _, plan in plans if _has(plan.due, "reminder")]
    )
    for pair, state, plan in plans:
        owed += [
            _owed(pair, state, due, goals.get(pair.id, []), lessons, now, hours) for due in plan.due
        ]
        if plan.resume:
            lifecycle.pause_ended(pair, resumed_on=state.paused_until or now.date(), now=now)
        if lifecycle.health_changed(pair, plan.health, now):
            owed += _health_changed(pair, state, pair.status, now, hours)
        # A plan always looks forward; never leave a pair due again in this same pass.
        later = plan.next_check_at
        pair.next_check_at = later if later is None or later > now else now + RECHECK
    return outbox.enqueue(session, owed)


def pair_state(
    pair: Pair,
    rhythm: Rhythm,
    notes: dict[dt.date, PeriodNote],
    met: frozenset[dt.date],
    last_met: dt.date | None = None,
) -> PairState:
    return PairState(
        pair_id=pair.id,
        rhythm=rhythm,
        status=pair.status,
        paused_until=pair.paused_until,
        resumed_on=pair.resumed_on,
        started_on=anchor_of(pair),
        conversation_id=pair.conversation_id or "",
        mentor=_member(pair.mentor),
        mentee=_member(pair.mentee),
        periods=notes,
        meeting_days=met,
        last_met=last_met,
        at_risk_periods=pair.programme.at_risk_periods,
        dormant_periods=pair.programme.dormant_periods,
        dormant_days=pair.programme.dormant_days,
    )


def _health_changed(
    pair: Pair, state: PairState, status: PairStatus, now: dt.datetime, hours: WorkingHours
) -> list[Owed]:
    """At risk: a gentle word to the pair. Dormant: the coordinators, with one-click actions."""
    since = (state.last_met or state.started_on).isoformat()
    if status is PairStatus.AT_RISK:
        message = health_messages.at_risk(
            mentee=pair.mentee.slack_user_id, mentor=pair.mentor.slack_user_id
        )
        at = hours.next_open(pair.mentee.tz, now)
        return [
            Owed(
                f"at_risk:{pair.id}:{since}", "at_risk", state.conversation_id, message, at, pair.id
            )
        ]
    channel = pair.programme.coordinator_channel_id
    if status is not PairStatus.DORMANT or not channel:
        return []
    message = health_messages.dormant_alert(
        pair_id=pair.id,
        mentor=pair.mentor.slack_user_id,
        mentee=pair.mentee.slack_user_id,
        last_met=state.last_met,
        started_on=state.started_on,
    )
    return [Owed(f"dormant:{pair.id}:{since}", "alert", channel, message, now, pair.id)]


def _member(person: Person) -> Member:
    return Member(person.id, person.slack_user_id, person.tz)


def _has(due: list[Due], kind: str) -> bool:
    return any(d.kind == kind for d in due)


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


def _owed(
    pair: Pair,
    state: PairState,
    due: Due,
    goals: list[Goal],
    lessons: Lessons,
    now: dt.datetime,
    hours: WorkingHours,
) -> Owed:
    ref = f"{pair.id}:{due.period.isoformat()}"
    if due.kind == "nudge":
        message = _nudge(pair, state, due, goals, now, hours)
    elif due.kind == "reminder":
        assert due.recipient is not None
        me = pair.mentor if due.recipient.person_id == pair.mentor_id else pair.mentee
        message = nudge_messages.reminder(
            partner=pair.partner_of(me).slack_user_id,
            role=pair.role_of(me),
            lesson=lessons.get((pair.id, due.recipient.user_id)),
        )
    elif due.kind == "pulse":
        assert due.recipient is not None
        me = pair.mentor if due.recipient.person_id == pair.mentor_id else pair.mentee
        days = int(due.key.split(":")[2])
        message = pulse_messages.pulse(
            ref=f"{pair.id}:{days}", partner=pair.partner_of(me).slack_user_id, days=days
        )
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
    pair: Pair, state: PairState, due: Due, goals: list[Goal], now: dt.datetime, hours: WorkingHours
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
    return nudge_messages.nudge(
        ref=f"{pair.id}:{due.period.isoformat()}:{due.meeting_day.isoformat()}",
        mentor=mentor.user_id,
        mentee=mentee.user_id,
        day=due.meeting_day,
        zones=zones,
        mentor_hours=mentor_hours,
        topic=topics[(pair.id + index) % len(topics)],
        goals=[
            nudge_messages.GoalLine(g.number, g.text, g.updated_at < stale_before) for g in goals
        ],
    )


def alert_coordinators(now: dt.datetime):
    def alert(session: so.Session, row: OutboxMessage) -> None:
        if row.kind == "alert" or row.pair_id is None:
            return
        pair = session.get_one(Pair, row.pair_id)
        channel = session.get_one(Programme, pair.programme_id).coordinator_channel_id
        if not channel:
            return
        message = health_messages.delivery_failed(
            kind=row.kind,
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
            error=row.error or "unknown",
        )
        outbox.enqueue(
            session,
            [Owed(f"alert:failed:{row.key}", "alert", channel, message, now, pair_id=pair.id)],
        )

    return alert
