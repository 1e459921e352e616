"""`/mentor-rhythm`: a member proposes a new rhythm and the partner agrees with one click;
a coordinator sets it directly. Either way the pair's conversation is told, and the new
rhythm runs from the first period not yet nudged (bot.services.rhythms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm as so

from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import rhythms as messages
from bot.messages.blocks import Message
from bot.models import Cadence, Pair, Person
from bot.rhythm.outbox import Owed, enqueue
from bot.services import lifecycle
from bot.services.pairs import member_of, open_pair_of_two, pair_for
from bot.services.people import find_person
from bot.services.rhythms import change_rhythm, check_proposal, start_of_change


def rhythm(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    people: tuple[str, ...],
    cadence: Cadence,
    weekday: int | None,
) -> Message:
    """With both members named, a coordinator's setting; else a member's proposal."""
    if len(people) == 2:
        return _set(deps, team_id, user_id, people, cadence, weekday)
    partner = people[0] if people else None
    return propose(
        deps, team_id=team_id, user_id=user_id, cadence=cadence, weekday=weekday, partner=partner
    )


def _set(
    deps: Deps,
    team_id: str,
    user_id: str,
    people: tuple[str, ...],
    cadence: Cadence,
    weekday: int | None,
) -> Message:
    if not deps.is_coordinator(user_id):
        raise UserError("not_coordinator")
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair = open_pair_of_two(
            session,
            programme_id=deps.programme_id,
            team_id=team_id,
            first=people[0],
            second=people[1],
        )
        day = pair.weekday if weekday is None else weekday
        starts_on = change_rhythm(
            session, pair=pair, cadence=cadence, weekday=day, set_by=user_id, now=now
        )
        posted, confirmation = messages.set_by_coordinator(
            coordinator=user_id,
            mentor=pair.mentor.slack_user_id,
            mentee=pair.mentee.slack_user_id,
            cadence=cadence.value,
            weekday=day,
            starts_on=starts_on,
        )
        key = f"rhythm_set:{pair.id}:{cadence.value}:{day}:{now.isoformat()}"
        enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    deps.deliver([key])
    return confirmation


def propose(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    cadence: Cadence,
    weekday: int | None,
    partner: str | None = None,
    pair_id: int | None = None,
) -> Message:
    """A member's proposal (from the command, or the rhythm form of pair `pair_id`),
    posted in the pair's conversation with *Agree* for the partner; returns the
    proposer's confirmation."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, person = _members_pair(session, team_id, user_id, partner, pair_id)
        day = pair.weekday if weekday is None else weekday
        starts_on = start_of_change(session, pair, cadence=cadence, weekday=day, now=now)
        posted, confirmation = messages.proposal(
            value=f"{pair.id}:{cadence.value}:{day}:{user_id}",
            proposer=user_id,
            partner=pair.partner_of(person).slack_user_id,
            cadence=cadence.value,
            weekday=day,
            starts_on=starts_on,
        )
        key = f"rhythm_proposed:{pair.id}:{cadence.value}:{day}:{user_id}:{now.isoformat()}"
        enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    deps.deliver([key])
    return confirmation


def rhythm_form(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    partner: str | None = None,
    pair_id: int | None = None,
) -> dict[str, Any]:
    """The rhythm form for a member's pair, filled in with its current rhythm."""
    with deps.sessions() as session:
        pair, person = _members_pair(session, team_id, user_id, partner, pair_id)
        return messages.rhythm_modal(
            pair_id=pair.id,
            partner=pair.partner_of(person).slack_user_id,
            cadence=pair.cadence.value,
            weekday=pair.weekday,
        )


def _members_pair(
    session: so.Session, team_id: str, user_id: str, partner: str | None, pair_id: int | None
) -> tuple[Pair, Person]:
    """The open pair a member means: the one a button or form names, or theirs (with
    `partner` if they have several)."""
    if pair_id is not None:
        return member_of(session, pair_id=pair_id, user_id=user_id)
    person = find_person(session, team_id=team_id, user_id=user_id)
    pair = pair_for(session, person=person, partner_user_id=partner)
    assert person is not None  # pair_for refuses a person it does not know
    return lifecycle.ensure_open(pair), person


def agree(deps: Deps, *, user_id: str, value: str) -> Message:
    """*Agree* on a proposal: the partner of whoever proposed it, in that pair, makes it
    the pair's rhythm. Returns the note shown under the proposal."""
    pair_id, cadence, weekday, proposer = _proposal(value)
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, _ = member_of(session, pair_id=pair_id, user_id=user_id)
        if proposer == user_id:
            raise UserError("rhythm_proposer")
        if proposer not in (pair.mentor.slack_user_id, pair.mentee.slack_user_id):
            raise UserError("stale_button")
        check_proposal(session, pair, cadence=cadence, weekday=weekday, proposer=proposer)
        starts_on = change_rhythm(
            session,
            pair=pair,
            cadence=cadence,
            weekday=weekday,
            set_by=user_id,
            proposed_by=proposer,
            now=now,
        )
        posted, note = messages.agreed(
            user=user_id, cadence=cadence.value, weekday=weekday, starts_on=starts_on
        )
        key = f"rhythm_agreed:{pair.id}:{cadence.value}:{weekday}:{now.isoformat()}"
        enqueue(session, [Owed(key, "rhythm", pair.conversation_id or "", posted, now, pair.id)])
    deps.deliver([key])
    return note


def _proposal(value: str) -> tuple[int, Cadence, int, str]:
    """The pair, cadence, weekday and proposer an *Agree* button carries; anything else is
    a forged or stale value."""
    parts = value.split(":")
    if len(parts) != 4 or not parts[0].isascii() or not parts[0].isdigit():
        raise UserError("stale_button")
    pair_id, cadence, weekday, proposer = parts
    if cadence not in Cadence._value2member_map_ or weekday not in {"0", "1", "2", "3", "4"}:
        raise UserError("stale_button")
    if not (0 < int(pair_id) < 2**31) or not proposer.isalnum():
        raise UserError("stale_button")
    return int(pair_id), Cadence(cadence), int(weekday), proposer
