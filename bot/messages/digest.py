"""The weekly coordinator digest: figures, the pairs needing a hand, and the chart upload.

It is built from `DigestFigures` alone, which hold counts, states and Slack IDs, so no
goal, reflection or note text can reach the coordinator channel through it.
"""

from __future__ import annotations

import datetime as dt

from bot.messages import render
from bot.messages.blocks import MAX_BLOCKS_MESSAGE, Message, Upload, message
from bot.messages.chart import chart_words, meetings_chart
from bot.messages.figures import figures_blocks, figures_context
from bot.services.digest import DigestFigures

CHART_STEM = "meetings-per-week"
_FIXED_BLOCKS = 9  # header, week, statuses, activity, pulses, divider, attention, more, footer
_ANSWER_BLOCK = 1  # room for the note a button's handler adds under the message (with_answer)
# A section and a row of buttons per pair: 20 pairs.
MAX_PAIRS_SHOWN = (MAX_BLOCKS_MESSAGE - _FIXED_BLOCKS - _ANSWER_BLOCK) // 2


def digest_message(figures: DigestFigures, *, today: dt.date) -> Message:
    """The digest for the coordinator channel (or `/mentor-digest`, ephemerally).

    Each pair needing a hand gets the dormant alert's buttons (same action_ids, the pair id
    as value), so the same handlers answer them. `today` (the coordinators' date) dates
    "last met N days ago".
    """
    shown = figures.attention[:MAX_PAIRS_SHOWN]
    hidden = figures.attention_total - len(shown)
    parts = render.parts("digest", **figures_context(figures), hidden=hidden)
    blocks = figures_blocks(parts, shown, hidden=hidden, today=today, block_prefix="digest")
    return message(parts["fallback"], blocks)


def chart_upload(figures: DigestFigures) -> Upload:
    """The chart of meetings per week; its file name carries the week, so a digest's chart
    can be found again in the channel's history (see bot.rhythm.sending.reconcile)."""
    words = chart_words(figures.meetings_per_week)
    return Upload(
        content=meetings_chart(figures.meetings_per_week),
        filename=f"{CHART_STEM}-{figures.week_start.date().isoformat()}.png",
        title=words["title"],
        alt_txt=words["alt"],
    )
