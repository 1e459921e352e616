"""Block Kit actions (buttons, date pickers). Every action_id is registered in `register`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.db import transaction
from bot.deps import Deps
from bot.listeners.home import publish_home
from bot.listeners.replies import action_reply, replace_reply
from bot.messages import closing as closing_messages
from bot.messages import ids
from bot.messages import rhythm as messages
from bot.messages.overview import action_note
from bot.models import MeetingSource, Pair, PeriodAnswer, PulseAnswer
from bot.rhythm import flows
from bot.services import closing, meetings
from bot.services.errors import UserError
from bot.services.people import find_person

Body = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    app.action(ids.NUDGE_CONFIRM)(action_reply(_nudge_answer(deps, PeriodAnswer.CONFIRMED)))
    app.action(ids.NUDGE_SKIP)(action_reply(_nudge_answer(deps, PeriodAnswer.SKIPPED)))
    app.action(ids.PICK_DAY)(action_reply(_nudge_answer(deps, PeriodAnswer.RESCHEDULED)))
    app.action(ids.CHECKIN_MET)(action_reply(_checkin(deps, met=True)))
    app.action(ids.CHECKIN_MISSED)(action_reply(_checkin(deps, met=False)))
    app.action(ids.REFLECT_OPEN)(action_reply(_reflect_open(deps)))
    for action_id, word in messages.PULSE_CHOICES:
        app.action(action_id)(action_reply(_pulse_answer(deps, PulseAnswer(word))))
    app.action(ids.DORMANT_NUDGE)(action_reply(_coordinator_action(deps, "nudged")))
    app.action(ids.DORMANT_PAUSE)(action_reply(_coordinator_action(deps, "paused")))
    app.action(ids.DORMANT_CLOSE)(action_reply(_coordinator_action(deps, "closed")))
    app.action(ids.CLOSE_CONFIRM)(replace_reply(_close_confirmed(deps)))
    app.action(ids.CLOSE_KEEP)(replace_reply(_close_kept(deps)))
    app.action(ids.LAST_REFLECTION_OPEN)(action_reply(_last_reflection_open(deps)))


ANSWER_WORDS = {
    PeriodAnswer.CONFIRMED: "confirmed",
    PeriodAnswer.RESCHEDULED: "rescheduled",
    PeriodAnswer.SKIPPED: "skipped",
}


def _nudge_answer(deps: Deps, answer: PeriodAnswer) -> Callable[..., None]:
    def nudge_answer(body: Body, action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        new_day = None
        if action["type"] == "datepicker":
            ref = flows.Ref.parse(action["block_id"])
            new_day = dt.date.fromisoformat(action["selected_date"])
        else:
            ref = flows.Ref.parse(action["value"])
        now = deps.now()
        with transaction(deps.sessions) as session:
            pair, person = flows.member_pair(session, ref.pair_id, user)
            if new_day is not None:
                meetings.check_new_day(pair, person, ref.period, new_day, now)
            meetings.answer_period(
                session,
                pair=pair,
                period=ref.period,
                answer=answer,
                by=user,
                now=now,
                new_day=new_day,
            )
        note = messages.nudge_answered(ANSWER_WORDS[answer], user=user, day=new_day or ref.day)
        _show_answer(client, body, note)

    return nudge_answer


def _checkin(deps: Deps, *, met: bool) -> Callable[..., None]:
    def checkin_answer(body: Body, action: dict[str, Any], client: WebClient) -> None:
        now = deps.now()
        with transaction(deps.sessions) as session:
            keys = flows.answer_checkin(
                session,
                ref=flows.Ref.parse(action["value"]),
                user_id=body["user"]["id"],
                met=met,
                source=MeetingSource.BUTTON,
                now=now,
                hours=deps.settings.hours,
            )
        deps.deliver(keys)

    return checkin_answer


def _reflect_open(deps: Deps) -> Callable[..., None]:
    def reflect_open(body: Body, action: dict[str, Any], client: WebClient) -> None:
        with deps.sessions() as session:
            person = find_person(session, team_id=_team(body), user_id=body["user"]["id"])
            meeting = meetings.meeting_of_member(
                session, meeting_id=_int(action.get("value")), person=person
            )
            assert person is not None
            view = messages.reflection_modal(
                meeting_id=meeting.id,
                partner=meeting.pair.partner_of(person).slack_user_id,
                day=meeting.held_on,
            )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return reflect_open


def _pulse_answer(deps: Deps, answer: PulseAnswer) -> Callable[..., None]:
    def pulse_answer(body: Body, action: dict[str, Any], client: WebClient) -> None:
        pair_id, _, days = str(action.get("value", "")).partition(":")
        if not (pair_id.isdigit() and days.isdigit()):
            raise UserError("stale_button")
        with transaction(deps.sessions) as session:
            pulse_id, keys = flows.pulse_answered(
                session,
                pair_id=int(pair_id),
                days=int(days),
                user_id=body["user"]["id"],
                answer=answer,
                now=deps.now(),
            )
        deps.deliver(keys)
        client.views_open(
            trigger_id=body["trigger_id"], view=messages.pulse_note_modal(pulse_id=pulse_id)
        )
        _show_answer(client, body, messages.pulse_thanks(answer=answer.value))

    return pulse_answer


def _coordinator_action(deps: Deps, kind: str) -> Callable[..., None]:
    """The buttons on a dormant-pair alert, the digest and the coordinators' Home tab: nudge
    again, pause, close. Coordinators only. On the Home tab, the view is redrawn."""

    def coordinator_action(body: Body, action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        if not deps.is_coordinator(user):
            raise UserError("coordinator_only")
        now, hours = deps.now(), deps.settings.hours
        with transaction(deps.sessions) as session:
            pair = session.get(Pair, _int(action.get("value")))
            if pair is None:
                raise UserError("not_your_pair")
            members = {"mentor": pair.mentor.slack_user_id, "mentee": pair.mentee.slack_user_id}
            if kind == "nudged":
                keys = flows.nudge_again(session, pair=pair, now=now, hours=hours)
            elif kind == "paused":
                meetings.pause(session, pair=pair, until=None, today=now.date(), now=now)
                keys = []
            else:
                keys = flows.close(session, pair=pair, now=now, hours=hours)
        deps.deliver(keys)
        if (body.get("container") or {}).get("type") == "view":
            note = action_note(kind, user=user, **members)
            publish_home(deps, client, team_id=_team(body), user_id=user, note=note)
        else:
            _show_answer(client, body, messages.coordinator_action(kind, user=user))

    return coordinator_action


def _close_confirmed(deps: Deps) -> Callable[..., messages.Message]:
    """*Close pair* on /mentor-close's question: whoever presses it must still be a member
    of the pair or a coordinator, and a pair closes once however often it is pressed."""

    def close_confirmed(body: Body, action: dict[str, Any], client: WebClient) -> messages.Message:
        user = body["user"]["id"]
        now, hours = deps.now(), deps.settings.hours
        with transaction(deps.sessions) as session:
            pair = closing.pair_to_close(
                session,
                pair_id=_int(action.get("value")),
                programme_id=deps.programme_id,
                user_id=user,
                coordinator=deps.is_coordinator(user),
            )
            keys = flows.close(session, pair=pair, now=now, hours=hours)
            answer = closing_messages.close_answer("closed", **_close_names(pair, user))
        deps.deliver(keys)
        return answer

    return close_confirmed


def _close_kept(deps: Deps) -> Callable[..., messages.Message]:
    def close_kept(body: Body, action: dict[str, Any], client: WebClient) -> messages.Message:
        with deps.sessions() as session:
            pair = session.get(Pair, _int(action.get("value")))
            if pair is None:
                raise UserError("stale_button")
            return closing_messages.close_answer("kept", **_close_names(pair, body["user"]["id"]))

    return close_kept


def _close_names(pair: Pair, user: str) -> dict[str, str | None]:
    """The pair's members, and the partner of `user` if `user` is one of them."""
    mentor, mentee = pair.mentor.slack_user_id, pair.mentee.slack_user_id
    partner = {mentor: mentee, mentee: mentor}.get(user)
    return {"mentor": mentor, "mentee": mentee, "partner": partner}


