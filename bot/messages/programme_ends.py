"""A programme's end, to its pairs: the heads-up two weeks before, and the wrap-up on the
day with *Keep meeting on our own* and *Close with a keepsake*."""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.messages import ids, render
from bot.messages.blocks import Message, message, section


def _parts(**context: object) -> dict[str, str]:
    base: dict[str, object] = {
        "mentor": "",
        "mentee": "",
        "programme": "",
        "ends_on": dt.date.min,
        "user": "",
    }
    return render.parts("programme_end", **(base | context))


def heads_up(*, mentor: str, mentee: str, programme: str, ends_on: dt.date) -> Message:
    parts = _parts(mentor=mentor, mentee=mentee, programme=programme, ends_on=ends_on)
    return message(parts["heads_up_fallback"], [section(parts["heads_up"])])


def wrap_up(*, pair_id: int, programme: str) -> Message:
    parts = _parts(programme=programme)
    value = str(pair_id)
    buttons = ActionsBlock(
        block_id=f"wrap_up:{pair_id}",
        elements=[
            ButtonElement(
                text=parts["keep"], action_id=ids.PROGRAMME_KEEP, value=value, style="primary"
            ),
            ButtonElement(text=parts["close"], action_id=ids.PROGRAMME_CLOSE, value=value),
        ],
    )
    return message(parts["wrap_up_fallback"], [section(parts["wrap_up"]), buttons])


def answered(kind: str, *, user: str) -> Message:
    """The note under the wrap-up: `kind` is "kept" or "closed"."""
    text = _parts(user=user)[kind]
    return message(text, [section(text)])
