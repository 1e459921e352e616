"""Messages about a pair's rhythm: a member's proposal (with *Agree* for the partner), the
agreement, a coordinator setting it, and the confirmations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

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


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def rhythm_button(*, pair_id: int) -> ActionsBlock:
    """*Agree our rhythm*, for the welcome: opens the rhythm form."""
    text = render.parts("rhythm_modal", partner="")["button"]
    return ActionsBlock(
        block_id=f"rhythm_open:{pair_id}",
        elements=[
            ButtonElement(text=text, action_id=ids.RHYTHM_OPEN, value=str(pair_id), style="primary")
        ],
    )


def opening() -> Message:
    return _said(render.parts("rhythm_modal", partner="")["opening"])


def rhythm_modal(*, pair_id: int, partner: str, cadence: str, weekday: int) -> dict[str, Any]:
    """The rhythm form, filled in with the pair's current rhythm."""
    parts = render.parts("rhythm_modal", partner=partner)
    cadences = [Option(text=parts[name], value=name) for name in ("weekly", "biweekly", "monthly")]
    days = [Option(text=name, value=str(number)) for number, name in enumerate(WEEKDAYS)]
    view = View(
        type="modal",
        callback_id=ids.RHYTHM_MODAL,
        private_metadata=json.dumps({"pair_id": pair_id}),
        title=PlainTextObject(text=parts["title"]),
        submit=PlainTextObject(text=parts["submit"]),
        blocks=[
            section(parts["intro"]),
            InputBlock(
                block_id=ids.RHYTHM_CADENCE,
                label=parts["cadence"],
                element=StaticSelectElement(
                    action_id=ids.RHYTHM_CADENCE,
                    options=cadences,
                    initial_option=next(o for o in cadences if o.value == cadence),
                ),
            ),
            InputBlock(
                block_id=ids.RHYTHM_WEEKDAY,
                label=parts["weekday"],
                element=StaticSelectElement(
                    action_id=ids.RHYTHM_WEEKDAY, options=days, initial_option=days[weekday]
                ),
            ),
        ],
    )
    return view.to_dict()
