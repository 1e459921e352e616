"""`/mentor-programme`'s answers: the list, a programme created, everything set on one."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages import render
from bot.messages.blocks import Message, context, message, section
from bot.models import Programme


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
