"""`/mentor-programme`'s answers: the list, a programme created, everything set on one."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section, select_input
from bot.models import Cadence, Programme
from bot.models.enums import WEEKDAY_NAMES
from bot.services.programmes import MAX_COORDINATORS, MAX_NAME


def _parts(**context: object) -> dict[str, str]:
    base: dict[str, object] = {"programme": None, "open_pairs": 0, "count": 0, "changed": None}
    return render.parts("programme", **(base | context))


def programme_list(programmes: Sequence[Programme], open_pairs: dict[int, int]) -> Message:
    heading = _parts(count=len(programmes))["list_heading"]
    lines = [
        _parts(programme=p, open_pairs=open_pairs.get(p.id, 0))["list_line"] for p in programmes
    ]
    blocks = [section(heading), *(section(line) for line in lines[:45])]
    blocks.append(context(_parts()["list_hint"]))
    return message(heading, blocks)


def programme_created(programme: Programme) -> Message:
    text = _parts(programme=programme)["created"]
    return message(text, [section(text)])


def programme_shown(
    programme: Programme, *, open_pairs: int, changed: str | None = None
) -> Message:
    text = _parts(programme=programme, open_pairs=open_pairs, changed=changed)["shown"]
    return message(text, [section(text)])


def opening() -> Message:
    text = _form_words("")["opening"]
    return message(text, [section(text)])


def _form_words(handle: str) -> dict[str, str]:
    return render.parts("programme_modal", handle=handle)


def edit_modal(programme: Programme) -> dict[str, Any]:
    """Everything set on `programme`, as a form: its name, coordinators, channel, the rhythm
    new pairs get, the thresholds and the digest's day, time and zone."""
    words = _form_words(programme.handle)
    cadences = [Option(text=words[c.value], value=c.value) for c in Cadence]
    weekdays = [Option(text=name, value=str(n)) for n, name in enumerate(WEEKDAY_NAMES[:5])]
    days = [Option(text=name, value=str(n)) for n, name in enumerate(WEEKDAY_NAMES)]

    def number(block: str, label: str, value: int, low: int, high: int) -> InputBlock:
        return InputBlock(
            block_id=block,
            label=words[label],
            element=NumberInputElement(
                action_id=block, initial_value=str(value), min_value=str(low), max_value=str(high)
            ),
        )

    def select(block: str, label: str, options: list[Option], value: str) -> InputBlock:
        return select_input(block, words[label], options, value)

    def date(block: str, label: str, value: dt.date | None, hint: str | None = None) -> InputBlock:
        return InputBlock(
            block_id=block,
            label=words[label],
            hint=hint,
            optional=True,
            element=DatePickerElement(
                action_id=block, initial_date=value.isoformat() if value else None
            ),
        )

    blocks = [
        section(words["intro"]),
        InputBlock(
            block_id=ids.PROGRAMME_NAME,
            label=words["name"],
            element=PlainTextInputElement(
                action_id=ids.PROGRAMME_NAME, max_length=MAX_NAME, initial_value=programme.name
            ),
        ),
        InputBlock(
            block_id=ids.PROGRAMME_COORDINATORS,
            label=words["coordinators"],
            hint=words["coordinators_hint"],
            optional=True,
            element=UserMultiSelectElement(
                action_id=ids.PROGRAMME_COORDINATORS,
                initial_users=[c.slack_user_id for c in programme.coordinators] or None,
                max_selected_items=MAX_COORDINATORS,
            ),
        ),
        InputBlock(
            block_id=ids.PROGRAMME_CHANNEL,
            label=words["channel"],
            hint=words["channel_hint"],
            optional=True,
            element=ConversationSelectElement(
                action_id=ids.PROGRAMME_CHANNEL,
                initial_conversation=programme.coordinator_channel_id,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            ),
        ),
        select(ids.PROGRAMME_CADENCE, "cadence", cadences, programme.default_cadence.value),
        select(ids.PROGRAMME_WEEKDAY, "weekday", weekdays, str(programme.default_weekday)),
        number(ids.PROGRAMME_AT_RISK, "at_risk", programme.at_risk_periods, 1, 12),
        number(ids.PROGRAMME_DORMANT_PERIODS, "dormant_periods", programme.dormant_periods, 2, 24),
        number(ids.PROGRAMME_DORMANT_DAYS, "dormant_days", programme.dormant_days, 7, 365),
        select(ids.PROGRAMME_DIGEST_DAY, "digest_day", days, str(programme.digest_weekday)),
        InputBlock(
            block_id=ids.PROGRAMME_DIGEST_TIME,
            label=words["digest_time"],
            element=TimePickerElement(
                action_id=ids.PROGRAMME_DIGEST_TIME,
                initial_time=f"{programme.digest_time:%H:%M}",
            ),
        ),
        date(ids.PROGRAMME_STARTS, "starts", programme.starts_on),
        date(ids.PROGRAMME_ENDS, "ends", programme.ends_on, hint=words["ends_hint"]),
        InputBlock(
            block_id=ids.PROGRAMME_DIGEST_ZONE,
            label=words["digest_zone"],
            hint=words["digest_zone_hint"],
            element=PlainTextInputElement(
                action_id=ids.PROGRAMME_DIGEST_ZONE,
                max_length=64,
                initial_value=programme.digest_tz,
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=ids.PROGRAMME_MODAL,
        private_metadata=json.dumps({"programme_id": programme.id}),
        title=PlainTextObject(text=words["title"]),
        submit=PlainTextObject(text=words["submit"]),
        blocks=blocks,
    )
    return view.to_dict()
