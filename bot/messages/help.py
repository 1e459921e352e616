"""The `/mentor-help` reply."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages import render
from bot.messages.blocks import Message, context, message, section


def help_message(
    *, is_coordinator: bool, unpaired: bool = False, pairers: Sequence[str] = ()
) -> Message:
    """Every command (a coordinator's too, for a coordinator). For someone `unpaired`, first
    that they are in no pair yet and who can pair them (`pairers`, Slack user ids)."""
    parts = render.parts("help", is_coordinator=is_coordinator, pairers=list(pairers))
    blocks = [section(parts["unpaired"])] if unpaired else []
    blocks.append(section(parts["members"]))
    if is_coordinator:
        blocks.append(section(parts["coordinators"]))
    blocks.append(context(parts["footer"]))
    fallback = parts["fallback"]
    if unpaired:
        fallback = f"{parts['unpaired_fallback']} {fallback}"
    return message(fallback, blocks)
