"""Messages of the pair's rhythm: nudge, reminder, check-in, reflection, pause."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section

STALE_GOAL_DAYS = 30
REFLECTION_MAX = 2000  # characters per answer


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
) -> Message:
    """ "Touch base Tuesday?" — to the mentee first, with one-click answers.

    `ref` is pair:period; `zones` the shared working window for each member (empty when
    they share a zone), or `mentor_hours` in the mentee's time when there is none.
    """
    parts = render.parts(
        "nudge",
        mentor=mentor,
        mentee=mentee,
        day=day,
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


def nudge_answered(kind: str, *, user: str, day: dt.date) -> Message:
    text = render.parts("nudge_answered", user=user, day=day)[kind]
    return message(text, [section(text)])


def reminder(*, partner: str, role: str) -> Message:
    parts = render.parts("reminder", partner=partner, role=role)
    return message(parts["fallback"], [section(parts["text"])])


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


def meeting_recorded(*, user: str, day: dt.date) -> Message:
    text = render.parts("meeting_recorded", user=user, day=day, partner=user)["text"]
    return message(text, [section(text)])


def meeting_confirmation(*, partner: str, day: dt.date, created: bool) -> Message:
    parts = render.parts("meeting_recorded", user=partner, day=day, partner=partner)
    text = parts["confirmation" if created else "already"]
    return message(text, [section(text)])


def reflection_prompt(*, meeting_id: int, partner: str, day: dt.date) -> Message:
    parts = render.parts("reflection_prompt", partner=partner, day=day)
    button = ButtonElement(
        text=parts["button"], action_id=ids.REFLECT_OPEN, value=str(meeting_id), style="primary"
    )
    return message(parts["fallback"], [section(parts["text"]), ActionsBlock(elements=[button])])


def reflection_modal(*, meeting_id: int, partner: str, day: dt.date) -> dict[str, Any]:
    parts = render.parts("reflection_modal", partner=partner, day=day)
    return reflection_view(
        parts, callback_id=ids.REFLECTION_MODAL, metadata={"meeting_id": meeting_id}
    )


def reflection_view(
    parts: dict[str, str],
    *,
    callback_id: str,
    metadata: dict[str, int],
    worked: str = "",
    did_not_work: str = "",
    differently: str = "",
    shared: bool = False,
) -> dict[str, Any]:
    """A modal of the three after-action questions and the share box, in a reflection
    template's `parts`, filled in with the author's earlier answers if any; sharing is off
    unless they chose it."""
    share_option = Option(text=parts["share"], value="share")

    def question(block_id: str, initial: str) -> InputBlock:
        return InputBlock(
            block_id=block_id,
            label=parts[block_id],
            optional=True,
            element=PlainTextInputElement(
                action_id=block_id,
                multiline=True,
                max_length=REFLECTION_MAX,
                initial_value=initial or None,
            ),
        )

    share = InputBlock(
        block_id=ids.SHARE,
        label=parts["share"],
        optional=True,
        element=CheckboxesElement(
            action_id=ids.SHARE,
            options=[share_option],
            initial_options=[share_option] if shared else None,
        ),
    )
    view = View(
        type="modal",
        callback_id=callback_id,
        private_metadata=json.dumps(metadata),
        title=PlainTextObject(text=parts["title"]),
        submit=PlainTextObject(text=parts["submit"]),
        blocks=[
            section(parts["intro"]),
            question(ids.WORKED, worked),
            question(ids.DID_NOT_WORK, did_not_work),
            question(ids.DIFFERENTLY, differently),
            share,
        ],
    )
    return view.to_dict()


def reflection_empty_error() -> dict[str, str]:
    return {ids.WORKED: render.parts("reflection_modal", partner="", day=dt.date.min)["empty"]}


def reflection_shared(
    *, author: str, day: dt.date, worked: str, did_not_work: str, differently: str
) -> Message:
    parts = render.parts(
        "reflection_shared",
        author=author,
        day=day,
        worked=worked,
        did_not_work=did_not_work,
        differently=differently,
    )
    return message(
        parts["fallback"],
        answer_blocks(parts, worked=worked, did_not_work=did_not_work, differently=differently),
    )


def answer_blocks(
    parts: dict[str, str], *, worked: str, did_not_work: str, differently: str
) -> list[Block]:
    """A shared reflection: its heading, then each answer given (in a template's `parts`)."""
    answers = {"worked": worked, "did_not_work": did_not_work, "differently": differently}
    return [section(parts["text"])] + [section(parts[name]) for name, v in answers.items() if v]


def reflection_saved(*, shared: bool, partner: str) -> Message:
    text = render.text("reflection_saved", shared=shared, partner=partner)
    return message(text, [section(text)])


def paused(*, user: str, until: dt.date | None) -> tuple[Message, Message]:
    parts = render.parts("paused", user=user, until=until)
    return (
        message(parts["posted"], [section(parts["posted"])]),
        message(parts["confirmation"], [section(parts["confirmation"])]),
    )


def resumed(*, user: str, weekday: int) -> tuple[Message, Message]:
    parts = render.parts("resumed", user=user, weekday=weekday)
    return (
        message(parts["posted"], [section(parts["posted"])]),
        message(parts["confirmation"], [section(parts["confirmation"])]),
    )


def delivery_failed(*, kind: str, mentor: str, mentee: str, error: str) -> Message:
    text = render.text("delivery_failed", kind=kind, mentor=mentor, mentee=mentee, error=error)
    return message(text, [section(text)])


ANSWER_BLOCK = "answer"


def with_answer(blocks: list[dict[str, Any]], note: Message) -> Message:
    """The message a button was on, with the latest answer shown under it."""
    kept = [b for b in blocks if b.get("block_id") != ANSWER_BLOCK]
    answer = context(note.text)
    answer.block_id = ANSWER_BLOCK
    return Message(text=note.text, blocks=[*kept, answer.to_dict()])


def at_risk(*, mentee: str, mentor: str) -> Message:
    parts = render.parts("at_risk", mentee=mentee, mentor=mentor)
    return message(parts["fallback"], [section(parts["text"]), context(parts["next_step"])])


def dormant_alert(
    *, pair_id: int, mentor: str, mentee: str, last_met: dt.date | None, started_on: dt.date
) -> Message:
    """To the coordinators: a pair has gone quiet, with one-click actions. Counts, no words."""
    parts = render.parts(
        "dormant_alert", mentor=mentor, mentee=mentee, last_met=last_met, started_on=started_on
    )
    value = str(pair_id)
    buttons = ActionsBlock(
        block_id=f"dormant:{pair_id}",
        elements=[
            ButtonElement(text=parts["nudge"], action_id=ids.DORMANT_NUDGE, value=value),
            ButtonElement(text=parts["pause"], action_id=ids.DORMANT_PAUSE, value=value),
            ButtonElement(
                text=parts["close"], action_id=ids.DORMANT_CLOSE, value=value, style="danger"
            ),
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


def pair_closed(*, pair_id: int, partner: str) -> Message:
    """The kind word to each member when their pair closes, with a last reflection offered."""
    parts = render.parts("pair_closed", partner=partner)
    button = ButtonElement(
        text=parts["button"], action_id=ids.LAST_REFLECTION_OPEN, value=str(pair_id)
    )
    return message(
        parts["fallback"],
        [section(parts["text"]), section(parts["offer"]), ActionsBlock(elements=[button])],
    )


def member_left(*, user: str, partner: str) -> Message:
    text = render.text("member_left", user=user, partner=partner)
    return message(text, [section(text)])


def coordinator_action(kind: str, *, user: str) -> Message:
    text = render.parts("coordinator_action", user=user)[kind]
    return message(text, [section(text)])


PULSE_CHOICES = (
    (ids.PULSE_GOING_WELL, "going_well"),
    (ids.PULSE_COULD_BE_BETTER, "could_be_better"),
    (ids.PULSE_NOT_WORKING, "not_working"),
)


def pulse(*, ref: str, partner: str, days: int) -> Message:
    """The private 30/90-day "how is it going?", with three one-click answers."""
    parts = render.parts("pulse", partner=partner, days=days)
    buttons = ActionsBlock(
        block_id=f"pulse:{ref}",
        elements=[
            ButtonElement(text=parts[word], action_id=action_id, value=ref)
            for action_id, word in PULSE_CHOICES
        ],
    )
    return message(parts["fallback"], [section(parts["text"]), buttons])


def pulse_thanks(*, answer: str) -> Message:
    text = render.parts("pulse", partner="", days=0, answer=answer)["thanks"]
    return message(text, [section(text)])


def pulse_note_modal(*, pulse_id: int) -> dict[str, Any]:
    parts = render.parts("pulse", partner="", days=0)
    view = View(
        type="modal",
        callback_id=ids.PULSE_NOTE_MODAL,
        private_metadata=json.dumps({"pulse_id": pulse_id}),
        title=PlainTextObject(text=parts["note_title"]),
        submit=PlainTextObject(text=parts["note_submit"]),
        blocks=[
            InputBlock(
                block_id=ids.PULSE_NOTE,
                label=parts["note_label"],
                optional=True,
                element=PlainTextInputElement(
                    action_id=ids.PULSE_NOTE, multiline=True, max_length=REFLECTION_MAX
                ),
            )
        ],
    )
    return view.to_dict()


def pulse_alert(*, mentor: str, mentee: str, user: str, answer: str, days: int) -> Message:
    """To the coordinators: the answer and who gave it, never the note."""
    text = render.text(
        "pulse_alert", mentor=mentor, mentee=mentee, user=user, answer=answer, days=days
    )
    return message(text, [section(text)])
