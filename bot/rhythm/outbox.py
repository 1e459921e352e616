"""The outbox: every scheduled message is a row with a unique key before it is sent.

- `enqueue` inserts rows and ignores keys that exist, so planning twice, or two
  schedulers planning at once, owe each message once.
- `deliver` claims due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional
  UPDATE everywhere), posts each with its key in Slack message metadata, and records
  the `ts`. A row is posted only inside its recipient's working hours, checked at the
  claim (bot/rhythm/delivery_hours.py says whose): outside them it waits, `pending`, for
  their next opening, or is dropped as expired if it expires first. A permanent error
  (channel gone, user deactivated, ...) fails the row once and tells the coordinators.
- Claimed rows are posted by a bounded pool of senders, one conversation's rows by one
  sender in order (bot/rhythm/senders.py). A 429's Retry-After is shared through the
  database by every sender of every process (bot/rhythm/pacing.py); a short one is
  waited out when the `Pace` allows (scheduler passes), a longer one puts the rows back
  for a later pass without holding up what other methods send.
- A crash between Slack accepting a message and our commit leaves the row `sending`,
  and so does an answer that does not say whether Slack posted it: a timeout, a 5xx, a
  body that is not JSON, `internal_error`/`fatal_error`. Once its claim is older than
  `LEASE`, `reconcile` looks for the key in the conversation's recent history: found,
  the row is marked sent with that `ts`; not found, it is sent again. So nothing is lost
  and nothing is sent twice.
- A row may hold a file instead (the digest's chart): it is shared with
  `files_upload_v2`, and reconciled by its file name, which is unique per row.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy import orm as so

from bot.calendar import WorkingHours
from bot.db import upsert_insert
from bot.messages.blocks import Message, Upload
from bot.models import OutboxMessage, OutboxStatus, Pair
from bot.models.base import UTCDateTime
from bot.rhythm import delivery_hours
from bot.rhythm.pacing import Pace
from bot.rhythm.senders import Senders
from bot.rhythm.sending import Claimed, DeliveryReport, reconcile
from bot.services import lifecycle

log = logging.getLogger(__name__)


BATCH = 100


@dataclass(frozen=True)
class Owed:
    """A message (or a file) to put in the outbox."""

    key: str
    kind: str
    channel: str
    message: Message | Upload
    not_before: dt.datetime
    pair_id: int | None = None
    expires_at: dt.datetime | None = None


def enqueue(session: so.Session, owed: Iterable[Owed]) -> int:
    """Insert the messages whose keys are new; returns how many were new."""
    rows = [
        {
            "key": o.key,
            "kind": o.kind,
            "channel": o.channel,
            "payload": _payload(o.message),
            "not_before": o.not_before,
            "expires_at": o.expires_at,
            "pair_id": o.pair_id,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "created_at": dt.datetime.now(dt.UTC),
        }
        for o in owed
    ]
    if not rows:
        return 0
    statement = upsert_insert(session, OutboxMessage).on_conflict_do_nothing(index_elements=["key"])
    result = session.execute(statement.returning(OutboxMessage.id), rows)
    return len(result.all())


def _payload(message: Message | Upload) -> dict[str, Any]:
    if isinstance(message, Upload):
        content = base64.b64encode(message.content).decode("ascii")
        return {"file": {**message.as_kwargs(), "content": content}}
    return {"text": message.text, "blocks": message.blocks}


def deliver(
    sessions: so.sessionmaker[so.Session],
    client: WebClient,
    now: dt.datetime,
    *,
    hours: WorkingHours,
    on_failure: Callable[[so.Session, OutboxMessage], None] | None = None,
    keys: Sequence[str] | None = None,
    pace: Pace | None = None,
) -> DeliveryReport:
    """Send every row due at `now` (only those with `keys`, if given) whose recipient is
    inside their working `hours`; each row's outcome is committed on its own. Listeners
    pass `keys` to send what they just owed at once. `pace` says how many are sent at
    once and how long a 429 may be waited out (by default: 4, and not at all)."""
    report = DeliveryReport()
    if keys is None:
        report.reconciled = reconcile(sessions, client, now)
    elif not keys:
        return report
    with Senders(sessions, client, now, pace or Pace(), on_failure) as senders:
        while True:
            found, claimed = _claim(sessions, now, hours, report, keys)
            if not found or senders.send(claimed, report):
                break
    report.waited = senders.limits.waited
    return report


def _claim(
    sessions: so.sessionmaker[so.Session],
    now: dt.datetime,
    hours: WorkingHours,
    report: DeliveryReport,
    keys: Sequence[str] | None,
) -> tuple[bool, list[Claimed]]:
    """Claim up to BATCH due rows; (whether any were due, the rows this process claimed).
    A row outside its recipient's working hours is put off to their next opening, or
    dropped as expired if it expires before then."""
    with sessions.begin() as session:
        query = (
            sa.select(
                OutboxMessage.id,
                OutboxMessage.expires_at,
                OutboxMessage.kind,
                OutboxMessage.channel,
                OutboxMessage.pair_id,
                Pair.status.label("pair_status"),
            )
            .outerjoin(Pair, Pair.id == OutboxMessage.pair_id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(BATCH)
        )
        if keys is not None:
            query = query.where(OutboxMessage.key.in_(keys))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
        rows = session.execute(query).all()
        if not rows:
            return False, []
        dropped = [r.id for r in rows if not lifecycle.still_sent(r.pair_status, r.kind)]
        if dropped:  # a pair closed after they were owed (a pass planning as it closed)
            _drop_closed(session, OutboxMessage.id.in_(dropped))
        rows = [r for r in rows if lifecycle.still_sent(r.pair_status, r.kind)]
        expired = [r.id for r in rows if r.expires_at is not None and r.expires_at <= now]
        live = [r for r in rows if r.id not in set(expired)]
        zones = delivery_hours.zones(
            session,
            (delivery_hours.Addressed(r.id, r.kind, r.channel, r.pair_id) for r in live),
        )
        later: dict[int, dt.datetime] = {}
        for r in live:
            tz = zones.get(r.id)
            if tz is None or hours.contains(tz, now):
                continue
            opening = hours.next_open(tz, now)
            if r.expires_at is not None and r.expires_at <= opening:
                expired.append(r.id)
            else:
                later[r.id] = opening
        put_off = set(later) | set(expired)
        live = [r for r in live if r.id not in put_off]
        if later:
            session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(later), OutboxMessage.status == OutboxStatus.PENDING)
                .values(
                    not_before=sa.case(
                        {row_id: sa.literal(at, UTCDateTime()) for row_id, at in later.items()},
                        value=OutboxMessage.id,
                    )
                ),
                execution_options={"synchronize_session": False},
            )
            report.deferred += len(later)
        if expired:
            session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id.in_(expired), OutboxMessage.status == OutboxStatus.PENDING)
                .values(status=OutboxStatus.CANCELLED, error="expired")
            )
            report.expired += len(expired)
        if not live:
            return True, []
        claimed = session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([r.id for r in live]),
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(
                status=OutboxStatus.SENDING,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(
                OutboxMessage.id, OutboxMessage.key, OutboxMessage.channel, OutboxMessage.payload
            )
        ).all()
        return True, sorted((Claimed(*row) for row in claimed), key=lambda c: c.id)


def posted_key(session: so.Session, *, kind: str, channel: str, ts: str) -> str | None:
    """The key of our message of `kind` that Slack posted as (channel, ts), if it is one."""
    return session.scalar(
        sa.select(OutboxMessage.key).where(
            OutboxMessage.channel == channel,
            OutboxMessage.slack_ts == ts,
            OutboxMessage.kind == kind,
        )
    )


def drop_owed_to_closed_pair(session: so.Session, pair_id: int) -> None:
    """When a pair closes: what it was still owed, apart from what closing it sends."""
    _drop_closed(
        session,
        sa.and_(
            OutboxMessage.pair_id == pair_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.kind.not_in(lifecycle.SENT_AFTER_CLOSING),
        ),
    )


def _drop_closed(session: so.Session, which: sa.ColumnElement[bool]) -> None:
    session.execute(
        sa.update(OutboxMessage)
        .where(which)
        .values(status=OutboxStatus.CANCELLED, error="pair_closed")
        .execution_options(synchronize_session=False)
    )
