"""The `/mentor-help` reply."""

from __future__ import annotations

from bot.messages import render
from bot.messages.blocks import Message, context, message, section


def help_message(*, is_coordinator: bool) -> Message:
    parts = render.parts("help", is_coordinator=is_coordinator)
    blocks = [section(parts["members"])]
    if is_coordinator:
        blocks.append(section(parts["coordinators"]))
    blocks.append(context(parts["footer"]))
    return message(parts["fallback"], blocks)
