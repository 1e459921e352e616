"""The pair's agreement: a member proposes terms (rhythm, usual time and length, how they
meet, how fast they answer), the partner agrees or suggests a change, a coordinator may
set the rhythm directly. The one owner of `Agreement` and `Hope` rows. A change of cadence
or day goes through bot.services.rhythms, so every period keeps the rhythm it was planned
with; all terms take effect from the same day, the first period not yet nudged."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.errors import UserError
from bot.models import (
    Agreement,
    AgreementStatus,
    Cadence,
    Hope,
    Pair,
    Person,
)
from bot.periods import Rhythm
from bot.services.rhythms import change_day, change_rhythm, load_rhythm, rhythms_of
from bot.terms import Terms


@dataclass(frozen=True)
class Settled:
    """What an agreement (or a coordinator's setting) did: its terms, from when."""

    row: Agreement
    terms: Terms
    starts_on: dt.date


def terms_of(row: Agreement) -> Terms:
    return Terms(
        row.cadence,
        row.weekday,
        row.meets_at,
        row.meets_by,
        row.meets_by_words,
        row.answers_within,
        row.meets_for,
    )


# --- reading ---------------------------------------------------------------------------------


def agreed_rows(session: so.Session, pair_ids: Sequence[int]) -> dict[int, list[Agreement]]:
    """Every pair's agreed rows, oldest first, in one query."""
    rows: dict[int, list[Agreement]] = defaultdict(list)
    if pair_ids:
        for row in session.scalars(
            sa.select(Agreement)
            .where(Agreement.pair_id.in_(pair_ids), Agreement.status == AgreementStatus.AGREED)
            .order_by(Agreement.starts_on, Agreement.agreed_at, Agreement.id)
        ):
            rows[row.pair_id].append(row)
    return rows


def agreed_on(rows: Sequence[Agreement], day: dt.date) -> Agreement | None:
    """Of a pair's agreed rows (oldest first), the one that holds for the period from `day`."""
    held = [row for row in rows if row.starts_on is not None and row.starts_on <= day]
    return held[-1] if held else None


def latest_agreed(session: so.Session, pair: Pair) -> Agreement | None:
    rows = agreed_rows(session, [pair.id])[pair.id]
    return rows[-1] if rows else None


def latest_terms(session: so.Session, pair: Pair) -> Terms:
    """The terms the pair has from its latest change on: what a new proposal starts from."""
    agreed = latest_agreed(session, pair)
    base = terms_of(agreed) if agreed else Terms(pair.cadence, pair.weekday)
    return replace(base, cadence=pair.cadence, weekday=pair.weekday)


def terms_at(
    rhythm: Rhythm, rows: Sequence[Agreement], day: dt.date
) -> tuple[Terms, Agreement | None]:
    """The terms of the period holding `day` (its rhythm, and what was agreed for it), and
    the agreed row they come from (None: as pencilled); `rows` are the pair's agreed rows,
    oldest first."""
    segment, agreed = rhythm.at(day), agreed_on(rows, day)
    base = terms_of(agreed) if agreed else Terms(segment.cadence, segment.weekday)
    return replace(base, cadence=segment.cadence, weekday=segment.weekday), agreed


def terms_on(session: so.Session, pair: Pair, day: dt.date) -> Terms:
    """The terms of the period holding `day`."""
    rows = agreed_rows(session, [pair.id])[pair.id]
    return terms_at(load_rhythm(session, pair), rows, day)[0]


def open_proposal(session: so.Session, pair: Pair) -> Agreement | None:
    return session.scalar(
        sa.select(Agreement)
        .where(Agreement.pair_id == pair.id, Agreement.status == AgreementStatus.PROPOSED)
        .order_by(Agreement.proposed_at.desc(), Agreement.id.desc())
        .limit(1)
    )


def open_proposals(session: so.Session, pair_ids: Sequence[int]) -> dict[int, Agreement]:
    found: dict[int, Agreement] = {}
    if pair_ids:
        for row in session.scalars(
            sa.select(Agreement)
            .where(Agreement.pair_id.in_(pair_ids), Agreement.status == AgreementStatus.PROPOSED)
            .order_by(Agreement.proposed_at, Agreement.id)
        ):
            found[row.pair_id] = row
    return found


def settled_pairs(session: so.Session, pair_ids: Sequence[int]) -> set[int]:
    """The pairs among `pair_ids` that have agreed their terms (or had them set)."""
    if not pair_ids:
        return set()
    return set(
        session.scalars(
            sa.select(Agreement.pair_id)
            .where(Agreement.pair_id.in_(pair_ids), Agreement.status == AgreementStatus.AGREED)
            .distinct()
        )
    )


@dataclass(frozen=True)
class Standing:
    """Where a pair's agreement stands on a day, for App Home and `/mentor-pairs`."""

    terms: Terms  # the terms of the period holding the day
    agreed: Agreement | None  # the agreement those terms come from; None: as pencilled
    next_change: tuple[dt.date, Terms] | None  # agreed (or set) from a later period
    waiting: Agreement | None  # a proposal not yet agreed


def standings(session: so.Session, pairs: Sequence[Pair], today: dt.date) -> dict[int, Standing]:
    """Every pair's standing on `today` (in the mentee's zone, near enough for a listing),
    in three queries."""
    rhythms = rhythms_of(session, pairs)
    agreed = agreed_rows(session, [pair.id for pair in pairs])
    waiting = open_proposals(session, [pair.id for pair in pairs])
    out: dict[int, Standing] = {}
    for pair in pairs:
        rhythm, rows = rhythms[pair.id], agreed[pair.id]
        period = rhythm.period_start(today)
        terms, row = terms_at(rhythm, rows, period)
        later = sorted(
            {s.starts_on for s in rhythm.segments[1:] if s.starts_on > period}
            | {r.starts_on for r in rows if r.starts_on and r.starts_on > period}
        )
        next_change = (later[0], terms_at(rhythm, rows, later[0])[0]) if later else None
        out[pair.id] = Standing(terms, row, next_change, waiting.get(pair.id))
    return out


def standings_by_id(
    session: so.Session, pair_ids: Sequence[int], today: dt.date
) -> dict[int, Standing]:
    """`standings` for the pairs with these ids (a coordinator's listing)."""
    pairs = session.scalars(
        sa.select(Pair).where(Pair.id.in_(pair_ids)).options(so.joinedload(Pair.mentee))
    ).all()
    return standings(session, pairs, today)


def hopes_of(session: so.Session, pair: Pair) -> dict[int, str]:
    """Person id -> what they hope to get out of the pairing: for the pair's eyes only."""
    return dict(
        session.execute(sa.select(Hope.person_id, Hope.text).where(Hope.pair_id == pair.id)).all()
    )


def first_day_of_change(session: so.Session, pair: Pair, now: dt.datetime) -> dt.date:
    """The day a change agreed now would take effect."""
    return change_day(session, pair, load_rhythm(session, pair), now)


# --- changing --------------------------------------------------------------------------------


def propose(
    session: so.Session,
    *,
    pair: Pair,
    person: Person,
    terms: Terms,
    hope: str | None,
    now: dt.datetime,
) -> tuple[Agreement | None, dt.date]:
    """`person`'s proposal of `terms`, for the partner to agree, overtaking any earlier
    one; and their hope (None: unchanged; empty: none). Returns the proposal (None when
    only the hope changed) and the day it would start."""
    starts_on = change_day(session, pair, load_rhythm(session, pair), now)
    hope_changed = hope is not None and _save_hope(session, pair, person, hope, now)
    waiting = open_proposal(session, pair)
    if terms == terms_on(session, pair, starts_on):
        if hope_changed:
            return None, starts_on
        raise UserError("rhythm_unchanged")
    if waiting is not None and terms == terms_of(waiting):
        if hope_changed:
            return None, starts_on
        raise UserError("rhythm_already_suggested")
    _overtake_open(session, pair)
    row = Agreement(
        pair_id=pair.id,
        **_columns(terms),
        status=AgreementStatus.PROPOSED,
        proposed_by=person.slack_user_id,
        proposed_at=now,
    )
    session.add(row)
    session.flush()
    return row, starts_on


def proposal_for(session: so.Session, agreement_id: int) -> Agreement:
    """The proposal a button names; a forged or unknown one is a stale button."""
    row = session.get(Agreement, agreement_id) if 0 < agreement_id < 2**31 else None
    if row is None:
        raise UserError("stale_button")
    return row


def agree(
    session: so.Session, *, pair: Pair, row: Agreement, user_id: str, now: dt.datetime
) -> Settled:
    """The partner's *Agree*: the proposal becomes the pair's agreement."""
    if row.status is AgreementStatus.AGREED:
        raise UserError("rhythm_already_agreed")
    if row.status is AgreementStatus.OVERTAKEN:
        raise UserError("rhythm_superseded")
    if row.proposed_by == user_id:
        raise UserError("rhythm_proposer")
    # Claimed with one conditional update, so two clicks at once (or an Agree racing a
    # new suggestion) settle it once: the loser finds it no longer proposed.
    claimed = session.execute(
        sa.update(Agreement)
        .where(Agreement.id == row.id, Agreement.status == AgreementStatus.PROPOSED)
        .values(status=AgreementStatus.AGREED, agreed_by=user_id, agreed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise UserError("rhythm_superseded")
    session.refresh(row)
    _overtake_open(session, pair)
    terms = terms_of(row)
    starts_on = _take_effect(
        session, pair, terms, set_by=user_id, proposed_by=row.proposed_by, now=now
    )
    row.starts_on = starts_on
    session.flush()
    return Settled(row, terms, starts_on)


def set_terms(
    session: so.Session,
    *,
    pair: Pair,
    coordinator: str,
    cadence: Cadence,
    weekday: int,
    meets_at: dt.time | None,
    meets_for: int | None,
    now: dt.datetime,
) -> Settled:
    """A coordinator sets the pair's rhythm (and usual time and length, if given); the
    rest of what the pair agreed stands, and any open proposal is overtaken."""
    terms = latest_terms(session, pair).rhythm(cadence, weekday, meets_at, meets_for)
    starts_on = change_day(session, pair, load_rhythm(session, pair), now)
    if terms == terms_on(session, pair, starts_on):
        raise UserError("rhythm_unchanged")
    starts_on = _take_effect(session, pair, terms, set_by=coordinator, proposed_by=None, now=now)
    _overtake_open(session, pair)
    row = Agreement(
        pair_id=pair.id,
        **_columns(terms),
        status=AgreementStatus.AGREED,
        proposed_by=coordinator,
        proposed_at=now,
        agreed_by=coordinator,
        agreed_at=now,
        starts_on=starts_on,
    )
    session.add(row)
    session.flush()
    return Settled(row, terms, starts_on)


def _take_effect(
    session: so.Session,
    pair: Pair,
    terms: Terms,
    *,
    set_by: str,
    proposed_by: str | None,
    now: dt.datetime,
) -> dt.date:
    """Make `terms` the pair's from the first period not yet nudged; returns that day."""
    rhythm = load_rhythm(session, pair)
    starts_on = change_day(session, pair, rhythm, now)
    segment = rhythm.at(starts_on)
    if (segment.cadence, segment.weekday) == (terms.cadence, terms.weekday):
        return starts_on
    return change_rhythm(
        session,
        pair=pair,
        cadence=terms.cadence,
        weekday=terms.weekday,
        set_by=set_by,
        proposed_by=proposed_by,
        now=now,
    )


def _overtake_open(session: so.Session, pair: Pair) -> None:
    session.execute(
        sa.update(Agreement)
        .where(Agreement.pair_id == pair.id, Agreement.status == AgreementStatus.PROPOSED)
        .values(status=AgreementStatus.OVERTAKEN)
        .execution_options(synchronize_session="fetch")
    )


def _save_hope(
    session: so.Session, pair: Pair, person: Person, text: str, now: dt.datetime
) -> bool:
    """Store `person`'s hope (empty: remove it); True if it changed."""
    row = session.scalar(
        sa.select(Hope).where(Hope.pair_id == pair.id, Hope.person_id == person.id)
    )
    text = text.strip()
    if (row.text if row else "") == text:
        return False
    if not text:
        session.delete(row)
    elif row is None:
        session.add(Hope(pair_id=pair.id, person_id=person.id, text=text, updated_at=now))
    else:
        row.text, row.updated_at = text, now
    session.flush()
    return True


def _columns(terms: Terms) -> dict[str, object]:
    return {
        "cadence": terms.cadence,
        "weekday": terms.weekday,
        "meets_at": terms.meets_at,
        "meets_for": terms.meets_for,
        "meets_by": terms.meets_by,
        "meets_by_words": terms.meets_by_words,
        "answers_within": terms.answers_within,
    }
