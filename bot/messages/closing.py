"""Messages of closing a pair: `/mentor-close`'s question and its answers, the kind word
to each member, and the last reflection (its modal, and the message when it is shared)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
)

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section
from bot.messages.meetings import answer_blocks, reflection_view
from bot.services.keepsakes import Keepsake


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
    return reflection_view(
        render.parts("last_reflection_modal", partner=partner),
        callback_id=ids.LAST_REFLECTION_MODAL,
        metadata={"pair_id": pair_id},
        worked=worked,
        did_not_work=did_not_work,
        differently=differently,
        shared=shared,
    )


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
    return message(
        parts["fallback"],
        answer_blocks(parts, worked=worked, did_not_work=did_not_work, differently=differently),
    )


def pair_closed(*, pair_id: int, partner: str, keepsake: Keepsake) -> Message:
    """The kind word to each member when their pair closes: what they keep of it (their
    own pair's words, to them alone), a last reflection offered, and *I'd like another
    pair*."""
    parts = render.parts(
        "pair_closed",
        partner=partner,
        weeks=keepsake.weeks,
        meetings=keepsake.meetings,
        goals=keepsake.goals_done,
        lessons=keepsake.lessons,
        partner_lessons=keepsake.partner_lessons,
    )
    value = str(pair_id)
    buttons = ActionsBlock(
        elements=[
            ButtonElement(text=parts["button"], action_id=ids.LAST_REFLECTION_OPEN, value=value),
            ButtonElement(text=parts["another"], action_id=ids.ANOTHER_PAIR, value=value),
        ]
    )
    kept = [section(parts[name]) for name in ("goals", "lessons", "partner_lessons") if parts[name]]
    return message(
        parts["fallback"],
        [
            section(parts["text"]),
            context(parts["together"]),
            *kept,
            section(parts["offer"]),
            buttons,
        ],
    )


def another_pair_noted() -> Message:
    text = render.text("another_pair_noted")
    return message(text, [section(text)])
