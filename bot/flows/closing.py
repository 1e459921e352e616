"""Closing a pair: `/mentor-close` asks first; *Close pair* closes it once and tells each
member kindly; each may then write a last reflection on their time in the pair."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.flows.meetings import owe_reflection_messages
from bot.messages import closing as messages
from bot.messages import programme_ends as end_messages
from bot.messages.blocks import Message
from bot.models import Pair
from bot.rhythm.closings import close_kindly
from bot.services import closing, lifecycle
from bot.services.pairs import member_of
from bot.services.people import find_person


def ask(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    partner: str | None,
    mentor: str | None,
    mentee: str | None,
) -> Message:
    """The question with *Close pair* and *Keep it open*, about the pair the person means:
    their own (with `partner` named if they have several) or, for a coordinator, the pair
    of `mentor` and `mentee`. Writes nothing."""
    coordinator = deps.is_coordinator(user_id)
    if mentor and not coordinator:
        raise UserError("close_not_coordinator")
    with deps.sessions() as session:
        if mentor and mentee:
            pair = closing.pair_of_two(
                session,
                programme_ids=deps.coordinated(session, user_id),
                team_id=team_id,
                first=mentor,
                second=mentee,
            )
        else:
            pair = closing.member_pair_to_close(
                session,
                person=find_person(session, team_id=team_id, user_id=user_id),
                partner_user_id=partner,
                coordinator=coordinator,
            )
        return messages.close_question(pair_id=pair.id, **_names(pair, user_id))


def confirm(deps: Deps, *, user_id: str, pair_id: int) -> Message:
    """*Close pair*: whoever presses it must still be a member or a coordinator; a pair
    closes once however often it is pressed."""
    with transaction(deps.sessions) as session:
        pair = _pressed(session, deps, user_id, pair_id)
        keys = close(session, deps, pair)
        answer = messages.close_answer("closed", **_names(pair, user_id))
    deps.deliver(keys)
    return answer


def keep(deps: Deps, *, user_id: str, pair_id: int) -> Message:
    """*Keep it open*: nothing changes; only a member or a coordinator is told so."""
    with deps.sessions() as session:
        pair = _pressed(session, deps, user_id, pair_id)
        return messages.close_answer("kept", **_names(pair, user_id))


def _pressed(session: so.Session, deps: Deps, user_id: str, pair_id: int) -> Pair:
    """The open pair a *Close pair* or *Keep it open* button names, if the person who
    pressed it may act on it: a member of it, or a coordinator of its programme."""
    return closing.pair_to_close(
        session, pair_id=pair_id, programme_ids=deps.coordinated(session, user_id), user_id=user_id
    )


def close(session: so.Session, deps: Deps, pair: Pair) -> list[str]:
    """Close the pair, kindly (bot.rhythm.closings); the keys of what it owes."""
    return close_kindly(session, pair, now=deps.now(), hours=deps.settings.hours)


def wrap_up(deps: Deps, *, user_id: str, pair_id: int, keep: bool) -> Message:
    """The wrap-up's answer, from a member: keep meeting on their own (never nudged nor
    counted again), or close with the keepsake. Returns the note under the message."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, _ = member_of(session, pair_id=pair_id, user_id=user_id)
        if keep:
            lifecycle.continue_on_own(pair, today=local_date(pair.mentee.tz, now), now=now)
            keys: list[str] = []
        else:
            keys = close(session, deps, pair)
    deps.deliver(keys)
    return end_messages.answered("kept" if keep else "closed", user=user_id)


def another_pair(deps: Deps, *, team_id: str, user_id: str, pair_id: int) -> Message:
    """*I'd like another pair*, from a member of the closed pair: the coordinators see it
    (who, never why) until they are in an open pair again. Returns the note shown under
    the message."""
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        _, member = closing.closed_pair_of_member(session, pair_id=pair_id, person=person)
        member.wants_pair_since = member.wants_pair_since or deps.now()
    return messages.another_pair_noted()


def last_reflection_form(deps: Deps, *, team_id: str, user_id: str, pair_id: int) -> dict[str, Any]:
    """The last-reflection modal, with any answers the member already gave."""
    with deps.sessions() as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair, author = closing.closed_pair_of_member(session, pair_id=pair_id, person=person)
        earlier = closing.last_reflection(session, pair=pair, author=author)
        return messages.last_reflection_modal(
            pair_id=pair.id,
            partner=pair.partner_of(author).slack_user_id,
            worked=earlier.worked if earlier else "",
            did_not_work=earlier.did_not_work if earlier else "",
            differently=earlier.differently if earlier else "",
            shared=bool(earlier and earlier.shared),
        )


def save_last_reflection(
    deps: Deps, *, team_id: str, user_id: str, pair_id: int, answers: dict[str, str], share: bool
) -> None:
    """Store (or rewrite) the member's last reflection on their closed pair; post it in the
    pair's conversation once, the first time they share it; tell the author by DM."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair, author = closing.closed_pair_of_member(session, pair_id=pair_id, person=person)
        reflection, newly_shared = closing.save_last_reflection(
            session, pair=pair, author=author, shared=share, now=now, **answers
        )
        shared = (
            messages.last_reflection_shared(
                author=user_id,
                worked=reflection.worked,
                did_not_work=reflection.did_not_work,
                differently=reflection.differently,
            )
            if newly_shared
            else None
        )
        keys = owe_reflection_messages(session, pair, author, reflection, shared, now)
    deps.deliver(keys)


def _names(pair: Pair, user: str) -> dict[str, Any]:
    """The pair's members, and the partner of `user` if `user` is one of them."""
    mentor, mentee = pair.mentor.slack_user_id, pair.mentee.slack_user_id
    return {
        "mentor": mentor,
        "mentee": mentee,
        "partner": {mentor: mentee, mentee: mentor}.get(user),
    }
