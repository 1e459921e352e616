"""Ephemeral replies to input a person can correct, and the apology for our own faults."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import render
from bot.messages.blocks import Message, context, message, section


def user_error(error: UserError, *, command: str | None) -> Message:
    """What was wrong (prompts/errors/CODE.j2) and, for a command, how to type it
    (prompts/usage/COMMAND.j2)."""
    problem = render.text(f"errors/{error.code}", command=command, **error.context)
    blocks = [section(f":warning: {problem}")]
    if command:
        blocks.append(context(render.text(f"usage/{command.lstrip('/')}")))
    return message(problem, blocks)


def apology() -> Message:
    text = render.text("apology")
    return message(text, [section(text)])
