"""Ending a pair: which pair `/mentor-close` means, who may close it, and the last
reflection each member may write about their time in the pair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.db import upsert_insert
from bot.errors import MAX_ID, UserError
from bot.models import Pair, PairStatus, Person, Reflection
from bot.services import lifecycle
from bot.services.pairs import open_pair_of_two, pair_for, pairs_of_two


def member_pair_to_close(
    session: so.Session, *, person: Person | None, partner_user_id: str | None, coordinator: bool
) -> Pair:
    """The open pair a member means by `/mentor-close [@partner]`.

    Refuses, each in its own words: no open pair (or only a closed one), a partner who is
    not theirs, or several pairs and no partner named.
    """
    try:
        return pair_for(session, person=person, partner_user_id=partner_user_id)
    except UserError as error:
        if error.code == "which_pair":
            raise UserError("close_which_pair", partners=error.context["partners"]) from None
        if error.code == "pair_closed":
            raise UserError("pair_already_closed", **error.context) from None
        if error.code == "no_pair":
            raise UserError("close_no_pair", coordinator=coordinator) from None
        raise


def pair_of_two(
    session: so.Session, *, programme_ids: Collection[int], team_id: str, first: str, second: str
) -> Pair:
    """The open pair of these two people (either way round), in the programmes of the
    coordinator's `/mentor-close @mentor @mentee`."""
    try:
        return open_pair_of_two(
            session, programme_ids=programme_ids, team_id=team_id, first=first, second=second
        )
    except UserError as error:
        if error.code == "not_a_pair":
            raise UserError("close_not_a_pair", first=first, second=second) from error
        closed = pairs_of_two(
            session, programme_ids=programme_ids, team_id=team_id, first=first, second=second
        )
        raise _already_closed(closed[0]) from error


def pair_to_close(
    session: so.Session, *, pair_id: int, programme_ids: Collection[int], user_id: str
) -> Pair:
    """The pair a *Close pair* button names, if the person who pressed it may close it (a
    member of it, or a coordinator of its programme: `programme_ids` are theirs) and it is
    not closed already."""
    pair = session.get(Pair, pair_id) if 0 < pair_id <= MAX_ID else None
    if pair is None:
        raise UserError("not_your_pair")
    members = (pair.mentor.slack_user_id, pair.mentee.slack_user_id)
    if user_id not in members and pair.programme_id not in programme_ids:
        raise UserError("not_your_pair")
    if pair.status is PairStatus.CLOSED:
        raise _already_closed(pair)
    return pair


def closed_pair_of_member(
    session: so.Session, *, pair_id: int, person: Person | None
) -> tuple[Pair, Person]:
    """The closed pair a last reflection is about, and its author; only its members write one."""
    pair = session.get(Pair, pair_id)
    if pair is None or person is None or person.id not in (pair.mentor_id, pair.mentee_id):
        raise UserError("not_your_pair")
    if pair.status is not PairStatus.CLOSED:
        raise UserError("stale_button")
    return pair, person


def last_reflection(session: so.Session, *, pair: Pair, author: Person) -> Reflection | None:
    return session.scalar(
        sa.select(Reflection).where(
            Reflection.pair_id == pair.id,
            Reflection.author_id == author.id,
            Reflection.meeting_id.is_(None),
        )
    )


def save_last_reflection(
    session: so.Session,
    *,
    pair: Pair,
    author: Person,
    worked: str,
    did_not_work: str,
    differently: str,
    shared: bool,
    now: dt.datetime,
) -> tuple[Reflection, bool]:
    """Store the author's last reflection on the pair, or rewrite it (never a second one,
    even from two submissions at once); also returns whether it is newly shared."""
    session.execute(
        upsert_insert(session, Reflection)
        .values(
            pair_id=pair.id,
            meeting_id=None,
            author_id=author.id,
            worked="",
            did_not_work="",
            differently="",
            shared=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["pair_id", "author_id"], index_where=Reflection.meeting_id.is_(None)
        )
    )
    reflection = last_reflection(session, pair=pair, author=author)
    assert reflection is not None  # inserted above, or there already
    was_shared = reflection.shared
    reflection.worked, reflection.did_not_work = worked, did_not_work
    reflection.differently, reflection.shared, reflection.updated_at = differently, shared, now
    session.flush()
    return reflection, shared and not was_shared


def _already_closed(pair: Pair) -> UserError:
    return lifecycle.already_closed_error(pair)
