"""Registering pairs and finding a person's pairs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Cadence, Pair, PairStatus, Person, Programme
from bot.services.errors import UserError

OPEN = sa.and_(Pair.status != PairStatus.CLOSED)


def create_pair(
    session: so.Session,
    *,
    programme: Programme,
    mentor: Person,
    mentee: Person,
    cadence: Cadence | None,
    weekday: int | None,
    created_by: str,
    now: dt.datetime,
) -> Pair:
    """A new active pair; refuses a second open pair of the same two people, either way round."""
    if mentor.id == mentee.id:
        raise UserError("same_person")
    existing = session.scalar(
        sa.select(Pair).where(
            Pair.programme_id == programme.id,
            OPEN,
            sa.or_(
                sa.and_(Pair.mentor_id == mentor.id, Pair.mentee_id == mentee.id),
                sa.and_(Pair.mentor_id == mentee.id, Pair.mentee_id == mentor.id),
            ),
        )
    )
    if existing is not None:
        raise UserError(
            "pair_exists",
            mentor=existing.mentor.slack_user_id,
            mentee=existing.mentee.slack_user_id,
            status=existing.status.value,
        )
    pair = Pair(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        cadence=cadence or programme.default_cadence,
        weekday=programme.default_weekday if weekday is None else weekday,
        created_by=created_by,
        created_at=now,
        status_changed_at=now,
        next_check_at=now,
    )
    session.add(pair)
    session.flush()
    return pair


def open_pairs_of(session: so.Session, person: Person) -> list[Pair]:
    """The person's pairs that are not closed, oldest first, with both members loaded."""
    return list(
        session.scalars(
            sa.select(Pair)
            .where(OPEN, sa.or_(Pair.mentor_id == person.id, Pair.mentee_id == person.id))
            .options(so.joinedload(Pair.mentor), so.joinedload(Pair.mentee))
            .order_by(Pair.id)
        )
    )


def pair_for(session: so.Session, *, person: Person | None, partner_user_id: str | None) -> Pair:
    """The one open pair `person` means: the only one they have, or the one with the partner named.

    Raises UserError when they have none, when the partner named is not theirs, or when
    they have several and named nobody.
    """
    pairs = open_pairs_of(session, person) if person else []
    if not pairs:
        raise UserError("no_pair")
    if partner_user_id:
        for pair in pairs:
            if pair.partner_of(person).slack_user_id == partner_user_id:  # type: ignore[arg-type]
                return pair
        raise UserError("not_your_partner", partner=partner_user_id)
    if len(pairs) > 1:
        partners = [pair.partner_of(person).slack_user_id for pair in pairs]  # type: ignore[arg-type]
        raise UserError("which_pair", partners=partners)
    return pairs[0]
