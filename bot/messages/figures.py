"""What the coordinators' views of the figures (the digest and the Home overview) share:
their layout, the figures as template values, and a pair needing a hand with the one-click
Nudge again / Pause / Close pair buttons.

The buttons carry the dormant alert's action_ids and the pair id as value, so the same
handlers answer them wherever they were pressed. Everything here is built from
`DigestFigures` and `AttentionPair` (counts, states, Slack IDs), never anyone's words.
Kept apart from bot.messages.digest, which loads matplotlib for its chart.
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
from bot.messages.blocks import context, divider, header, section
from bot.services.digest import AttentionPair, DigestFigures

PULSE_ORDER = ("going_well", "could_be_better", "not_working")


def figures_blocks(
    parts: dict[str, str],
    shown: list[AttentionPair],
    *,
    hidden: int,
    today: dt.date,
    block_prefix: str,
    note: str | None = None,
) -> list[Block]:
    """The layout of a template's parts (rendered with `figures_context`): title, week,
    `note` (mrkdwn from a template) if any, statuses, activity, pulses, then the pairs
    `shown` with their buttons, the number `hidden` if any, and the footer."""
    blocks: list[Block] = [header(parts["title"]), context(parts["week"])]
    if note:
        blocks.append(context(note))
    blocks += [
        section(parts["statuses"]),
        section(parts["activity"]),
        section(parts["pulses"]),
        divider(),
        section(parts["attention"]),
    ]
    for pair in shown:
        blocks += attention_blocks(pair, today=today, block_prefix=block_prefix)
    if hidden > 0:
        blocks.append(context(parts["more"]))
    if parts.get("ready"):
        blocks.append(context(parts["ready"]))
    blocks.append(context(parts["footer"]))
    return blocks


def figures_context(figures: DigestFigures) -> dict[str, object]:
    """The figures as the values digest-like templates print; pulses in PULSE_ORDER."""
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
        "ready_again": figures.ready_again,
    }


def _pulse_rank(item: tuple[str, int]) -> tuple[int, str]:
    answer = item[0]
    return (PULSE_ORDER.index(answer) if answer in PULSE_ORDER else len(PULSE_ORDER), answer)


def attention_blocks(pair: AttentionPair, *, today: dt.date, block_prefix: str) -> list[Block]:
    """A section (who, state, last met) and a row of buttons; `today` dates "N days ago"."""
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
        block_id=f"{block_prefix}:{value}",
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
