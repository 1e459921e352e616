"""Messages about a meeting: recorded, and the reflection each member may write."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, message, section

REFLECTION_MAX = 2000  # characters per answer


def meeting_recorded(*, user: str, day: dt.date) -> Message:
    text = render.parts("meeting_recorded", user=user, day=day, partner=user)["text"]
    return message(text, [section(text)])


def meeting_confirmation(*, partner: str, day: dt.date, created: bool) -> Message:
    parts = render.parts("meeting_recorded", user=partner, day=day, partner=partner)
    text = parts["confirmation" if created else "already"]
    return message(text, [section(text)])


def reflection_prompt(*, meeting_id: int, partner: str, day: dt.date) -> Message:
    parts = render.parts("reflection_prompt", partner=partner, day=day)
    button = ButtonElement(
        text=parts["button"], action_id=ids.REFLECT_OPEN, value=str(meeting_id), style="primary"
    )
    return message(parts["fallback"], [section(parts["text"]), ActionsBlock(elements=[button])])


def reflection_modal(*, meeting_id: int, partner: str, day: dt.date) -> dict[str, Any]:
    parts = render.parts("reflection_modal", partner=partner, day=day)
    return reflection_view(
        parts, callback_id=ids.REFLECTION_MODAL, metadata={"meeting_id": meeting_id}
    )


def reflection_view(
    parts: dict[str, str],
    *,
    callback_id: str,
    metadata: dict[str, int],
    worked: str = "",
    did_not_work: str = "",
    differently: str = "",
    shared: bool = False,
) -> dict[str, Any]:
    """A modal of the three after-action questions and the share box, in a reflection
    template's `parts`, filled in with the author's earlier answers if any; sharing is off
    unless they chose it."""
    share_option = Option(text=parts["share"], value="share")

    def question(block_id: str, initial: str) -> InputBlock:
        return InputBlock(
            block_id=block_id,
            label=parts[block_id],
            optional=True,
            element=PlainTextInputElement(
                action_id=block_id,
                multiline=True,
                max_length=REFLECTION_MAX,
                initial_value=initial or None,
            ),
        )

    share = InputBlock(
        block_id=ids.SHARE,
        label=parts["share"],
        optional=True,
        element=CheckboxesElement(
            action_id=ids.SHARE,
            options=[share_option],
            initial_options=[share_option] if shared else None,
        ),
    )
    view = View(
        type="modal",
        callback_id=callback_id,
        private_metadata=json.dumps(metadata),
        title=PlainTextObject(text=parts["title"]),
        submit=PlainTextObject(text=parts["submit"]),
        blocks=[
            section(parts["intro"]),
            question(ids.WORKED, worked),
            question(ids.DID_NOT_WORK, did_not_work),
            question(ids.DIFFERENTLY, differently),
            share,
        ],
    )
    return view.to_dict()


def reflection_empty_error() -> dict[str, str]:
    return {ids.WORKED: render.parts("reflection_modal", partner="", day=dt.date.min)["empty"]}


def reflection_shared(
    *, author: str, day: dt.date, worked: str, did_not_work: str, differently: str
) -> Message:
    parts = render.parts(
        "reflection_shared",
        author=author,
        day=day,
        worked=worked,
        did_not_work=did_not_work,
        differently=differently,
    )
    return message(
        parts["fallback"],
        answer_blocks(parts, worked=worked, did_not_work=did_not_work, differently=differently),
    )


def answer_blocks(
    parts: dict[str, str], *, worked: str, did_not_work: str, differently: str
) -> list[Block]:
    """A shared reflection: its heading, then each answer given (in a template's `parts`)."""
    answers = {"worked": worked, "did_not_work": did_not_work, "differently": differently}
    return [section(parts["text"])] + [section(parts[name]) for name, v in answers.items() if v]


def reflection_saved(*, shared: bool, partner: str) -> Message:
    text = render.text("reflection_saved", shared=shared, partner=partner)
    return message(text, [section(text)])
