"""The coordinators' programme overview at the top of their App Home.

Built from `DigestFigures` alone (counts, states and Slack IDs), so no goal, reflection or
note text can reach it. The pairs needing a hand carry the dormant alert's buttons, so the
same handlers answer a press on the Home tab.
"""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import Block

from bot.messages import render
from bot.messages.figures import figures_blocks, figures_context
from bot.services.digest import DigestFigures

# Two blocks a pair (who and buttons): ten pairs leave most of the view's 100 blocks for
# the coordinator's own pairs below.
MAX_ATTENTION_SHOWN = 10
# header, week, note, statuses, activity, pulses, divider, attention, more, footer
_FIXED_BLOCKS = 10
MAX_OVERVIEW_BLOCKS = _FIXED_BLOCKS + 2 * MAX_ATTENTION_SHOWN


def overview_blocks(
    figures: DigestFigures,
    *,
    today: dt.date,
    note: str | None = None,
    programme: str | None = None,
    attention_shown: int = MAX_ATTENTION_SHOWN,
) -> list[Block]:
    """At most MAX_OVERVIEW_BLOCKS blocks. `note` is a line of mrkdwn from a template (what a
    coordinator's button just did), shown under the title; `programme` names it, for a
    coordinator of several; at most `attention_shown` pairs needing a hand are listed."""
    shown = figures.attention[:attention_shown]
    hidden = figures.attention_total - len(shown)
    parts = render.parts(
        "home_overview", **figures_context(figures), hidden=hidden, programme=programme
    )
    return figures_blocks(parts, shown, hidden=hidden, today=today, block_prefix="home", note=note)


def action_note(kind: str, *, user: str, mentor: str, mentee: str) -> str:
    """What a coordinator's button on the Home tab just did ("nudged", "paused" or "closed"),
    naming the pair, which may have left the list by the time the view is redrawn."""
    return render.parts("home_action", user=user, mentor=mentor, mentee=mentee)[kind]
