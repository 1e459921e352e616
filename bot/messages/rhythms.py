"""Messages about a pair's rhythm: a member's proposal (with *Agree* for the partner), the
agreement, a coordinator setting it, and the confirmations."""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.messages import ids, render
from bot.messages.blocks import Message, message, section


def _said(text: str) -> Message:
    return message(text, [section(text)])


def proposal(
    *, value: str, proposer: str, partner: str, cadence: str, weekday: int, starts_on: dt.date
) -> tuple[Message, Message]:
    """(in the pair's conversation: the proposed rhythm with *Agree* for the partner, the
    proposer's confirmation). `value` names the pair and the rhythm, for the button."""
    parts = render.parts(
        "rhythm_proposed",
        proposer=proposer,
        partner=partner,
        cadence=cadence,
        weekday=weekday,
        starts_on=starts_on,
    )
    button = ButtonElement(
        text=parts["agree"], action_id=ids.RHYTHM_AGREE, value=value, style="primary"
    )
    posted = message(
        parts["text"],
        [section(parts["text"]), ActionsBlock(block_id=f"rhythm:{value}", elements=[button])],
    )
    return posted, _said(parts["sent"])


def agreed(*, user: str, cadence: str, weekday: int, starts_on: dt.date) -> tuple[Message, Message]:
    """(in the pair's conversation, the note under the proposal)."""
    parts = render.parts(
        "rhythm_agreed", user=user, cadence=cadence, weekday=weekday, starts_on=starts_on
    )
    return _said(parts["text"]), _said(parts["note"])


def set_by_coordinator(
    *, coordinator: str, mentor: str, mentee: str, cadence: str, weekday: int, starts_on: dt.date
) -> tuple[Message, Message]:
    """(in the pair's conversation, the coordinator's confirmation)."""
    parts = render.parts(
        "rhythm_set",
        coordinator=coordinator,
        mentor=mentor,
        mentee=mentee,
        cadence=cadence,
        weekday=weekday,
        starts_on=starts_on,
    )
    return _said(parts["posted"]), _said(parts["confirmation"])
