"""Slash commands. Every command this app answers is registered in `register`.

Each handler parses the command's text, calls one flow, and replies with what it returns."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.flows import calendars, closing, coordinators, goals, meetings, pairs, programmes, rhythms
from bot.flows.help import help_for
from bot.listeners.parsing import (
    parse_calendar,
    parse_close,
    parse_digest,
    parse_goals,
    parse_log,
    parse_pair,
    parse_pairs,
    parse_pause,
    parse_resume,
    parse_rhythm,
)
from bot.listeners.programme_parsing import parse_programme
from bot.listeners.replies import command_reply, open_modal
from bot.messages import programmes as programme_messages
from bot.messages import rhythms as rhythm_messages
from bot.messages.blocks import Message

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
    app.command("/mentor-rhythm")(command_reply("/mentor-rhythm")(_rhythm_handler(deps)))
    app.command("/mentor-programme")(command_reply("/mentor-programme")(_programme_handler(deps)))
    app.command("/mentor-calendar")(command_reply("/mentor-calendar")(_calendar_handler(deps)))


def _pair_handler(deps: Deps):
    def mentor_pair(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_pair(command.get("text", ""))
        return pairs.register_pair(
            deps,
            team_id=command["team_id"],
            coordinator=command["user_id"],
            mentor=request.mentor,
            mentee=request.mentee,
            cadence=request.cadence,
            weekday=request.weekday,
            bot_user_id=context.bot_user_id,
            response_url=command.get("response_url"),
            handle=request.handle,
        )

    return mentor_pair


def _goals_handler(deps: Deps):
    def mentor_goals(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_goals(command.get("text", ""))
        return goals.goals(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            partner=request.partner,
            action=request.action,
            number=request.number,
            text=request.text,
            target_date=request.target_date,
        )

    return mentor_goals


def _help_handler(deps: Deps):
    def mentor_help(command: Command, client: WebClient, context: BoltContext) -> Message:
        return help_for(deps, team_id=command["team_id"], user_id=command["user_id"])

    return mentor_help


def _log_handler(deps: Deps):
    def mentor_log(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_log(command.get("text", ""))
        return meetings.log_meeting(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            partner=request.partner,
            day_of=request.resolve,
        )

    return mentor_log


def _pause_handler(deps: Deps):
    def mentor_pause(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_pause(command.get("text", ""))
        return pairs.pause(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            partner=request.partner,
            until_from=request.resolve,
        )

    return mentor_pause


def _calendar_handler(deps: Deps):
    def mentor_calendar(command: Command, client: WebClient, context: BoltContext) -> Message:
        reset = parse_calendar(command.get("text", ""))
        return calendars.calendar_link(
            deps, team_id=command["team_id"], user_id=command["user_id"], reset=reset
        )

    return mentor_calendar


def _resume_handler(deps: Deps):
    def mentor_resume(command: Command, client: WebClient, context: BoltContext) -> Message:
        partner = parse_resume(command.get("text", ""))
        return pairs.resume(
            deps, team_id=command["team_id"], user_id=command["user_id"], partner=partner
        )

    return mentor_resume


def _digest_handler(deps: Deps):
    def mentor_digest(command: Command, client: WebClient, context: BoltContext) -> Message:
        handle = parse_digest(command.get("text", ""))
        return coordinators.digest(deps, user_id=command["user_id"], handle=handle)

    return mentor_digest


def _pairs_handler(deps: Deps):
    def mentor_pairs(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_pairs(command.get("text", ""))
        return coordinators.pairs(
            deps, user_id=command["user_id"], which=request.which, handle=request.handle
        )

    return mentor_pairs


def _close_handler(deps: Deps):
    def mentor_close(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_close(command.get("text", ""))
        return closing.ask(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            partner=request.partner,
            mentor=request.mentor,
            mentee=request.mentee,
        )

    return mentor_close


def _rhythm_handler(deps: Deps):
    def mentor_rhythm(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_rhythm(command.get("text", ""))
        if request.cadence is None:  # the form, opened with the command's trigger
            partner = request.people[0] if request.people else None
            view = rhythms.rhythm_form(
                deps, team_id=command["team_id"], user_id=command["user_id"], partner=partner
            )
            where = {"trigger_id": command.get("trigger_id"), "user": {"id": command["user_id"]}}
            deps.open_modal_after(open_modal, client, where, view)
            return rhythm_messages.opening()
        return rhythms.rhythm(
            deps,
            team_id=command["team_id"],
            user_id=command["user_id"],
            people=request.people,
            cadence=request.cadence,
            weekday=request.weekday,
            meets_at=request.meets_at,
            meets_for=request.meets_for,
        )

    return mentor_rhythm


def _programme_handler(deps: Deps):
    def mentor_programme(command: Command, client: WebClient, context: BoltContext) -> Message:
        request = parse_programme(command.get("text", ""))
        user_id = command["user_id"]
        if request.action == "list":
            return programmes.list_programmes(deps, user_id=user_id)
        if request.action == "new":
            return programmes.new_programme(
                deps, user_id=user_id, handle=request.handle, name=request.name
            )
        if request.action == "show":
            return programmes.show_programme(deps, user_id=user_id, handle=request.handle)
        if request.action == "end":
            assert request.ends_on is not None  # parsed with the command
            return programmes.end_programme(
                deps, user_id=user_id, handle=request.handle, ends_on=request.ends_on
            )
        if request.action == "edit":  # the form, opened with the command's trigger
            view = programmes.edit_form(deps, user_id=user_id, handle=request.handle)
            where = {"trigger_id": command.get("trigger_id"), "user": {"id": user_id}}
            deps.open_modal_after(open_modal, client, where, view)
            return programme_messages.opening()
        return programmes.set_programme(
            deps,
            user_id=user_id,
            handle=request.handle,
            setting=request.setting,
            name=request.name,
            people=request.people,
            channel=request.channel,
            cadence=request.cadence,
            weekday=request.weekday,
            numbers=request.numbers,
            at=request.at,
            zone=request.zone,
        )

    return mentor_programme
