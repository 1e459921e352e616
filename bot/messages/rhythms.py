"""Messages about a pair's agreement: a member's proposal (with *Agree* and *Suggest a
change* for the partner), the agreement, a coordinator setting the rhythm, the one
friendly reminder to agree, and the form."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section, select_input
from bot.messages.calendars import CalendarEvent, calendar_buttons
from bot.models.agreements import MAX_HOPE, MAX_WAY_WORDS
from bot.models.enums import WEEKDAY_NAMES, MeetingWay, ReplySpeed
from bot.terms import MEETING_LENGTHS, Terms


def _said(text: str) -> Message:
    return message(text, [section(text)])


def proposal(
    *,
    proposal_id: int,
    proposer: str,
    partner: str,
    terms: str,
    starts_on: dt.date,
    hope: str | None,
) -> tuple[Message, Message]:
    """(in the pair's conversation: what is proposed, with *Agree* and *Suggest a change*;
    the proposer's confirmation). `terms` is mrkdwn from bot.messages.terms."""
    parts = render.parts(
        "rhythm_proposed",
        proposer=proposer,
        partner=partner,
        terms=render.Mrkdwn(terms),
        starts_on=starts_on,
        hope=hope,
    )
    value = str(proposal_id)
    buttons = ActionsBlock(
        block_id=f"rhythm:{value}",
        elements=[
            ButtonElement(
                text=parts["agree"], action_id=ids.RHYTHM_AGREE, value=value, style="primary"
            ),
            ButtonElement(text=parts["change"], action_id=ids.RHYTHM_CHANGE, value=value),
        ],
    )
    blocks = [section(parts["text"])]
    if hope:
        blocks.append(context(parts["hope"]))
    posted = message(parts["fallback"], [*blocks, buttons])
    return posted, _said(parts["sent"])


def hope_saved(*, partner: str) -> Message:
    return _said(render.text("hope_saved", partner=partner))


def notice(note: Message) -> dict[str, Any]:
    """The form, replaced by a note once submitted (when nothing is posted elsewhere)."""
    parts = _form_words()
    view = View(
        type="modal",
        title=PlainTextObject(text=parts["title"]),
        close=PlainTextObject(text=parts["close"]),
        blocks=[section(note.text)],
    )
    return view.to_dict()


def agreed(
    *, user: str, terms: str, starts_on: dt.date, event: CalendarEvent | None = None
) -> tuple[Message, Message]:
    """(in the pair's conversation, the note under the proposal); with `event` (terms that
    name a time), the links that add the first meeting under them to a calendar."""
    parts = render.parts(
        "rhythm_agreed", user=user, terms=render.Mrkdwn(terms), starts_on=starts_on
    )
    return _with_links(parts["text"], event), _said(parts["note"])


def _with_links(text: str, event: CalendarEvent | None) -> Message:
    """A message in the pair's conversation; with `event`, the links that add it to a
    calendar under it."""
    if event is None:
        return _said(text)
    return message(text, [section(text), calendar_buttons(event, "links")])


def set_by_coordinator(
    *,
    coordinator: str,
    mentor: str,
    mentee: str,
    terms: str,
    coordinators_terms: str,
    starts_on: dt.date,
    event: CalendarEvent | None = None,
) -> tuple[Message, Message]:
    """(in the pair's conversation, the coordinator's confirmation). `coordinators_terms`
    leaves out what only the pair may read (its own words for how it meets); with
    `event` (terms that name a time), the pair's message has the calendar links."""
    parts = render.parts(
        "rhythm_set",
        coordinator=coordinator,
        mentor=mentor,
        mentee=mentee,
        terms=render.Mrkdwn(terms),
        coordinators_terms=render.Mrkdwn(coordinators_terms),
        starts_on=starts_on,
    )
    return _with_links(parts["posted"], event), _said(parts["confirmation"])


def agreement_reminder(
    *, pair_id: int, pencilled: str, proposer: str | None, partner: str | None, terms: str | None
) -> Message:
    """The one friendly reminder, a week in with nothing agreed: about the suggestion
    waiting for `partner`, or, with none, an invitation with *Agree our rhythm*."""
    parts = render.parts(
        "rhythm_reminder",
        pencilled=render.Mrkdwn(pencilled),
        proposer=proposer,
        partner=partner,
        terms=render.Mrkdwn(terms or ""),
    )
    blocks: list[Any] = [section(parts["text"])]
    if proposer is None:
        blocks.append(rhythm_button(pair_id=pair_id))
    return message(parts["fallback"], blocks)


def rhythm_button(*, pair_id: int) -> ActionsBlock:
    """*Agree our rhythm*, for the welcome: opens the rhythm form."""
    text = _form_words()["button"]
    return ActionsBlock(
        block_id=f"rhythm_open:{pair_id}",
        elements=[
            ButtonElement(text=text, action_id=ids.RHYTHM_OPEN, value=str(pair_id), style="primary")
        ],
    )


def opening() -> Message:
    return _said(_form_words()["opening"])


def _form_words(partner: str = "", mentee_tz: str = "") -> dict[str, str]:
    return render.parts("rhythm_modal", partner=partner, mentee_tz=mentee_tz)


def _words(
    block: str,
    parts: dict[str, str],
    name: str,
    limit: int,
    initial: str | None,
    *,
    multiline: bool = False,
) -> InputBlock:
    """An optional field for a few words, labelled by `parts[name]` and its hint."""
    return InputBlock(
        block_id=block,
        label=parts[name],
        hint=parts[f"{name}_hint"],
        optional=True,
        element=PlainTextInputElement(
            action_id=block, multiline=multiline, max_length=limit, initial_value=initial
        ),
    )


def rhythm_modal(
    *, pair_id: int, partner: str, mentee_tz: str, terms: Terms, hope: str | None
) -> dict[str, Any]:
    """The rhythm form, filled in with `terms` (the pair's, or a proposal's) and the
    reader's own hope."""
    parts = _form_words(partner, mentee_tz)
    cadences = [Option(text=parts[c], value=c) for c in ("weekly", "biweekly", "monthly")]
    days = [Option(text=name, value=str(n)) for n, name in enumerate(WEEKDAY_NAMES[:5])]
    ways = [Option(text=parts[w.value], value=w.value) for w in MeetingWay]
    speeds = [Option(text=parts[s.value], value=s.value) for s in ReplySpeed]
    lengths = [Option(text=parts[f"minutes_{m}"], value=str(m)) for m in MEETING_LENGTHS]
    view = View(
        type="modal",
        callback_id=ids.RHYTHM_MODAL,
        private_metadata=json.dumps({"pair_id": pair_id}),
        title=PlainTextObject(text=parts["title"]),
        submit=PlainTextObject(text=parts["submit"]),
        blocks=[
            section(parts["intro"]),
            select_input(
                ids.RHYTHM_CADENCE, parts["cadence"], cadences, terms.cadence.value, optional=False
            ),
            select_input(
                ids.RHYTHM_WEEKDAY, parts["weekday"], days, str(terms.weekday), optional=False
            ),
            InputBlock(
                block_id=ids.RHYTHM_TIME,
                label=parts["time"],
                hint=parts["time_hint"],
                optional=True,
                element=TimePickerElement(
                    action_id=ids.RHYTHM_TIME,
                    timezone=mentee_tz,
                    initial_time=f"{terms.meets_at:%H:%M}" if terms.meets_at else None,
                ),
            ),
            select_input(
                ids.RHYTHM_LENGTH,
                parts["length"],
                lengths,
                str(terms.meets_for) if terms.meets_for else None,
                optional=True,
            ),
            select_input(
                ids.RHYTHM_WAY,
                parts["way"],
                ways,
                terms.meets_by.value if terms.meets_by else None,
                optional=True,
            ),
            _words(ids.RHYTHM_WAY_WORDS, parts, "way_words", MAX_WAY_WORDS, terms.meets_by_words),
            select_input(
                ids.RHYTHM_SPEED,
                parts["speed"],
                speeds,
                terms.answers_within.value if terms.answers_within else None,
                optional=True,
            ),
            _words(ids.RHYTHM_HOPE, parts, "hope", MAX_HOPE, hope, multiline=True),
        ],
    )
    return view.to_dict()
