"""The 30/90-day pulse: the question, the thanks, the private note, the coordinators' alert."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, message, section
from bot.messages.meetings import REFLECTION_MAX

PULSE_CHOICES = (
    (ids.PULSE_GOING_WELL, "going_well"),
    (ids.PULSE_COULD_BE_BETTER, "could_be_better"),
    (ids.PULSE_NOT_WORKING, "not_working"),
)


def pulse(*, ref: str, partner: str, days: int) -> Message:
    """The private 30/90-day "how is it going?", with three one-click answers."""
    parts = render.parts("pulse", partner=partner, days=days)
    buttons = ActionsBlock(
        block_id=f"pulse:{ref}",
        elements=[
            ButtonElement(text=parts[word], action_id=action_id, value=ref)
            for action_id, word in PULSE_CHOICES
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


def pulse_thanks(*, answer: str) -> Message:
    text = render.parts("pulse", partner="", days=0, answer=answer)["thanks"]
    return message(text, [section(text)])


def pulse_note_modal(*, pulse_id: int) -> dict[str, Any]:
    parts = render.parts("pulse", partner="", days=0)
    view = View(
        type="modal",
        callback_id=ids.PULSE_NOTE_MODAL,
        private_metadata=json.dumps({"pulse_id": pulse_id}),
        title=PlainTextObject(text=parts["note_title"]),
        submit=PlainTextObject(text=parts["note_submit"]),
        blocks=[
            InputBlock(
                block_id=ids.PULSE_NOTE,
                label=parts["note_label"],
                optional=True,
                element=PlainTextInputElement(
                    action_id=ids.PULSE_NOTE, multiline=True, max_length=REFLECTION_MAX
                ),
            )
        ],
    )
    return view.to_dict()


def pulse_alert(*, mentor: str, mentee: str, user: str, answer: str, days: int) -> Message:
    """To the coordinators: the answer and who gave it, never the note."""
    text = render.text(
        "pulse_alert", mentor=mentor, mentee=mentee, user=user, answer=answer, days=days
    )
    return message(text, [section(text)])
