"""Slash commands. Every command this app answers is registered in `register`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.deps import Deps
from bot.listeners.parsing import (
    parse_close,
    parse_goals,
    parse_log,
    parse_pair,
    parse_pause,
    parse_resume,
)
from bot.listeners.replies import command_reply
from bot.messages import rhythm as rhythm_messages
from bot.messages.blocks import Message
from bot.messages.closing import close_question
from bot.messages.goals import goal_change, goals_list
from bot.messages.help import help_message
from bot.messages.pairs import MAX_PAIRS_LISTED, pair_created, pairs_list, welcome
from bot.models import MeetingSource, PairStatus
from bot.rhythm import flows
from bot.services import closing, meetings
from bot.services import goals as goal_service
from bot.services.errors import UserError
from bot.services.pairs import create_pair, pair_for
from bot.services.people import find_person, get_or_create_person
from bot.slack import SlackUser, lookup_user

Command = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    app.command("/mentor-pair")(command_reply("/mentor-pair")(_pair_handler(deps)))
    app.command("/mentor-goals")(command_reply("/mentor-goals")(_goals_handler(deps)))
    app.command("/mentor-help")(command_reply("/mentor-help")(_help_handler(deps)))
    app.command("/mentor-log")(command_reply("/mentor-log")(_log_handler(deps)))
    app.command("/mentor-pause")(command_reply("/mentor-pause")(_pause_handler(deps)))
    app.command("/mentor-resume")(command_reply("/mentor-resume")(_resume_handler(deps)))
    app.command("/mentor-digest")(command_reply("/mentor-digest")(_digest_handler(deps)))
    app.command("/mentor-pairs")(command_reply("/mentor-pairs")(_pairs_handler(deps)))
    app.command("/mentor-close")(command_reply("/mentor-close")(_close_handler(deps)))


def _pair_handler(deps: Deps):
    def mentor_pair(command: Command, client: WebClient, context: BoltContext) -> Message:
        if not deps.is_coordinator(command["user_id"]):
            raise UserError("not_coordinator")
        request = parse_pair(command.get("text", ""))
        mentor_user, mentee_user = (
            _pairable(client, user_id, bot_user_id=context.bot_user_id)
            for user_id in (request.mentor, request.mentee)
        )
        with transaction(deps.sessions) as session:
            mentor, mentee = (
                get_or_create_person(session, team_id=command["team_id"], user_id=u.id, tz=u.tz)
                for u in (mentor_user, mentee_user)
            )
            pair = create_pair(
                session,
                programme=deps.programme(session),
                mentor=mentor,
                mentee=mentee,
                cadence=request.cadence,
                weekday=request.weekday,
                created_by=command["user_id"],
                now=deps.now(),
            )
            opened = client.conversations_open(users=[mentor.slack_user_id, mentee.slack_user_id])
            pair.conversation_id = opened["channel"]["id"]
            client.chat_postMessage(channel=pair.conversation_id, **welcome(pair).as_kwargs())
            return pair_created(pair)

    return mentor_pair


def _pairable(client: WebClient, user_id: str, *, bot_user_id: str | None) -> SlackUser:
    if user_id == bot_user_id:
        raise UserError("is_me")
    user = lookup_user(client, user_id)
    if user.is_bot:
        raise UserError("bot_user", user=user_id)
    if user.deleted:
        raise UserError("deactivated_user", user=user_id)
    return user


def _goals_handler(deps: Deps):
    def mentor_goals(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_goals(command.get("text", ""))
        with transaction(deps.sessions) as session:
            person = find_person(session, team_id=command["team_id"], user_id=command["user_id"])
            pair = pair_for(session, person=person, partner_user_id=request.partner)
            assert person is not None  # pair_for refuses a person it does not know
            if request.action == "list":
                return goals_list(pair, person, goal_service.list_goals(session, pair=pair))
            goal = goal_service.change_goal(
                session,
                pair=pair,
                actor=person,
                action=request.action,
                number=request.number,
                text=request.text,
                target_date=request.target_date,
                today=person.today(now := deps.now()),
                now=now,
            )
            posted, confirmation = goal_change(
                goal,
                action=request.action,
                actor=person.slack_user_id,
                partner=pair.partner_of(person).slack_user_id,
            )
            client.chat_postMessage(channel=pair.conversation_id, **posted.as_kwargs())
            return confirmation

    return mentor_goals


def _help_handler(deps: Deps):
    def mentor_help(command: Command, client: WebClient, context: BoltContext) -> Message:
        return help_message(is_coordinator=deps.is_coordinator(command["user_id"]))

    return mentor_help


def _member_pair(session: Session, deps: Deps, command: Command, partner: str | None):
    person = find_person(session, team_id=command["team_id"], user_id=command["user_id"])
    pair = pair_for(session, person=person, partner_user_id=partner)
    assert person is not None  # pair_for refuses a person it does not know
    return pair, person


def _log_handler(deps: Deps):
    def mentor_log(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_log(command.get("text", ""))
        now = deps.now()
        with transaction(deps.sessions) as session:
            pair, person = _member_pair(session, deps, command, request.partner)
            day = request.resolve(person.today(now))
            meetings.check_log_date(pair, person, day, now)
            _, keys, created = flows.meeting_held(
                session,
                pair=pair,
                day=day,
                source=MeetingSource.COMMAND,
                by=person.slack_user_id,
                now=now,
                hours=deps.settings.hours,
            )
            partner = pair.partner_of(person).slack_user_id
        deps.deliver(keys)
        return rhythm_messages.meeting_confirmation(partner=partner, day=day, created=created)

    return mentor_log


def _pause_handler(deps: Deps):
    def mentor_pause(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_pause(command.get("text", ""))
        now = deps.now()
        with transaction(deps.sessions) as session:
            pair, person = _member_pair(session, deps, command, request.partner)
            today = person.today(now)
            until = request.resolve(today)
            meetings.pause(session, pair=pair, until=until, today=today, now=now)
            posted, confirmation = rhythm_messages.paused(user=person.slack_user_id, until=until)
            client.chat_postMessage(channel=pair.conversation_id, **posted.as_kwargs())
            return confirmation

    return mentor_pause


def _resume_handler(deps: Deps):
    def mentor_resume(command: Command, client: WebClient, context: BoltContext) -> Message:
        partner = parse_resume(command.get("text", ""))
        with transaction(deps.sessions) as session:
            pair, person = _member_pair(session, deps, command, partner)
            meetings.resume(session, pair=pair, now=deps.now())
            posted, confirmation = rhythm_messages.resumed(
                user=person.slack_user_id, weekday=pair.weekday
            )
            client.chat_postMessage(channel=pair.conversation_id, **posted.as_kwargs())
            return confirmation

    return mentor_resume


def _digest_handler(deps: Deps):
    def mentor_digest(command: Command, client: WebClient, context: BoltContext) -> Message:
        """This week's digest, now, to the coordinator who asked (the chart comes weekly)."""
        if not deps.is_coordinator(command["user_id"]):
            raise UserError("not_coordinator")
        from bot.messages.digest import digest_message  # draws with matplotlib: load on use
        from bot.services.digest import week_so_far

        now, schedule = deps.now(), deps.settings.digest_schedule
        with deps.sessions() as session:
            figures = week_so_far(
                session, programme_id=deps.programme_id, now=now, schedule=schedule
            )
        return digest_message(figures, today=schedule.today(now))

    return mentor_digest


