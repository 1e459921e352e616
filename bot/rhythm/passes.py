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
    WorkingHours,
    known_zone,
)
from bot.messages import health as health_messages
from bot.models import (
    Meeting,
    OutboxMessage,
    Pair,
    PairStatus,
    Period,
    Person,
)
from bot.periods import Rhythm
from bot.rhythm import outbox, pair_requests
from bot.rhythm.alerts import to_coordinators
from bot.rhythm.closings import close_kindly
from bot.rhythm.digests import digest_programmes, plan_digest
from bot.rhythm.drafts import Loaded, draft
from bot.rhythm.outbox import Owed
from bot.rhythm.pacing import Pace
from bot.rhythm.planning import Member, PairState, PeriodNote, plan_pair
from bot.rhythm.programme_reports import ended_programmes, plan_end_report
from bot.services import agreements, lifecycle
from bot.services.rhythms import anchor_of, rhythms_of
from bot.slack import SlackUser, workspace_users

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
    digests: bool = False,
    pace: Pace | None = None,
    admins: frozenset[str] = frozenset(),
) -> PassSummary:
    """Plan what is due for the pairs whose time has come (and with `digests`, each
    programme's weekly digest once its time has come), then deliver everything the outbox
    owes at `now`, at `pace`. `admins` get the alerts of programmes without a channel."""
    summary = PassSummary()
    pair_requests.finish_left(
        sessions,
        client,
        now,
        deliver=lambda keys: outbox.deliver(
            sessions,
            client,
            now,
            hours=hours,
            keys=keys,
            on_failure=alert_coordinators(now, admins),
        ),
    )
    while True:
        _refresh_zones(sessions, client, now)
        with sessions.begin() as session:
            pairs = _due_pairs(session, now)
            if not pairs:
                break
            summary.pairs += len(pairs)
            summary.planned += _plan_batch(session, pairs, now, hours, admins)
    if digests:
        with sessions() as session:
            programme_ids = digest_programmes(session)
        for programme_id in programme_ids:
            try:
                with sessions.begin() as session:
                    summary.planned += plan_digest(session, now, programme_id)
            except Exception:
                # A digest is one message a week; a fault drawing one must hold up neither
                # the other programmes' nor every pair's messages. It is tried again at the
                # next pass, until it is too late.
                log.exception("programme %s's digest could not be planned", programme_id)
        with sessions() as session:
            ended = ended_programmes(session, now)
        for programme_id in ended:
            try:
                with sessions.begin() as session:
                    summary.planned += plan_end_report(session, now, programme_id, admins)
            except Exception:  # the same: tried again at the next pass
                log.exception("programme %s's end report could not be planned", programme_id)
    report = outbox.deliver(
        sessions, client, now, hours=hours, on_failure=alert_coordinators(now, admins), pace=pace
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
    """People's zones and names, kept fresh from users.list (a page of 200 people a call)
    once any person in the next batch of due pairs has a zone older than a day; so a day
    costs about people/200 calls, not one users.info per person. Slack is asked with no
    transaction open; what it said is written in one short transaction. (`user_change`
    events keep them fresh in between.) People without a name yet are written too, from the
    same listing: a sweep the zones call for fills them in at no further call; a missing
    name never calls for a sweep itself (someone Slack gives no name would, every pass).
    A zone or name Slack does not give leaves the one stored."""
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
    listed: dict[str, SlackUser] = {}
    complete = True
    try:
        for user in workspace_users(client):
            listed[user.id] = user
    except SlackApiError as error:  # a 429 or a refusal: keep the pages already read
        log.warning("users.list: %s", error.response.get("error"))
        complete = False
    with sessions.begin() as session:
        people = session.execute(
            sa.select(Person.id, Person.slack_user_id, Person.tz, Person.name).where(
                sa.or_(stale, Person.name.is_(None))
            )
        )
        updates = []
        for person_id, user_id, tz, name in people:
            if complete or user_id in listed:
                found = listed.get(user_id)
                zone = found.tz if found and known_zone(found.tz) else tz
                shown = found.name if found and found.name else name
                updates.append({"id": person_id, "tz": zone, "name": shown, "tz_refreshed_at": now})
        if updates:
            session.execute(sa.update(Person), updates)


def _plan_batch(
    session: so.Session,
    pairs: Sequence[Pair],
    now: dt.datetime,
    hours: WorkingHours,
    admins: frozenset[str],
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
    settled = agreements.settled_pairs(session, ids)
    for pair in pairs:
        state = pair_state(
            pair,
            rhythms[pair.id],
            notes[pair.id],
            frozenset(met[pair.id]),
            last_met.get(pair.id),
            needs_agreement=pair.id not in settled,
        )
        plan = plan_pair(state, now, hours)
        plans.append((pair, state, plan))
    loaded = Loaded.for_plans(session, [(pair, plan) for pair, _, plan in plans])
    for pair, state, plan in plans:
        if plan.close:  # its programme ended a week ago and it chose nothing: closed kindly
            close_kindly(session, pair, now=now, hours=hours)
            continue
        owed += [draft(pair, state, due, loaded, now, hours) for due in plan.due]
        if plan.resume:
            lifecycle.pause_ended(pair, resumed_on=state.paused_until or now.date(), now=now)
        if lifecycle.health_changed(pair, plan.health, now):
            owed += _health_changed(pair, state, pair.status, now, hours, admins)
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
    *,
    needs_agreement: bool = False,
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
        needs_agreement=needs_agreement,
        ends_on=pair.programme.ends_on,
        on_own=pair.on_own_since is not None,
        at_risk_periods=pair.programme.at_risk_periods,
        dormant_periods=pair.programme.dormant_periods,
        dormant_days=pair.programme.dormant_days,
    )


def _health_changed(
    pair: Pair,
    state: PairState,
    status: PairStatus,
    now: dt.datetime,
    hours: WorkingHours,
    admins: frozenset[str],
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
    if status is not PairStatus.DORMANT:
        return []
    message = health_messages.dormant_alert(
        pair_id=pair.id,
        mentor=pair.mentor.slack_user_id,
        mentee=pair.mentee.slack_user_id,
        last_met=state.last_met,
        started_on=state.started_on,
    )
    key = f"dormant:{pair.id}:{since}"
    return to_coordinators(
        pair.programme, admins, key=key, message=message, now=now, pair_id=pair.id
    )


def _member(person: Person) -> Member:
    return Member(person.id, person.slack_user_id, person.tz)


def alert_coordinators(now: dt.datetime, admins: frozenset[str] = frozenset()):
    """What a message Slack refused for good sets off: the pair's programme's coordinators
    are told (never about an alert, so an alert that fails is not alerted again)."""

    def alert(session: so.Session, row: OutboxMessage) -> None:
        if row.kind == "alert" or row.pair_id is None:
            return
        pair = session.get_one(Pair, row.pair_id)
        message = health_messages.delivery_failed(
            kind=row.kind,
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
            error=row.error or "unknown",
        )
        key = f"alert:failed:{row.key}"
        owed = to_coordinators(
            pair.programme, admins, key=key, message=message, now=now, pair_id=pair.id
        )
        outbox.enqueue(session, owed)

    return alert
