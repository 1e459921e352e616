"""Messages of closing a pair: `/mentor-close`'s question and its answers, and the last
reflection (its modal, and the message when its author shares it)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section
from bot.messages.rhythm import REFLECTION_MAX


def close_question(*, pair_id: int, mentor: str, mentee: str, partner: str | None) -> Message:
    """Ephemeral, to whoever typed `/mentor-close`: what closing does, Close pair or Keep it
    open. `partner` is set when they are a member of the pair, None for a coordinator."""
    parts = render.parts("close_question", mentor=mentor, mentee=mentee, partner=partner)
    value = str(pair_id)
    buttons = ActionsBlock(
        block_id=f"close:{pair_id}",
        elements=[
            ButtonElement(
                text=parts["close"], action_id=ids.CLOSE_CONFIRM, value=value, style="danger"
            ),
            ButtonElement(text=parts["keep"], action_id=ids.CLOSE_KEEP, value=value),
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), context(parts["after"]), buttons])


def close_answer(kind: str, *, mentor: str, mentee: str, partner: str | None) -> Message:
    """What replaces the question: `closed` or `kept`."""
    text = render.parts("close_answer", mentor=mentor, mentee=mentee, partner=partner)[kind]
    return message(text, [section(text)])


def last_reflection_modal(
    *,
    pair_id: int,
    partner: str,
    worked: str = "",
    did_not_work: str = "",
    differently: str = "",
    shared: bool = False,
) -> dict[str, Any]:
    """The three after-action questions about the whole time in the pair, filled in with
    the author's earlier answers if they wrote some; sharing is off unless they chose it."""
    parts = render.parts("last_reflection_modal", partner=partner)
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
        callback_id=ids.LAST_REFLECTION_MODAL,
        private_metadata=json.dumps({"pair_id": pair_id}),
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


def last_reflection_shared(
    *, author: str, worked: str, did_not_work: str, differently: str
) -> Message:
    """Posted once in the pair's conversation when the author shares their last reflection."""
    parts = render.parts(
        "last_reflection_shared",
        author=author,
        worked=worked,
        did_not_work=did_not_work,
        differently=differently,
    )
    answers = {"worked": worked, "did_not_work": did_not_work, "differently": differently}
    blocks = [section(parts["text"])] + [section(parts[name]) for name, v in answers.items() if v]
    return message(parts["fallback"], blocks)
