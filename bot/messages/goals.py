"""Messages about a pair's goals."""

from __future__ import annotations

from bot.messages import render
from bot.messages.blocks import Message, context, message, section
from bot.models import Goal, Pair, Person

MAX_GOALS_SHOWN = 40


def goals_list(pair: Pair, viewer: Person, goals: list[Goal]) -> Message:
    """The open goals of a pair, one section each, for the ephemeral `/mentor-goals list`."""
    partner = pair.partner_of(viewer).slack_user_id
    shown = goals[:MAX_GOALS_SHOWN]
    parts = render.parts(
        "goals_list", partner=partner, count=len(goals), hidden=len(goals) - len(shown)
    )
    blocks = [section(parts["heading"])]
    blocks += [section(render.text("goal_line", goal=goal)) for goal in shown]
    if not goals:
        blocks.append(section(parts["empty"]))
    if len(goals) > len(shown):
        blocks.append(context(parts["more"]))
    blocks.append(context(parts["hint"]))
    return message(parts["fallback"], blocks)


def praise_nudge(goal: Goal, *, mentee: str) -> Message:
    """The mentor's private word when a goal is done: give specific praise."""
    text = render.text("praise_nudge", goal=goal, mentee=mentee)
    return message(text, [section(text)])


def goal_change(goal: Goal, *, action: str, actor: str, partner: str) -> tuple[Message, Message]:
    """(posted in the pair's conversation so both see it, the actor's ephemeral confirmation)."""
    parts = render.parts("goal_changed", goal=goal, action=action, actor=actor, partner=partner)
    posted = message(parts["posted"], [section(parts["posted"])])
    if action == "done":
        text = f"{parts['posted']}\n{parts['celebration']}"
        posted = message(text, [section(parts["posted"]), context(parts["celebration"])])
    confirmation = message(parts["confirmation"], [section(parts["confirmation"])])
    return posted, confirmation
