"""Registering pairs and finding a person's pairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.errors import MAX_ID, UserError
from bot.models import Cadence, Pair, PairStatus, Person, Programme
from bot.services import lifecycle

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
    """A new active pair; refuses a second open pair of the same two people, either way round.
    Neither member is waiting for another pair any more."""
    if mentor.id == mentee.id:
        raise UserError("same_person")
    refuse_second_pair(
        session,
        programme_id=programme.id,
        team_id=mentor.team_id,
        first=mentor.slack_user_id,
        second=mentee.slack_user_id,
    )
    mentor.wants_pair_since = mentee.wants_pair_since = None  # they have one now
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


def _pairs_of_two() -> sa.Select[tuple[Pair]]:
    mentor, mentee = so.aliased(Person), so.aliased(Person)
    first, second = sa.bindparam("first"), sa.bindparam("second")
    return (
        sa.select(Pair)
        .join(mentor, Pair.mentor_id == mentor.id)
        .join(mentee, Pair.mentee_id == mentee.id)
        .where(
            Pair.programme_id.in_(sa.bindparam("programme_ids", expanding=True)),
            mentor.team_id == sa.bindparam("team_id"),
            sa.or_(
                sa.and_(mentor.slack_user_id == first, mentee.slack_user_id == second),
                sa.and_(mentor.slack_user_id == second, mentee.slack_user_id == first),
            ),
        )
        .order_by(Pair.id.desc())
    )


# Built once: an import asks it a few times per row, and building it cost more than running it.
PAIRS_OF_TWO = _pairs_of_two()


def pairs_of_two(
    session: so.Session,
    *,
    programme_ids: Collection[int],
    team_id: str,
    first: str,
    second: str,
) -> list[Pair]:
    """Every pair of these two people (Slack IDs) in these programmes, either way round,
    newest first, open or closed."""
    values = {
        "programme_ids": list(programme_ids),
        "team_id": team_id,
        "first": first,
        "second": second,
    }
    return list(session.scalars(PAIRS_OF_TWO, values))


def refuse_second_pair(
    session: so.Session, *, programme_id: int, team_id: str, first: str, second: str
) -> None:
    """Refuses a second open pair of the same two people, either way round."""
    for existing in pairs_of_two(
        session, programme_ids=[programme_id], team_id=team_id, first=first, second=second
    ):
        if existing.status is not PairStatus.CLOSED:
            raise UserError(
                "pair_exists",
                mentor=existing.mentor.slack_user_id,
                mentee=existing.mentee.slack_user_id,
                status=existing.status.value,
            )


def open_pair_of_two(
    session: so.Session,
    *,
    programme_ids: Collection[int],
    team_id: str,
    first: str,
    second: str,
) -> Pair:
    """The open pair of these two people (either way round) in the programmes a
    coordinator runs, as they name it; else a UserError: they are not a pair there, or
    the day it closed."""
    pairs = pairs_of_two(
        session, programme_ids=programme_ids, team_id=team_id, first=first, second=second
    )
    for pair in pairs:
        if pair.status is not PairStatus.CLOSED:
            return pair
    if pairs:
        raise lifecycle.closed_error(pairs[0])
    raise UserError("not_a_pair", first=first, second=second)


def pair_in_programmes(
    session: so.Session, *, pair_id: int, programme_ids: Collection[int]
) -> Pair:
    """The pair a coordinator's button names, if it is in a programme they coordinate:
    another programme's pair is refused like one that does not exist."""
    pair = session.get(Pair, pair_id) if 0 < pair_id <= MAX_ID else None
    if pair is None or pair.programme_id not in programme_ids:
        raise UserError("not_your_pair")
    return pair


def member_of(session: so.Session, *, pair_id: int, user_id: str) -> tuple[Pair, Person]:
    """The open pair and the acting member; anyone outside the pair is refused, and so is
    everything about a closed pair."""
    pair = session.get(Pair, pair_id) if 0 < pair_id <= MAX_ID else None
    if pair is None:
        raise UserError("not_your_pair")
    for person in (pair.mentor, pair.mentee):
        if person.slack_user_id == user_id:
            return lifecycle.ensure_open(pair), person
    raise UserError("not_your_pair")


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
        closed = closed_pair_of(session, person, partner_user_id) if person else None
        raise lifecycle.closed_error(closed) if closed else UserError("no_pair")
    if partner_user_id:
        for pair in pairs:
            if pair.partner_of(person).slack_user_id == partner_user_id:  # type: ignore[arg-type]
                return pair
        raise UserError("not_your_partner", partner=partner_user_id)
    if len(pairs) > 1:
        partners = [pair.partner_of(person).slack_user_id for pair in pairs]  # type: ignore[arg-type]
        raise UserError("which_pair", partners=partners)
    return pairs[0]


def closed_pair_of(session: so.Session, person: Person, partner_user_id: str | None) -> Pair | None:
    """The person's most recently closed pair (with that partner, if one is named)."""
    for pair in session.scalars(
        sa.select(Pair)
        .where(
            Pair.status == PairStatus.CLOSED,
            sa.or_(Pair.mentor_id == person.id, Pair.mentee_id == person.id),
        )
        .order_by(Pair.closed_at.desc(), Pair.id.desc())
    ):
        if partner_user_id is None or pair.partner_of(person).slack_user_id == partner_user_id:
            return pair
    return None
