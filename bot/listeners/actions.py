"""Block Kit actions (buttons, date pickers). Every action_id is registered in `register`.

Each handler reads the payload, calls one flow, and shows its answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.flows import closing, coordinators, meetings, pairs, pulses, rhythms
from bot.listeners.payloads import Body, picked_date, row_id, team_of, user_of
from bot.listeners.replies import action_reply, open_modal, replace_reply
from bot.messages import ids
from bot.messages import nudges as nudge_messages
from bot.messages.blocks import Message
from bot.messages.refs import Ref
from bot.models import MeetingSource, PeriodAnswer, PulseAnswer

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    shown_where_clicked = {
        ids.NUDGE_CONFIRM: _nudge_answer(deps, PeriodAnswer.CONFIRMED),
        ids.NUDGE_SKIP: _nudge_answer(deps, PeriodAnswer.SKIPPED),
        ids.PICK_DAY: _nudge_answer(deps, PeriodAnswer.RESCHEDULED),
        ids.CHECKIN_MET: _checkin(deps, met=True),
        ids.CHECKIN_MISSED: _checkin(deps, met=False),
        ids.REFLECT_OPEN: _reflect_open(deps),
        ids.PULSE_GOING_WELL: _pulse(deps, PulseAnswer.GOING_WELL),
        ids.PULSE_COULD_BE_BETTER: _pulse(deps, PulseAnswer.COULD_BE_BETTER),
        ids.PULSE_NOT_WORKING: _pulse(deps, PulseAnswer.NOT_WORKING),
        ids.DORMANT_NUDGE: _coordinator_action(deps, "nudged"),
        ids.DORMANT_PAUSE: _coordinator_action(deps, "paused"),
        ids.DORMANT_CLOSE: _coordinator_action(deps, "closed"),
        ids.LAST_REFLECTION_OPEN: _last_reflection_open(deps),
        ids.RHYTHM_AGREE: _rhythm_agree(deps),
        ids.RHYTHM_OPEN: _rhythm_open(deps),
        ids.RHYTHM_CHANGE: _rhythm_change(deps),
        ids.REPAIR_OPEN: _repair_open(deps),
        ids.ANOTHER_PAIR: _another_pair(deps),
        ids.PROGRAMME_KEEP: _wrap_up(deps, keep=True),
        ids.PROGRAMME_CLOSE: _wrap_up(deps, keep=False),
    }
    for action_id, handler in shown_where_clicked.items():
        app.action(action_id)(action_reply(deps, handler))
    for link in (ids.CALENDAR_GOOGLE, ids.CALENDAR_OUTLOOK):
        app.action(link)(_link_opened)
    app.action(ids.CLOSE_CONFIRM)(replace_reply(deps, _close_confirmed(deps)))
    app.action(ids.CLOSE_KEEP)(replace_reply(deps, _close_kept(deps)))


Action = dict[str, Any]


def _link_opened(ack: Ack) -> None:
    """A link button: Slack opens the link itself and only wants the click answered."""
    ack()


def _nudge_answer(deps: Deps, answer: PeriodAnswer) -> Callable[..., None]:
    def nudge_answer(body: Body, action: Action, client: WebClient) -> None:
        if action.get("type") == "datepicker":
            ref, new_day = Ref.parse(action.get("block_id")), picked_date(action)
        else:
            ref, new_day = Ref.parse(action.get("value")), None
        note = meetings.answer_nudge(
            deps, user_id=user_of(body), ref=ref, answer=answer, new_day=new_day
        )
        deps.after(_show_answer, client, body, note)

    return nudge_answer


def _checkin(deps: Deps, *, met: bool) -> Callable[..., None]:
    def checkin_answer(body: Body, action: Action, client: WebClient) -> None:
        meetings.answer_checkin(
            deps,
            user_id=user_of(body),
            ref=Ref.parse(action.get("value")),
            met=met,
            source=MeetingSource.BUTTON,
        )

    return checkin_answer


def _reflect_open(deps: Deps) -> Callable[..., None]:
    def reflect_open(body: Body, action: Action, client: WebClient) -> None:
        view = meetings.reflection_form(
            deps,
            team_id=team_of(body),
            user_id=user_of(body),
            meeting_id=row_id(action.get("value")),
        )
        deps.open_modal_after(open_modal, client, body, view)

    return reflect_open


def _pulse(deps: Deps, choice: PulseAnswer) -> Callable[..., None]:
    def pulse_answer(body: Body, action: Action, client: WebClient) -> None:
        pair_id, _, days = str(action.get("value", "")).partition(":")
        note = pulses.answer(
            deps,
            client,
            trigger_id=str(body.get("trigger_id") or ""),
            user_id=user_of(body),
            pair_id=row_id(pair_id),
            days=row_id(days),
            choice=choice,
        )
        deps.after(_show_answer, client, body, note)

    return pulse_answer


def _coordinator_action(deps: Deps, kind: str) -> Callable[..., None]:
    """The buttons on a dormant-pair alert, the digest and the coordinators' Home tab."""

    def coordinator_action(body: Body, action: Action, client: WebClient) -> None:
        note = coordinators.act(
            deps,
            client,
            kind=kind,
            user_id=user_of(body),
            team_id=team_of(body),
            pair_id=row_id(action.get("value")),
            on_home=(body.get("container") or {}).get("type") == "view",
        )
        if note is not None:
            deps.after(_show_answer, client, body, note)

    return coordinator_action


