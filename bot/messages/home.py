"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from bot.messages import render
from bot.messages.blocks import MAX_BLOCKS_VIEW, context, divider, header, section
from bot.models import Goal, Pair, Person

MAX_GOALS_PER_PAIR = 10


def home_view(person_user_id: str, pairs: list[tuple[Pair, Person, list[Goal]]]) -> dict[str, Any]:
    """Each pair: partner, role, rhythm, open goals. A welcome for someone with no pair."""
    parts = render.parts("home", user=person_user_id, count=len(pairs))
    blocks = [header(parts["title"])]
    if not pairs:
        blocks.append(section(parts["empty"]))
    for pair, me, goals in pairs:
        shown = goals[:MAX_GOALS_PER_PAIR]
        pair_parts = render.parts(
            "home_pair",
            partner=pair.partner_of(me).slack_user_id,
            role=pair.role_of(me),
            cadence=pair.cadence.value,
            weekday=pair.weekday,
            status=pair.status.value,
            goals=shown,
            hidden=len(goals) - len(shown),
        )
        blocks += [divider(), section(pair_parts["summary"]), section(pair_parts["goals"])]
    blocks.append(context(parts["footer"]))
    blocks = blocks[:MAX_BLOCKS_VIEW]
    return View(type="home", blocks=blocks).to_dict()
