"""Pairs: registering one, pausing and resuming it, and a member leaving the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import orm as so

from bot.calendar import known_zone, local_date
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import pairs as pair_messages
from bot.messages.blocks import Message
from bot.models import Cadence, Pair, Person
from bot.rhythm import pair_requests
from bot.rhythm.alerts import to_coordinators
from bot.rhythm.outbox import Owed, drop_owed_to_closed_pair, enqueue
from bot.services import lifecycle, programmes
from bot.services.pairs import open_pairs_of, pair_for, pair_in_programmes
from bot.services.people import find_person


def register_pair(
    deps: Deps,
    *,
    team_id: str,
    coordinator: str,
    mentor: str,
    mentee: str,
    cadence: Cadence | None,
    weekday: int | None,
    bot_user_id: str | None,
    response_url: str | None,
    handle: str | None = None,
    programme_id: int | None = None,
) -> Message:
    """`/mentor-pair`: what the database can refuse is refused at once; otherwise the
    request is saved and answered, and finished after the answer (both people looked up
    in Slack, their conversation opened, the pair stored and welcomed: see
    bot.rhythm.pair_requests), the coordinator told the outcome where they typed. The
    pair joins the programme named by `handle` (or the coordinator's own; a re-pair, its
    old pair's `programme_id`)."""
    if bot_user_id in (mentor, mentee):
        raise UserError("is_me")
    with transaction(deps.sessions) as session:
        if programme_id is None:
            admins = deps.settings.coordinators
            mistyped = UserError("pair_option_unknown", token=handle)
            programme_id = programmes.chosen(session, coordinator, admins, handle, mistyped).id
        request_id = pair_requests.save(
            session,
            programme_id=programme_id,
            team_id=team_id,
            coordinator=coordinator,
            mentor=mentor,
            mentee=mentee,
            cadence=cadence,
            weekday=weekday,
            response_url=response_url,
            now=deps.now(),
        )
    deps.after(
        pair_requests.finish,
        deps.sessions,
        deps.outbox_client,  # a 429 leaves the request to the next pass, no thread asleep
        request_id,
        now=deps.now,
        deliver=deps.deliver_now,
    )
    return pair_messages.pair_requested(mentor=mentor, mentee=mentee)


def pause(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    partner: str | None,
    until_from: Callable[[dt.date], dt.date | None],
) -> Message:
    """`/mentor-pause`: paused until the day `until_from(their today)` gives (None: until
    resumed), said in the pair's conversation."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair = pair_for(session, person=person, partner_user_id=partner)
        assert person is not None  # pair_for refuses a person it does not know
        today = local_date(person.tz, now)
        until = until_from(today)
        lifecycle.pause(pair, until=until, today=today, now=now)
        posted, confirmation = pair_messages.paused(user=user_id, until=until)
        keys = _say_in_conversation(session, pair, "paused", posted, now)
    deps.deliver(keys)
    return confirmation


def resume(deps: Deps, *, team_id: str, user_id: str, partner: str | None) -> Message:
    """`/mentor-resume`: active again from the mentee's today, said in the conversation."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair = pair_for(session, person=person, partner_user_id=partner)
        lifecycle.resume(pair, resumed_on=local_date(pair.mentee.tz, now), now=now)
        posted, confirmation = pair_messages.resumed(user=user_id, weekday=pair.weekday)
        keys = _say_in_conversation(session, pair, "resumed", posted, now)
    deps.deliver(keys)
    return confirmation


def user_changed(
    deps: Deps, *, team_id: str, user_id: str, tz: str | None, name: str | None, deleted: bool
) -> None:
    """Slack's `user_change`: a person the bot knows keeps the zone and the name Slack gives
    (no call needed to keep them fresh); one deleted or deactivated pauses their open pairs, the
    partner who stays gets a kind word, and the coordinators are told."""
    now = deps.now()
    keys = []
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        if person is None:
            return
        if known_zone(tz):
            person.tz, person.tz_refreshed_at = tz, now
        if name:
            person.name = name
        if not deleted:
            return
        person.active = False
        for pair in open_pairs_of(session, person):
            lifecycle.member_left(pair, now)
            stays = pair.partner_of(person).slack_user_id
            if pair.partner_of(person).active:  # nobody to be kind to if both have gone
                kind_word = pair_messages.partner_left(user=user_id)
                key = f"partner_left:{pair.id}:{user_id}"
                enqueue(session, [Owed(key, "partner_left", stays, kind_word, now, pair.id)])
                keys.append(key)
            message = pair_messages.member_left(pair_id=pair.id, user=user_id, partner=stays)
            owed = to_coordinators(
                pair.programme,
                deps.settings.coordinators,
                key=f"left:{pair.id}:{user_id}",
                message=message,
                now=now,
                pair_id=pair.id,
            )
            enqueue(session, owed)
            keys += [o.key for o in owed]
    deps.deliver(keys)


def _say_in_conversation(
    session, pair: Pair, kind: str, message: Message, now: dt.datetime
) -> list[str]:
    """Owe `message` in the pair's conversation, once for this instant."""
    key = f"{kind}:{pair.id}:{now.isoformat()}"
    enqueue(session, [Owed(key, kind, pair.conversation_id or "", message, now, pair.id)])
    return [key]


def repair_form(deps: Deps, *, user_id: str, pair_id: int) -> dict[str, Any]:
    """*Pair them with someone new*: the form for the coordinator, about a pair a member
    left (paused, its member gone)."""
    if not deps.is_coordinator(user_id):
        raise UserError("coordinator_only")
    with deps.sessions() as session:
        pair, stays, left = _left_pair(session, deps, pair_id, user_id)
        return pair_messages.repair_modal(
            pair_id=pair.id, partner=stays.slack_user_id, role=pair.role_of(left)
        )


def repair(deps: Deps, *, team_id: str, user_id: str, pair_id: int, new_partner: str) -> Message:
    """The form's submission: the old pair is closed, and the member who stays is paired
    with `new_partner`, in the role the one who left had, at the old pair's rhythm, as
    `/mentor-pair` would."""
    if not deps.is_coordinator(user_id):
        raise UserError("coordinator_only")
    if not new_partner:
        raise UserError("stale_button")
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair, stays, left = _left_pair(session, deps, pair_id, user_id)
        mentor, mentee = (new_partner, stays.slack_user_id)
        if pair.role_of(left) == "mentee":
            mentor, mentee = stays.slack_user_id, new_partner
        if mentor == mentee:
            raise UserError("same_person")
        cadence, weekday, programme_id = pair.cadence, pair.weekday, pair.programme_id
        # The old pair is over: closed quietly (the one who stays was told, kindly, when
        # their partner left; the one who left hears nothing more).
        lifecycle.close(session, pair, now)
        drop_owed_to_closed_pair(session, pair.id)
    return register_pair(
        deps,
        team_id=team_id,
        coordinator=user_id,
        mentor=mentor,
        mentee=mentee,
        cadence=cadence,
        weekday=weekday,
        bot_user_id=None,
        response_url=None,
        programme_id=programme_id,
    )


def _left_pair(
    session: so.Session, deps: Deps, pair_id: int, user_id: str
) -> tuple[Pair, Person, Person]:
    """The pair, the member who stays and the one who left, if `user_id` coordinates its
    programme; a pair nobody left is refused."""
    pair = lifecycle.ensure_open(
        pair_in_programmes(
            session, pair_id=pair_id, programme_ids=deps.coordinated(session, user_id)
        )
    )
    gone = [member for member in (pair.mentor, pair.mentee) if not member.active]
    if len(gone) != 1:
        raise UserError("stale_button")
    return pair, pair.partner_of(gone[0]), gone[0]
