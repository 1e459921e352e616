"""Messages before and after a meeting day: the nudge, the reminder, the check-in, and
the question for another day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    PlainTextObject,
)

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section
from bot.messages.calendars import CalendarEvent, calendar_buttons

STALE_GOAL_DAYS = 30


@dataclass(frozen=True)
class GoalLine:
    number: int
    text: str
    stale: bool


@dataclass(frozen=True)
class Zone:
    user: str
    window: str


def topics() -> list[str]:
    return render.names("topics")


def nudge(
    *,
    ref: str,
    mentor: str,
    mentee: str,
    day: dt.date,
    zones: list[Zone],
    mentor_hours: str,
    topic: str,
    goals: list[GoalLine],
    time: str | None = None,
    length: str | None = None,
    way: str | None = None,
) -> Message:
    """ "Touch base Tuesday?" — to the mentee first, with one-click answers.

    `ref` is pair:period; `zones` the shared working window for each member (empty when
    they share a zone), or `mentor_hours` in the mentee's time when there is none; `time`
    (mrkdwn each reader sees in their zone), `length` and `way` what the pair agreed, if
    anything.
    """
    parts = render.parts(
        "nudge",
        mentor=mentor,
        mentee=mentee,
        day=day,
        time=render.Mrkdwn(time) if time else None,
        length=length,
        way=way,
        zones=zones,
        same_zone=not zones and not mentor_hours,
        overlap=bool(zones),
        mentor_hours=mentor_hours,
        topic=render.Mrkdwn(render.text(topic)),
        goals=goals[:20],
        stale_days=STALE_GOAL_DAYS,
    )
    buttons = ActionsBlock(
        block_id=f"nudge:{ref}",
        elements=[
            ButtonElement(
                text=parts["works"], action_id=ids.NUDGE_CONFIRM, value=ref, style="primary"
            ),
            DatePickerElement(
                action_id=ids.PICK_DAY,
                initial_date=day.isoformat(),
                placeholder=PlainTextObject(text=parts["pick"]),
            ),
            ButtonElement(text=parts["skip"], action_id=ids.NUDGE_SKIP, value=ref),
        ],
    )
    blocks = [section(parts["text"]), context(parts["zones"]), section(parts["topic"])]
    blocks += [section(parts["goals"]), buttons]
    return message(parts["fallback"], blocks)


def nudge_answered(
    kind: str, *, user: str, day: dt.date, event: CalendarEvent | None = None
) -> Message:
    """Who answered what; with `event` (a day confirmed or picked), the links that add it
    to a calendar."""
    text = render.parts("nudge_answered", user=user, day=day)[kind]
    blocks: list[Block] = [section(text)]
    if event is not None:
        blocks.append(calendar_buttons(event, ANSWER_LINKS))
    return message(text, blocks)


def reminder(
    *,
    partner: str,
    role: str,
    time: str | None = None,
    length: str | None = None,
    way: str | None = None,
    lesson: str | None = None,
    programme: str | None = None,
) -> Message:
    """The meeting day's DM, with the agreed `time` (in its reader's zone) and `way`; with
    `lesson`, what its reader planned to do differently last time (their own words, to
    them alone: never in the preview text); with `programme`, the name of the pair's
    programme, for someone in pairs of several."""
    parts = render.parts(
        "reminder",
        partner=partner,
        role=role,
        time=time,
        length=length,
        way=way,
        lesson=lesson,
        programme=programme,
    )
    blocks = [section(parts["text"])]
    if lesson:
        blocks.append(context(parts["lesson"]))
    return message(parts["fallback"], blocks)


def checkin(*, ref: str, day: dt.date) -> Message:
    """ "Did you meet?" — answered by ✅/❌ reactions or the buttons. `ref` is pair:period:day."""
    parts = render.parts("checkin", day=day)
    buttons = ActionsBlock(
        block_id=f"checkin:{ref}",
        elements=[
            ButtonElement(text=parts["met"], action_id=ids.CHECKIN_MET, value=ref, style="primary"),
            ButtonElement(text=parts["missed"], action_id=ids.CHECKIN_MISSED, value=ref),
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


def reschedule_question(*, ref: str, mentee: str, before: dt.date, today: dt.date) -> Message:
    parts = render.parts("reschedule", mentee=mentee, before=before)
    buttons = ActionsBlock(
        block_id=f"nudge:{ref}",
        elements=[
            DatePickerElement(
                action_id=ids.PICK_DAY,
                initial_date=today.isoformat(),
                placeholder=PlainTextObject(text=parts["pick"]),
            ),
            ButtonElement(text=parts["skip"], action_id=ids.NUDGE_SKIP, value=ref),
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


ANSWER_BLOCK = "answer"
ANSWER_LINKS = "answer_links"


def with_answer(blocks: list[dict[str, Any]], note: Message) -> Message:
    """The message a button was on, with the latest answer shown under it (and the
    answer's own buttons, if it has any, in place of the last answer's)."""
    kept = [b for b in blocks if b.get("block_id") not in {ANSWER_BLOCK, ANSWER_LINKS}]
    answer = context(note.text)
    answer.block_id = ANSWER_BLOCK
    links = [b for b in note.blocks if b.get("block_id") == ANSWER_LINKS]
    return Message(text=note.text, blocks=[*kept, answer.to_dict(), *links])
