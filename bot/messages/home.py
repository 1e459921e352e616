"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from bot.messages import render
from bot.messages.blocks import MAX_BLOCKS_VIEW, context, divider, header, section
from bot.models import Goal, Pair, Person

MAX_GOALS_PER_PAIR = 10
# Up to 13 blocks a pair (divider, summary, ten goals, "more"): 7 pairs stay within 100.
MAX_PAIRS_SHOWN = 7


def home_view(person_user_id: str, pairs: list[tuple[Pair, Person, list[Goal]]]) -> dict[str, Any]:
    """Each pair: partner, role, rhythm, open goals. A welcome for someone with no pair."""
    hidden_pairs = max(0, len(pairs) - MAX_PAIRS_SHOWN)
    parts = render.parts("home", user=person_user_id, count=len(pairs), hidden_pairs=hidden_pairs)
    blocks = [header(parts["title"])]
    if not pairs:
        blocks.append(section(parts["empty"]))
    for pair, me, goals in pairs[:MAX_PAIRS_SHOWN]:
        shown = goals[:MAX_GOALS_PER_PAIR]
        pair_parts = render.parts(
            "home_pair",
            partner=pair.partner_of(me).slack_user_id,
            role=pair.role_of(me),
            cadence=pair.cadence.value,
            weekday=pair.weekday,
            status=pair.status.value,
            hidden=len(goals) - len(shown),
        )
        blocks += [divider(), section(pair_parts["summary"])]
        blocks += [section(render.text("goal_line", goal=goal)) for goal in shown]
        if not goals:
            blocks.append(section(pair_parts["no_goals"]))
        elif len(goals) > len(shown):
            blocks.append(context(pair_parts["more_goals"]))
    if hidden_pairs:
        blocks.append(context(parts["more_pairs"]))
    blocks.append(context(parts["footer"]))
    if len(blocks) > MAX_BLOCKS_VIEW:
        raise ValueError(f"{len(blocks)} blocks, more than a view's {MAX_BLOCKS_VIEW}")
    return View(type="home", blocks=blocks).to_dict()