def _close_confirmed(deps: Deps) -> Callable[..., Message]:
    def close_confirmed(body: Body, action: Action, client: WebClient) -> Message:
        return closing.confirm(deps, user_id=user_of(body), pair_id=row_id(action.get("value")))

    return close_confirmed


def _close_kept(deps: Deps) -> Callable[..., Message]:
    def close_kept(body: Body, action: Action, client: WebClient) -> Message:
        return closing.keep(deps, user_id=user_of(body), pair_id=row_id(action.get("value")))

    return close_kept


def _last_reflection_open(deps: Deps) -> Callable[..., None]:
    def last_reflection_open(body: Body, action: Action, client: WebClient) -> None:
        view = closing.last_reflection_form(
            deps, team_id=team_of(body), user_id=user_of(body), pair_id=row_id(action.get("value"))
        )
        deps.open_modal_after(open_modal, client, body, view)

    return last_reflection_open


def _wrap_up(deps: Deps, *, keep: bool) -> Callable[..., None]:
    def wrap_up(body: Body, action: Action, client: WebClient) -> None:
        note = closing.wrap_up(
            deps, user_id=user_of(body), pair_id=row_id(action.get("value")), keep=keep
        )
        deps.after(_show_answer, client, body, note)

    return wrap_up


def _rhythm_agree(deps: Deps) -> Callable[..., None]:
    def rhythm_agree(body: Body, action: Action, client: WebClient) -> None:
        note = rhythms.agree(deps, user_id=user_of(body), value=str(action.get("value", "")))
        deps.after(_show_answer, client, body, note)

    return rhythm_agree


def _rhythm_open(deps: Deps) -> Callable[..., None]:
    def rhythm_open(body: Body, action: Action, client: WebClient) -> None:
        view = rhythms.rhythm_form(
            deps, team_id=team_of(body), user_id=user_of(body), pair_id=row_id(action.get("value"))
        )
        deps.open_modal_after(open_modal, client, body, view)

    return rhythm_open


def _rhythm_change(deps: Deps) -> Callable[..., None]:
    def rhythm_change(body: Body, action: Action, client: WebClient) -> None:
        view = rhythms.change_form(deps, user_id=user_of(body), value=str(action.get("value", "")))
        deps.open_modal_after(open_modal, client, body, view)

    return rhythm_change


def _repair_open(deps: Deps) -> Callable[..., None]:
    def repair_open(body: Body, action: Action, client: WebClient) -> None:
        view = pairs.repair_form(deps, user_id=user_of(body), pair_id=row_id(action.get("value")))
        deps.open_modal_after(open_modal, client, body, view)

    return repair_open


def _another_pair(deps: Deps) -> Callable[..., None]:
    def another_pair(body: Body, action: Action, client: WebClient) -> None:
        note = closing.another_pair(
            deps, team_id=team_of(body), user_id=user_of(body), pair_id=row_id(action.get("value"))
        )
        deps.after(_show_answer, client, body, note)

    return another_pair


def _show_answer(client: WebClient, body: Body, note: Message) -> None:
    """Add who answered what under the message the button was on."""
    container = body.get("container") or {}
    if not (container.get("channel_id") and container.get("message_ts")):
        return  # not on a message we can update (a Home tab, a modal)
    original = (body.get("message") or {}).get("blocks") or []
    updated = nudge_messages.with_answer(original, note)
    try:
        client.chat_update(
            channel=container["channel_id"], ts=container["message_ts"], **updated.as_kwargs()
        )
    except SlackApiError as error:  # the answer is saved; only the message shows it late
        log.warning("answer not shown under its message: %s", error.response.get("error"))
