"""The pair's lifecycle: the one module that changes a pair's status.

    active ⇄ paused (until a date, or until resumed)
    active → at_risk → dormant, and any meeting brings them back to active
    any state → closed, which is final

A member who leaves the workspace pauses the pair. Every change stamps
`status_changed_at` and asks the scheduler to look at the pair again (`next_check_at`);
a closed pair is never looked at again. Whatever is about a closed pair (a button, a
reaction, a command, a modal) is refused here with `ensure_open`.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.errors import UserError
from bot.models import Pair, PairStatus

ACTIVE, PAUSED, AT_RISK, DORMANT, CLOSED = (
    PairStatus.ACTIVE,
    PairStatus.PAUSED,
    PairStatus.AT_RISK,
    PairStatus.DORMANT,
    PairStatus.CLOSED,
)
# The states a pair's health (meetings kept or missed) moves between.
LIVELY = (ACTIVE, AT_RISK, DORMANT)
ALLOWED: dict[PairStatus, frozenset[PairStatus]] = {
    ACTIVE: frozenset({PAUSED, AT_RISK, DORMANT, CLOSED}),
    AT_RISK: frozenset({ACTIVE, PAUSED, DORMANT, CLOSED}),
    DORMANT: frozenset({ACTIVE, PAUSED, CLOSED}),
    PAUSED: frozenset({ACTIVE, CLOSED}),
    CLOSED: frozenset(),
}
MAX_PAUSE = dt.timedelta(days=365)
# What is still sent about a pair once it is closed: the kind words to each member, the
# last reflections they write and share, and the coordinators' alerts. The rest is dropped.
SENT_AFTER_CLOSING = frozenset({"closed", "reflection_shared", "reflection_saved", "alert"})


class TransitionRefused(Exception):
    """A change the lifecycle does not allow: a bug in the caller, never a person's input."""


def ensure_open(pair: Pair) -> Pair:
    """The pair, unless it is closed: then a UserError naming the day it closed."""
    if pair.status is CLOSED:
        raise closed_error(pair)
    return pair


def closed_error(pair: Pair) -> UserError:
    closed_on = pair.closed_at.date().isoformat() if pair.closed_at else ""
    return UserError(
        "pair_closed",
        mentor=pair.mentor.slack_user_id,
        mentee=pair.mentee.slack_user_id,
        closed_on=closed_on,
    )


def still_sent(status: PairStatus | None, kind: str) -> bool:
    """Whether a message of `kind` about a pair in `status` (None: about no pair) is sent."""
    return status is not CLOSED or kind in SENT_AFTER_CLOSING


def already_closed_error(pair: Pair) -> UserError:
    """For closing a pair that is closed already."""
    return UserError(
        "pair_already_closed", mentor=pair.mentor.slack_user_id, mentee=pair.mentee.slack_user_id
    )


def pause(pair: Pair, *, until: dt.date | None, today: dt.date, now: dt.datetime) -> Pair:
    """Paused until `until` (None: until resumed); a paused pair may change its date."""
    ensure_open(pair)
    if until is not None and until <= today:
        raise UserError("pause_past", date=until.isoformat())
    if until is not None and until - today > MAX_PAUSE:
        raise UserError("pause_too_long")
    if pair.status is not PAUSED:
        _move(pair, PAUSED, now)
    pair.paused_until, pair.next_check_at = until, now
    return pair


def resume(pair: Pair, *, resumed_on: dt.date, now: dt.datetime) -> Pair:
    """Active again from `resumed_on`: no messages about days before it."""
    ensure_open(pair)
    if pair.status is not PAUSED:
        raise UserError("not_paused")
    _move(pair, ACTIVE, now)
    pair.paused_until, pair.resumed_on = None, resumed_on
    return pair


def met(pair: Pair, now: dt.datetime) -> None:
    """A new meeting: an at-risk or dormant pair is active again."""
    if pair.status in (AT_RISK, DORMANT):
        _move(pair, ACTIVE, now)
    pair.next_check_at = now


def health_changed(pair: Pair, health: PairStatus | None, now: dt.datetime) -> bool:
    """The scheduler's verdict on a lively pair (active, at risk or dormant); True if it
    changed the status. A paused or closed pair keeps its status, and so does one changed
    by someone else since the scheduler read it (the next pass looks again)."""
    if health is None or health is pair.status or pair.status not in LIVELY:
        return False
    try:
        _move(pair, health, now)
    except UserError:
        return False
    return True


def pause_ended(pair: Pair, *, resumed_on: dt.date, now: dt.datetime) -> None:
    """The scheduler's resume of a pause that reached its date (unless the pair was
    closed or changed meanwhile)."""
    try:
        resume(pair, resumed_on=resumed_on, now=now)
    except UserError:
        return


def member_left(pair: Pair, now: dt.datetime) -> None:
    """A member left the workspace: the pair waits, paused with no end, for a coordinator
    (a pause that had an end loses it: the pair must not resume by itself)."""
    if pair.status in LIVELY:
        _move(pair, PAUSED, now)
    pair.paused_until = None


def continue_on_own(pair: Pair, *, today: dt.date, now: dt.datetime) -> Pair:
    """After its programme ended, the pair keeps meeting on its own: still open, but never
    nudged again nor counted for health."""
    ensure_open(pair)
    pair.on_own_since = pair.on_own_since or today
    pair.next_check_at = None
    return pair


def close(session: so.Session, pair: Pair, now: dt.datetime) -> Pair:
    """Closed is final: no more messages; the history stays for the digest.

    The change is one conditional UPDATE, so of two clicks at once (or a click and a
    retry) exactly one closes the pair; the other is told it is already closed.
    """
    closed = session.execute(
        sa.update(Pair)
        .where(Pair.id == pair.id, Pair.status != CLOSED)
        .values(status=CLOSED, closed_at=now, status_changed_at=now, next_check_at=None)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        raise already_closed_error(pair)
    session.refresh(pair)
    return pair


def _move(pair: Pair, status: PairStatus, now: dt.datetime) -> None:
    """Change the status, if it is still the one `pair` was read with: one conditional
    UPDATE, so a change made meanwhile by another process (a close, above all) is never
    overwritten; the pair is then read again and the change refused."""
    if status not in ALLOWED[pair.status]:
        raise TransitionRefused(f"pair {pair.id}: {pair.status} → {status}")
    session = so.object_session(pair)
    assert session is not None, "a pair's status changes within a session"
    moved = session.execute(
        sa.update(Pair)
        .where(Pair.id == pair.id, Pair.status == pair.status)
        .values(status=status, status_changed_at=now, next_check_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        session.refresh(pair)
        ensure_open(pair)
        raise UserError("pair_changed")
    so.attributes.set_committed_value(pair, "status", status)
    so.attributes.set_committed_value(pair, "status_changed_at", now)
    so.attributes.set_committed_value(pair, "next_check_at", now)
