"""The weekly coordinator digest: figures, the pairs needing a hand, and the chart upload.

It is built from `DigestFigures` alone, which hold counts, states and Slack IDs, so no
goal, reflection or note text can reach the coordinator channel through it.
"""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    PlainTextObject,
)

from bot.messages import ids, render
from bot.messages.blocks import (
    MAX_BLOCKS_MESSAGE,
    Message,
    Upload,
    context,
    divider,
    header,
    message,
    section,
)
from bot.messages.chart import chart_words, meetings_chart
from bot.services.digest import AttentionPair, DigestFigures

CHART_STEM = "meetings-per-week"
PULSE_ORDER = ("going_well", "could_be_better", "not_working")
_FIXED_BLOCKS = 9  # header, week, statuses, activity, pulses, divider, attention, more, footer
_ANSWER_BLOCK = 1  # room for the note a button's handler adds under the message (with_answer)
# A section and a row of buttons per pair: 20 pairs.
MAX_PAIRS_SHOWN = (MAX_BLOCKS_MESSAGE - _FIXED_BLOCKS - _ANSWER_BLOCK) // 2


def digest_message(figures: DigestFigures, *, now: dt.datetime) -> Message:
    """The digest for the coordinator channel (or `/mentor-digest`, ephemerally).

    Each pair needing a hand gets the dormant alert's buttons (same action_ids, the pair id
    as value), so the same handlers answer them. `now` dates "last met N days ago".
    """
    shown = figures.attention[:MAX_PAIRS_SHOWN]
    hidden = figures.attention_total - len(shown)
    parts = render.parts("digest", **_context(figures), hidden=hidden)
    blocks: list[Block] = [
        header(parts["header"]),
        context(parts["week"]),
        section(parts["statuses"]),
        section(parts["activity"]),
        section(parts["pulses"]),
        divider(),
        section(parts["attention"]),
    ]
    for pair in shown:
        blocks += _attention_blocks(pair, today=now.date())
    if hidden > 0:
        blocks.append(context(parts["more"]))
    blocks.append(context(parts["footer"]))
    return message(parts["fallback"], blocks)


def _context(figures: DigestFigures) -> dict[str, object]:
    return {
        "first_day": figures.week_start.date(),
        "last_day": figures.week_end.date() - dt.timedelta(days=1),
        "active": figures.active,
        "at_risk": figures.at_risk,
        "dormant": figures.dormant,
        "paused": figures.paused,
        "closed_this_week": figures.closed_this_week,
        "meetings_this_week": figures.meetings_this_week,
        "meetings_last_week": figures.meetings_last_week,
        "goals_completed": figures.goals_completed,
        "reflections": figures.reflections,
        "pulses": sorted(figures.pulses.items(), key=_pulse_rank),
        "attention_total": figures.attention_total,
    }


def _pulse_rank(item: tuple[str, int]) -> tuple[int, str]:
    answer = item[0]
    return (PULSE_ORDER.index(answer) if answer in PULSE_ORDER else len(PULSE_ORDER), answer)


def _attention_blocks(pair: AttentionPair, *, today: dt.date) -> list[Block]:
    days = (today - pair.last_met).days if pair.last_met else None
    parts = render.parts(
        "digest_pair",
        mentor=pair.mentor,
        mentee=pair.mentee,
        status=pair.status.value,
        last_met=pair.last_met,
        days=days,
    )
    value = str(pair.pair_id)
    confirm = ConfirmObject(
        title=PlainTextObject(text=parts["confirm_title"]),
        text=PlainTextObject(text=parts["confirm_text"]),
        confirm=PlainTextObject(text=parts["confirm_yes"]),
        deny=PlainTextObject(text=parts["confirm_no"]),
        style="danger",
    )
    buttons = ActionsBlock(
        block_id=f"digest:{value}",
        elements=[
            ButtonElement(
                text=parts["nudge"], action_id=ids.DORMANT_NUDGE, value=value, style="primary"
            ),
            ButtonElement(text=parts["pause"], action_id=ids.DORMANT_PAUSE, value=value),
            ButtonElement(
                text=parts["close"],
                action_id=ids.DORMANT_CLOSE,
                value=value,
                style="danger",
                confirm=confirm,
            ),
        ],
    )
    return [section(parts["text"]), buttons]


def chart_upload(figures: DigestFigures) -> Upload:
    """The chart of meetings per week; its file name carries the week, so a digest's chart
    can be found again in the channel's history (see bot.rhythm.outbox.reconcile)."""
    words = chart_words(figures.meetings_per_week)
    return Upload(
        content=meetings_chart(figures.meetings_per_week),
        filename=f"{CHART_STEM}-{figures.week_start.date().isoformat()}.png",
        title=words["title"],
        alt_txt=words["alt"],
    )
