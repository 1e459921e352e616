"""Messages about a pair's health: the gentle word when it is at risk, the coordinators'
alert when it goes dormant, and what they did about it."""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
)

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section


def delivery_failed(*, kind: str, mentor: str, mentee: str, error: str) -> Message:
    text = render.text("delivery_failed", kind=kind, mentor=mentor, mentee=mentee, error=error)
    return message(text, [section(text)])


def at_risk(*, mentee: str, mentor: str) -> Message:
    parts = render.parts("at_risk", mentee=mentee, mentor=mentor)
    return message(parts["fallback"], [section(parts["text"]), context(parts["next_step"])])


def dormant_alert(
    *, pair_id: int, mentor: str, mentee: str, last_met: dt.date | None, started_on: dt.date
) -> Message:
    """To the coordinators: a pair has gone quiet, with one-click actions. Counts, no words."""
    parts = render.parts(
        "dormant_alert", mentor=mentor, mentee=mentee, last_met=last_met, started_on=started_on
    )
    value = str(pair_id)
    buttons = ActionsBlock(
        block_id=f"dormant:{pair_id}",
        elements=[
            ButtonElement(text=parts["nudge"], action_id=ids.DORMANT_NUDGE, value=value),
            ButtonElement(text=parts["pause"], action_id=ids.DORMANT_PAUSE, value=value),
            ButtonElement(
                text=parts["close"], action_id=ids.DORMANT_CLOSE, value=value, style="danger"
            ),
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


def coordinator_action(kind: str, *, user: str) -> Message:
    text = render.parts("coordinator_action", user=user)[kind]
    return message(text, [section(text)])
