"""Modal submissions. Every callback_id is registered in `register`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.deps import Deps
from bot.messages import ids
from bot.messages import rhythm as messages
from bot.messages.errors import user_error
from bot.models import Person
from bot.rhythm import flows
from bot.services import closing, meetings
from bot.services.errors import UserError
from bot.services.people import find_person


def register(app: App, deps: Deps) -> None:
    app.view(ids.REFLECTION_MODAL)(_reflection_submitted(deps))
    app.view(ids.PULSE_NOTE_MODAL)(_pulse_note_submitted(deps))
    app.view(ids.LAST_REFLECTION_MODAL)(_last_reflection_submitted(deps))


def _answer(values: dict[str, Any], block: str) -> str:
    """The text typed into `block`, without control characters other than newline and tab;
    "" if nothing was typed, or if what came is not text at all."""
    from bot.text import typed

    field = values.get(block) if isinstance(values, dict) else None
    element = field.get(block) if isinstance(field, dict) else None
    value = element.get("value") if isinstance(element, dict) else None
    return typed(value, multiline=True) if isinstance(value, str) else ""


@dataclass(frozen=True)
class ReflectionForm:
    """What a reflection modal was submitted with."""

    metadata: dict[str, Any]  # the modal's private_metadata: which meeting or pair
    answers: dict[str, str]  # worked, did_not_work, differently: trimmed, maybe empty
    share: bool
    now: dt.datetime


SavedReflection = tuple[list[str], str]  # the outbox keys owed, the author's partner
# Stores the reflection `form` holds for `person` (who may be unknown to the bot); a
# UserError saves nothing.
SaveReflection = Callable[[Session, Person | None, ReflectionForm], SavedReflection]


def _reflection_form(deps: Deps, save: SaveReflection) -> Callable[..., None]:
    """A reflection modal's submission: at least one answer, or the modal says so; `save`
    in one transaction, or the modal shows why nothing was saved; then what it owed is
    sent, and the author is told whether it went to their partner."""

    def reflection_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        values = view["state"]["values"]
        answers = {
            name: _answer(values, name).strip()
            for name in (ids.WORKED, ids.DID_NOT_WORK, ids.DIFFERENTLY)
        }
        share = bool(((values.get(ids.SHARE) or {}).get(ids.SHARE) or {}).get("selected_options"))
        if not any(answers.values()):
            ack(response_action="errors", errors=messages.reflection_empty_error())
            return
        user = body["user"]["id"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        form = ReflectionForm(metadata, answers, share, deps.now())
        try:
            with transaction(deps.sessions) as session:
                person = find_person(session, team_id=_team(body), user_id=user)
                keys, partner = save(session, person, form)
        except UserError as error:
            ack(response_action="errors", errors={ids.WORKED: user_error(error, command=None).text})
            return
        ack()
        deps.deliver(keys)
        client.chat_postMessage(
            channel=user, **messages.reflection_saved(shared=share, partner=partner).as_kwargs()
        )

    return reflection_submitted


def _reflection_submitted(deps: Deps) -> Callable[..., None]:
    """Store the author's answers on a meeting; post them in the pair's conversation only
    if shared."""

    def save(session: Session, person: Person | None, form: ReflectionForm) -> SavedReflection:
        meeting_id, now = int(form.metadata.get("meeting_id", -1)), form.now
        meeting = meetings.meeting_of_member(session, meeting_id=meeting_id, person=person)
        assert person is not None
        reflection, newly_shared = meetings.save_reflection(
            session, meeting=meeting, author=person, shared=form.share, now=now, **form.answers
        )
        keys = (
            flows.reflection_shared(
                session, meeting=meeting, author=person, reflection_id=reflection.id, now=now
            )
            if newly_shared
            else []
        )
        return keys, meeting.pair.partner_of(person).slack_user_id

    return _reflection_form(deps, save)


def _last_reflection_submitted(deps: Deps) -> Callable[..., None]:
    """Store (or rewrite) the member's last reflection on their closed pair; post it in the
    pair's conversation once, the first time they share it."""

    def save(session: Session, person: Person | None, form: ReflectionForm) -> SavedReflection:
        pair_id, now = int(form.metadata.get("pair_id", -1)), form.now
        pair, author = closing.closed_pair_of_member(session, pair_id=pair_id, person=person)
        reflection, newly_shared = closing.save_last_reflection(
            session, pair=pair, author=author, shared=form.share, now=now, **form.answers
        )
        keys = (
            flows.last_reflection_shared(session, pair=pair, reflection=reflection, now=now)
            if newly_shared
            else []
        )
        return keys, pair.partner_of(author).slack_user_id

    return _reflection_form(deps, save)


def _pulse_note_submitted(deps: Deps) -> Callable[..., None]:
    """The pulse's optional private note: stored for its author, shown to nobody else."""

    def pulse_note_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        note = _answer(view["state"]["values"], ids.PULSE_NOTE).strip()
        try:
            pulse_id = int(json.loads(view.get("private_metadata") or "{}").get("pulse_id", -1))
            with transaction(deps.sessions) as session:
                person = find_person(session, team_id=_team(body), user_id=body["user"]["id"])
                meetings.save_pulse_note(session, pulse_id=pulse_id, person=person, note=note)
        except UserError as error:
            ack(
                response_action="errors",
                errors={ids.PULSE_NOTE: user_error(error, command=None).text},
            )
            return
        ack()

    return pulse_note_submitted


def _team(body: dict[str, Any]) -> str:
    return body["user"].get("team_id") or (body.get("team") or {}).get("id", "")
