"""Modal submissions. Every callback_id is registered in `register`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.flows import closing, meetings, pairs, programmes, pulses, rhythms
from bot.listeners.parsing import mention_id
from bot.listeners.payloads import metadata_id, team_of, user_of
from bot.messages import ids
from bot.messages import meetings as meeting_messages
from bot.messages import rhythms as rhythm_messages
from bot.messages.errors import user_error
from bot.text import typed


def register(app: App, deps: Deps) -> None:
    app.view(ids.REFLECTION_MODAL)(_reflection_form(deps, "meeting_id", meetings.save_reflection))
    app.view(ids.LAST_REFLECTION_MODAL)(
        _reflection_form(deps, "pair_id", closing.save_last_reflection)
    )
    app.view(ids.PULSE_NOTE_MODAL)(_pulse_note_submitted(deps))
    app.view(ids.RHYTHM_MODAL)(_rhythm_submitted(deps))
    app.view(ids.REPAIR_MODAL)(_repair_submitted(deps))
    app.view(ids.PROGRAMME_MODAL)(_programme_submitted(deps))


def _element(values: dict[str, Any], block: str) -> dict[str, Any]:
    """The state of `block`'s element (its action_id is the block's id), or {}."""
    field = values.get(block) if isinstance(values, dict) else None
    element = field.get(block) if isinstance(field, dict) else None
    return element if isinstance(element, dict) else {}


def _answer(values: dict[str, Any], block: str) -> str:
    """The text typed into `block`, without control characters other than newline and tab;
    "" if nothing was typed, or if what came is not text at all."""
    value = _element(values, block).get("value")
    return typed(value, multiline=True) if isinstance(value, str) else ""


def _values(view: dict[str, Any]) -> dict[str, Any]:
    values = (view.get("state") or {}).get("values")
    return values if isinstance(values, dict) else {}


def _reflection_form(deps: Deps, key: str, save: Callable[..., None]) -> Callable[..., None]:
    """A reflection modal's submission: at least one answer, or the modal says so; saved
    by `save` (a flow, given the id in the modal's metadata under `key`), or the modal
    shows why nothing was saved."""

    def reflection_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        values = _values(view)
        answers = {
            name: _answer(values, name).strip()
            for name in (ids.WORKED, ids.DID_NOT_WORK, ids.DIFFERENTLY)
        }
        share = bool(((values.get(ids.SHARE) or {}).get(ids.SHARE) or {}).get("selected_options"))
        if not any(answers.values()):
            ack(response_action="errors", errors=meeting_messages.reflection_empty_error())
            return
        try:
            save(
                deps,
                team_id=team_of(body),
                user_id=user_of(body),
                answers=answers,
                share=share,
                **{key: metadata_id(view, key)},
            )
        except UserError as error:
            ack(response_action="errors", errors={ids.WORKED: user_error(error, command=None).text})
            return
        ack()

    return reflection_submitted


def _pulse_note_submitted(deps: Deps) -> Callable[..., None]:
    def pulse_note_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        note = _answer(_values(view), ids.PULSE_NOTE).strip()
        try:
            pulses.save_note(
                deps,
                team_id=team_of(body),
                user_id=user_of(body),
                pulse_id=metadata_id(view, "pulse_id"),
                note=note,
            )
        except UserError as error:
            ack(
                response_action="errors",
                errors={ids.PULSE_NOTE: user_error(error, command=None).text},
            )
            return
        ack()

    return pulse_note_submitted


def _picked(values: dict[str, Any], block: str) -> str:
    """The value of the option picked in `block`'s select, or "" if none (or not one)."""
    option = _element(values, block).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else ""


def _rhythm_submitted(deps: Deps) -> Callable[..., None]:
    """The rhythm form: proposed in the pair's conversation, or the form says why not."""

    def rhythm_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = _values(view)
        time = _element(values, ids.RHYTHM_TIME).get("selected_time")
        form = rhythms.FormAnswers(
            cadence=_picked(values, ids.RHYTHM_CADENCE),
            weekday=_picked(values, ids.RHYTHM_WEEKDAY),
            meets_at=time if isinstance(time, str) else "",
            meets_for=_picked(values, ids.RHYTHM_LENGTH),
            meets_by=_picked(values, ids.RHYTHM_WAY),
            meets_by_words=_answer(values, ids.RHYTHM_WAY_WORDS),
            answers_within=_picked(values, ids.RHYTHM_SPEED),
            hope=_answer(values, ids.RHYTHM_HOPE),
        )
        try:
            saved = rhythms.propose_form(
                deps,
                team_id=team_of(body),
                user_id=user_of(body),
                pair_id=metadata_id(view, "pair_id"),
                form=form,
            )
        except UserError as error:
            text = user_error(error, command=None).text
            ack(response_action="errors", errors={ids.RHYTHM_CADENCE: text})
            return
        if saved is None:  # proposed: the pair's conversation shows it
            ack()
        else:  # only the hope changed: say so where they are
            ack(response_action="update", view=rhythm_messages.notice(saved))

    return rhythm_submitted


def _repair_submitted(deps: Deps) -> Callable[..., None]:
    """*Pair them with someone new*: the new pair registered as `/mentor-pair` does (the
    coordinator is told in a DM), or the form says why not."""

    def repair_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        picked = _element(_values(view), ids.REPAIR_USER).get("selected_user")
        new_partner = mention_id(f"<@{picked}>") if isinstance(picked, str) else None
        try:
            pairs.repair(
                deps,
                team_id=team_of(body),
                user_id=user_of(body),
                pair_id=metadata_id(view, "pair_id"),
                new_partner=new_partner or "",
            )
        except UserError as error:
            text = user_error(error, command=None).text
            ack(response_action="errors", errors={ids.REPAIR_USER: text})
            return
        ack()

    return repair_submitted


# Where a refusal of the programme form is shown: next to the field it is about.
PROGRAMME_ERROR_FIELDS = {
    "programme_thresholds": ids.PROGRAMME_AT_RISK,
    "programme_zone_unknown": ids.PROGRAMME_DIGEST_ZONE,
    "programme_digest_malformed": ids.PROGRAMME_DIGEST_TIME,
    "programme_too_many_coordinators": ids.PROGRAMME_COORDINATORS,
    "programme_end_past": ids.PROGRAMME_ENDS,
    "programme_end_before_start": ids.PROGRAMME_ENDS,
}


def _date(values: dict[str, Any], block: str) -> str:
    """A date picker's value ("YYYY-MM-DD"), or "" if none was picked."""
    picked = _element(values, block).get("selected_date")
    return picked if isinstance(picked, str) else ""


def _programme_submitted(deps: Deps) -> Callable[..., None]:
    """The programme form: every setting saved at once, or the form says what to fix."""

    def programme_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = _values(view)
        users = _element(values, ids.PROGRAMME_COORDINATORS).get("selected_users")
        channel = _element(values, ids.PROGRAMME_CHANNEL).get("selected_conversation")
        time = _element(values, ids.PROGRAMME_DIGEST_TIME).get("selected_time")
        form = programmes.FormAnswers(
            name=_answer(values, ids.PROGRAMME_NAME),
            coordinators=tuple(u for u in users if isinstance(u, str))
            if isinstance(users, list)
            else (),
            channel=channel if isinstance(channel, str) else "",
            cadence=_picked(values, ids.PROGRAMME_CADENCE),
            weekday=_picked(values, ids.PROGRAMME_WEEKDAY),
            at_risk=_answer(values, ids.PROGRAMME_AT_RISK),
            dormant_periods=_answer(values, ids.PROGRAMME_DORMANT_PERIODS),
            dormant_days=_answer(values, ids.PROGRAMME_DORMANT_DAYS),
            digest_day=_picked(values, ids.PROGRAMME_DIGEST_DAY),
            digest_time=time if isinstance(time, str) else "",
            digest_zone=_answer(values, ids.PROGRAMME_DIGEST_ZONE),
            starts_on=_date(values, ids.PROGRAMME_STARTS),
            ends_on=_date(values, ids.PROGRAMME_ENDS),
        )
        try:
            programmes.save_form(
                deps,
                user_id=user_of(body),
                programme_id=metadata_id(view, "programme_id"),
                form=form,
            )
        except UserError as error:
            field = PROGRAMME_ERROR_FIELDS.get(error.code, ids.PROGRAMME_NAME)
            ack(response_action="errors", errors={field: user_error(error, command=None).text})
            return
        ack()

    return programme_submitted