def _last_reflection_open(deps: Deps) -> Callable[..., None]:
    """*Write a last reflection* on the kind close message: the modal, with any answers the
    member already gave."""

    def last_reflection_open(body: Body, action: dict[str, Any], client: WebClient) -> None:
        with deps.sessions() as session:
            person = find_person(session, team_id=_team(body), user_id=body["user"]["id"])
            pair, author = closing.closed_pair_of_member(
                session, pair_id=_int(action.get("value")), person=person
            )
            earlier = closing.last_reflection(session, pair=pair, author=author)
            view = closing_messages.last_reflection_modal(
                pair_id=pair.id,
                partner=pair.partner_of(author).slack_user_id,
                worked=earlier.worked if earlier else "",
                did_not_work=earlier.did_not_work if earlier else "",
                differently=earlier.differently if earlier else "",
                shared=bool(earlier and earlier.shared),
            )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return last_reflection_open


def _show_answer(client: WebClient, body: Body, note: messages.Message) -> None:
    """Add who answered what under the message the button was on."""
    container = body.get("container") or {}
    original = (body.get("message") or {}).get("blocks") or []
    updated = messages.with_answer(original, note)
    client.chat_update(
        channel=container["channel_id"], ts=container["message_ts"], **updated.as_kwargs()
    )


def _team(body: Body) -> str:
    return (body.get("team") or {}).get("id") or body["user"].get("team_id", "")


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1
