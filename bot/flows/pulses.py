"""The 30/90-day pulse: a member's answer, and the private note they may add."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import transaction
from bot.deps import Deps
from bot.messages import pulses as pulse_messages
from bot.messages.blocks import Message
from bot.models import PulseAnswer
from bot.rhythm.alerts import to_coordinators
from bot.rhythm.outbox import enqueue
from bot.services import meetings
from bot.services.pairs import member_of
from bot.services.people import find_person

log = logging.getLogger(__name__)


def answer(
    deps: Deps,
    client: WebClient,
    *,
    trigger_id: str,
    user_id: str,
    pair_id: int,
    days: int,
    choice: PulseAnswer,
) -> Message:
    """Record the answer; once Slack is answered, open the note modal (its trigger lives
    3 seconds, so before any other Slack call) and send the coordinators' alert for
    "could be better" and "not working" (once each, with the answer and never the note).
    Returns the note shown under the pulse."""
    now = deps.now()
    keys = []
    with transaction(deps.sessions) as session:
        pair, person = member_of(session, pair_id=pair_id, user_id=user_id)
        pulse = meetings.answer_pulse(
            session, pair=pair, person=person, days=days, answer=choice, now=now
        )
        pulse_id = pulse.id
        if choice is not PulseAnswer.GOING_WELL:
            message = pulse_messages.pulse_alert(
                mentor=pair.mentor.slack_user_id,
                mentee=pair.mentee.slack_user_id,
                user=user_id,
                answer=choice.value,
                days=days,
            )
            key = f"pulse_alert:{pair.id}:{days}:{user_id}:{choice.value}"
            owed = to_coordinators(
                pair.programme,
                deps.settings.coordinators,
                key=key,
                message=message,
                now=now,
                pair_id=pair.id,
            )
            enqueue(session, owed)
            keys += [o.key for o in owed]
    deps.open_modal_after(
        _open_note_modal, client, trigger_id, pulse_messages.pulse_note_modal(pulse_id=pulse_id)
    )
    deps.deliver(keys)
    return pulse_messages.pulse_thanks(answer=choice.value)


def _open_note_modal(client: WebClient, trigger_id: str, modal: dict) -> None:
    try:
        client.views_open(trigger_id=trigger_id, view=modal)
    except SlackApiError as error:  # the answer is saved; only the optional note is missed
        log.warning("pulse note modal not opened: %s", error.response.get("error"))


def save_note(deps: Deps, *, team_id: str, user_id: str, pulse_id: int, note: str) -> None:
    """The pulse's optional private note: stored for its author, shown to nobody else."""
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        meetings.save_pulse_note(session, pulse_id=pulse_id, person=person, note=note)
