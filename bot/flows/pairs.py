"""Pairs: registering one, pausing and resuming it, and a member leaving the workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy import orm as so

from bot.calendar import known_zone, local_date
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.messages import pairs as pair_messages
from bot.messages.blocks import Message
from bot.messages.pairs import pair_created, welcome
from bot.models import Cadence, Pair
from bot.rhythm.outbox import Owed, enqueue
from bot.services import lifecycle
from bot.services.pairs import create_pair, open_pairs_of, pair_for, refuse_second_pair
from bot.services.people import find_person, get_or_create_person
from bot.slack import SlackUser, lookup_user


def register_pair(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    coordinator: str,
    mentor: str,
    mentee: str,
    cadence: Cadence | None,
    weekday: int | None,
    bot_user_id: str | None,
) -> Message:
    """`/mentor-pair`: both people looked up in Slack and their conversation opened first
    (conversations.open gives the same group DM every time), then the pair is stored with
    the welcome owed in one transaction, and the welcome is sent once it has committed."""
    if not deps.is_coordinator(coordinator):
        raise UserError("not_coordinator")
    with deps.sessions() as session:
        _refuse_second_pair(session, deps, team_id, mentor, mentee)
    people = [_pairable(client, user_id, bot_user_id=bot_user_id) for user_id in (mentor, mentee)]
    conversation = client.conversations_open(users=[mentor, mentee])["channel"]["id"]
    try:
        pair, key = _store(deps, team_id, coordinator, people, conversation, cadence, weekday)
    except sa.exc.IntegrityError:
        # Someone paired the same two people at the same instant: the unique index kept
        # one; this request is told the pair exists (or, a person's row raced, retried).
        with deps.sessions() as session:
            _refuse_second_pair(session, deps, team_id, mentor, mentee)
        pair, key = _store(deps, team_id, coordinator, people, conversation, cadence, weekday)
    report = deps.deliver([key])
    failed = report.failed[0].error if report.failed else None
    return pair_created(pair, welcome_error=failed, welcome_waiting=not (report.sent or failed))


def _store(
    deps: Deps,
    team_id: str,
    coordinator: str,
    people: list[SlackUser],
    conversation: str,
    cadence: Cadence | None,
    weekday: int | None,
) -> tuple[Pair, str]:
    """The pair stored with its welcome owed, in one transaction; (the pair, the key)."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        mentor, mentee = (
            get_or_create_person(session, team_id=team_id, user_id=u.id, tz=u.tz) for u in people
        )
        pair = create_pair(
            session,
            programme=deps.programme(session),
            mentor=mentor,
            mentee=mentee,
            cadence=cadence,
            weekday=weekday,
            created_by=coordinator,
            now=now,
        )
        pair.conversation_id = conversation
        key = f"welcome:{pair.id}"
        enqueue(session, [Owed(key, "welcome", conversation, welcome(pair), now, pair.id)])
    return pair, key


def _refuse_second_pair(
    session: so.Session, deps: Deps, team_id: str, first: str, second: str
) -> None:
    refuse_second_pair(
        session, programme_id=deps.programme_id, team_id=team_id, first=first, second=second
    )


def _pairable(client: WebClient, user_id: str, *, bot_user_id: str | None) -> SlackUser:
    if user_id == bot_user_id:
        raise UserError("is_me")
    user = lookup_user(client, user_id)
    if user.is_bot:
        raise UserError("bot_user", user=user_id)
    if user.deleted:
        raise UserError("deactivated_user", user=user_id)
    return user


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


def user_changed(deps: Deps, *, team_id: str, user_id: str, tz: str | None, deleted: bool) -> None:
    """Slack's `user_change`: a person the bot knows keeps the zone Slack gives (no call
    needed to keep zones fresh); one deleted or deactivated pauses their open pairs and
    the coordinators are told."""
    now = deps.now()
    keys = []
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        if person is None:
            return
        if known_zone(tz):
            person.tz, person.tz_refreshed_at = tz, now
        if not deleted:
            return
        person.active = False
        for pair in open_pairs_of(session, person):
            lifecycle.member_left(pair, now)
            channel = pair.programme.coordinator_channel_id
            if channel:
                message = pair_messages.member_left(
                    user=user_id, partner=pair.partner_of(person).slack_user_id
                )
                key = f"left:{pair.id}:{user_id}"
                enqueue(session, [Owed(key, "alert", channel, message, now, pair.id)])
                keys.append(key)
    deps.deliver(keys)


def _say_in_conversation(
    session, pair: Pair, kind: str, message: Message, now: dt.datetime
) -> list[str]:
    """Owe `message` in the pair's conversation, once for this instant."""
    key = f"{kind}:{pair.id}:{now.isoformat()}"
    enqueue(session, [Owed(key, kind, pair.conversation_id or "", message, now, pair.id)])
    return [key]
