"""Messages about registering a pair."""

from __future__ import annotations

from bot.messages import render
from bot.messages.blocks import Message, context, message, section
from bot.models import Pair


def _rhythm(pair: Pair) -> dict[str, object]:
    return {
        "mentor": pair.mentor.slack_user_id,
        "mentee": pair.mentee.slack_user_id,
        "cadence": pair.cadence.value,
        "weekday": pair.weekday,
    }


def welcome(pair: Pair) -> Message:
    """Posted in the pair's conversation: agree your rhythm, mentee shares goals."""
    parts = render.parts("welcome", **_rhythm(pair))
    return message(
        parts["fallback"],
        [section(parts["text"]), section(parts["rhythm"]), context(parts["goals"])],
    )


def pair_created(pair: Pair) -> Message:
    """The coordinator's ephemeral confirmation."""
    parts = render.parts("pair_created", **_rhythm(pair))
    return message(parts["text"], [section(parts["text"])])
