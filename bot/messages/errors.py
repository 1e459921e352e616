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


# How much of what a person typed an apology gives back whole: escaped (`&amp;` is the
# longest, five characters for one) and fenced, it still fits a section's 3,000.
MAX_TYPED_SHOWN = 590


def apology(typed: str) -> Message:
    """Our own fault, to the person who ran a command: a short apology and the command as
    they typed it (`typed`, plain text), to send again; Slack has cleared their box."""
    if len(typed) > MAX_TYPED_SHOWN:
        typed = typed[: MAX_TYPED_SHOWN - 1] + "…"
    # Three backticks would end the code block it is shown in.
    parts = render.parts("apology", typed=typed.replace("```", "'" * 3))
    return message(parts["text"], [section(parts["text"]), section(parts["typed"])])


def form_apology() -> str:
    """Our own fault, shown under a form's first field: the form stays open with what was
    written in it (plain text, as Slack shows a field's error)."""
    return render.text("apology_form")
