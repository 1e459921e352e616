"""Closing a pair: `/mentor-close` asks first; *Close pair* closes it once and tells each
member kindly; each may then write a last reflection on their time in the pair."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm as so

from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.flows.meetings import owe_reflection_messages
from bot.messages import closing as messages
from bot.messages.blocks import Message
from bot.models import Pair
from bot.rhythm.outbox import Owed, drop_owed_to_closed_pair, enqueue
from bot.services import closing, lifecycle
from bot.services.keepsakes import keepsake_for
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
    """Close the pair, drop what it was still owed, and tell each member kindly, in their
    own working hours, offering a last reflection. Refuses a pair already closed."""
    now, hours = deps.now(), deps.settings.hours
    lifecycle.close(session, pair, now)
    drop_owed_to_closed_pair(session, pair.id)
    owed = [
        Owed(
            f"closed:{pair.id}:{member.slack_user_id}",
            "closed",
            member.slack_user_id,
            messages.pair_closed(
                pair_id=pair.id,
                partner=pair.partner_of(member).slack_user_id,
                keepsake=keepsake_for(session, pair=pair, member=member, now=now),
            ),
            hours.next_open(member.tz, now),
            pair.id,
        )
        for member in (pair.mentee, pair.mentor)
    ]
    enqueue(session, owed)
    return [o.key for o in owed]


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