PAIR_FILTERS = {
    "at-risk": (PairStatus.AT_RISK,),
    "dormant": (PairStatus.DORMANT,),
    "paused": (PairStatus.PAUSED,),
    "all": (PairStatus.ACTIVE, PairStatus.AT_RISK, PairStatus.DORMANT, PairStatus.PAUSED),
}


def _pairs_handler(deps: Deps):
    def mentor_pairs(command: Command, client: WebClient, context: BoltContext) -> Message:
        """The programme's pairs by status, for coordinators: who, state, last meeting."""
        if not deps.is_coordinator(command["user_id"]):
            raise UserError("not_coordinator")
        word = command.get("text", "").strip().lower() or "all"
        if word not in PAIR_FILTERS:
            raise UserError("pairs_unknown_filter", word=word)
        from bot.services.digest import pairs_in

        with deps.sessions() as session:
            rows = pairs_in(
                session,
                programme_id=deps.programme_id,
                statuses=PAIR_FILTERS[word],
                limit=MAX_PAIRS_LISTED + 1,
            )
        return pairs_list(rows, which=word, today=deps.now().date(), limit=MAX_PAIRS_LISTED)

    return mentor_pairs


def _close_handler(deps: Deps):
    def mentor_close(command: Command, client: WebClient, context: BoltContext) -> Message:
        """Asks first: the answer carries *Close pair* and *Keep it open*. Writes nothing."""
        request = parse_close(command.get("text", ""))
        user, coordinator = command["user_id"], deps.is_coordinator(command["user_id"])
        if request.mentor and not coordinator:
            raise UserError("close_not_coordinator")
        with deps.sessions() as session:
            if request.mentor and request.mentee:
                pair = closing.pair_of_two(
                    session,
                    programme_id=deps.programme_id,
                    team_id=command["team_id"],
                    first=request.mentor,
                    second=request.mentee,
                )
            else:
                pair = closing.member_pair_to_close(
                    session,
                    person=find_person(session, team_id=command["team_id"], user_id=user),
                    partner_user_id=request.partner,
                    coordinator=coordinator,
                )
            mentor, mentee = pair.mentor.slack_user_id, pair.mentee.slack_user_id
            return close_question(
                pair_id=pair.id,
                mentor=mentor,
                mentee=mentee,
                partner={mentor: mentee, mentee: mentor}.get(user),
            )

    return mentor_close
