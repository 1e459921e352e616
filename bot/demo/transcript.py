"""What people saw, as plain text: mentions by name, blocks flattened, buttons in brackets,
a pair's usual time as each reader's Slack shows it, each entry stamped with its
recipients' own local date and time."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.demo.cast import CHANNEL_NAME, Person

EMOJI = {
    ":wave:": "👋",
    ":white_check_mark:": "✅",
    ":x:": "❌",
    ":sunny:": "☀️",
    ":thought_balloon:": "💭",
    ":handshake:": "🤝",
    ":seedling:": "🌱",
    ":zzz:": "💤",
    ":mag:": "🔍",
    ":dart:": "🎯",
    ":tada:": "🎉",
    ":calendar:": "📅",
    ":fast_forward:": "⏩",
    ":mega:": "📣",
    ":pause_button:": "⏸️",
    ":bar_chart:": "📊",
    ":lock:": "🔒",
    ":large_green_circle:": "🟢",
    ":large_yellow_circle:": "🟡",
    ":red_circle:": "🔴",
    ":arrow_up:": "⬆️",
    ":arrow_down:": "⬇️",
    ":heavy_check_mark:": "✔️",
}
WIDTH = 100  # messages in full are wrapped to this
LONG = 140  # a short entry longer than this is laid out like a long one
DAY = len("Mon 05 Jan")
FOLD_WITHIN = dt.timedelta(hours=12)


class Names:
    """Slack IDs to the names a person would see."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.people = {p.user_id: p for p in people}

    def person(self, user_id: str) -> Person:
        return self.people[user_id]

    def plain(self, mrkdwn: str, readers: Iterable[Person] = ()) -> str:
        """mrkdwn as a person reads it: names for mentions, no markup, emoji drawn, and
        Slack's date tokens as the time each of `readers` sees (the fallback if none)."""
        who = list(readers)
        text = re.sub(
            r"<!date\^(\d+)\^\{time\}(?:\^[^|>]*)?\|([^>]*)>",
            lambda match: _times(int(match.group(1)), who) or match.group(2),
            mrkdwn,
        )
        text = re.sub(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", self._mention, text)
        text = re.sub(r"<#[CG][A-Z0-9]+(?:\|[^>]*)?>", CHANNEL_NAME, text)
        text = re.sub(r"<(?:https?|mailto):[^|>]*\|([^>]*)>", r"\1", text)
        text = re.sub(r"<((?:https?|mailto):[^>]*)>", r"\1", text)
        text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
        text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)
        for code, drawn in EMOJI.items():
            text = text.replace(code, drawn)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def _mention(self, match: re.Match[str]) -> str:
        person = self.people.get(match.group(1))
        return f"@{person.name}" if person else "@someone"

    def blocks(
        self,
        blocks: list[dict[str, Any]] | str | None,
        fallback: str = "",
        readers: Iterable[Person] = (),
    ) -> list[str]:
        """Each block as lines of plain text; buttons and pickers as `[Label]`."""
        plain = functools.partial(self.plain, readers=list(readers))
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        lines: list[str] = []
        for block in blocks or []:
            kind = block.get("type")
            if kind in {"section", "header"}:
                lines += plain(block["text"]["text"]).splitlines()
                lines += [plain(f["text"]) for f in block.get("fields", [])]
            elif kind == "context":
                lines.append(" ".join(plain(e.get("text", "")) for e in block["elements"]))
            elif kind == "actions":
                lines.append(" ".join(_control(e) for e in block["elements"]))
            elif kind == "image":
                lines.append(f"[image: {block.get('alt_text', '')}]")
            elif kind == "input":
                lines.append(f"{block['label']['text']} [....]")
        lines = [line.rstrip() for line in lines if line.strip()]
        return lines or [plain(fallback)]


def _times(stamp: int, readers: list[Person]) -> str:
    """`10:00`, or `10:00 Tokyo / 12:00 Sydney` where readers' clocks differ ("" for none)."""
    instant = dt.datetime.fromtimestamp(stamp, dt.UTC)
    clocks = {p.city: f"{instant.astimezone(ZoneInfo(p.tz)):%H:%M}" for p in readers}
    if len(set(clocks.values())) <= 1:
        return next(iter(clocks.values()), "")
    return " / ".join(f"{clock} {city}" for city, clock in clocks.items())


def _control(element: dict[str, Any]) -> str:
    if element.get("type") == "datepicker":
        return f"[📅 {element.get('placeholder', {}).get('text', 'Pick a date')}]"
    text = element.get("text")
    return f"[{text['text'] if isinstance(text, dict) else element.get('type', 'button')}]"


def _same_line_soon(last: Entry, entry: Entry) -> bool:
    """The same short line to the partner within hours (both members' reminders)."""
    return (
        last.circle == entry.circle
        and last.brief
        and entry.brief
        and bool(entry.lines)
        and last.lines == entry.lines
        and entry.instant - last.instant <= FOLD_WITHIN
    )


def stamp(instant: dt.datetime, people: Iterable[Person]) -> str:
    """`Tue 06 Jan 10:00 London · 05:00 New York`: the instant in each person's own zone;
    the date is repeated only where it differs from the first person's."""
    parts: list[str] = []
    first_day = None
    for person in people:
        local = instant.astimezone(ZoneInfo(person.tz))
        day = f"{local:%a %d %b}"
        label = f"{local:%H:%M} {person.city}"
        parts.append(f"{day} {label}" if day != first_day else label)
        first_day = first_day or day
    return " · ".join(dict.fromkeys(parts))


@dataclass
class Entry:
    """One thing that happened: when (in its people's own times), where or who, and what
    was seen. A `brief` entry is one short line, printed after the header."""

    instant: dt.datetime
    when: str
    where: str
    lines: list[str] = field(default_factory=list)
    brief: bool = False
    circle: str = ""  # whose entry it is (a pair), so only a partner's line is folded in
    also: list[str] = field(default_factory=list)  # others who got the same line next

    @property
    def header(self) -> str:
        return f"{self.when}  {self.where}"


class Transcript:
    """Entries printed in order under a rule for each week (weeks start on Mondays in the
    coordinator's zone). Consecutive entries are folded together where nothing is lost:
    the same place at the same instant (a digest and its chart) becomes one entry, and
    the same short line to someone else next (both members' reminders) a note `also`."""

    def __init__(self, out: TextIO, start: dt.datetime, zone: str) -> None:
        self.out, self.zone = out, ZoneInfo(zone)
        self.first_monday = start.astimezone(self.zone).date()
        self.week = 0
        self.lines = 0
        self.pending: Entry | None = None

    def add(self, entry: Entry) -> None:
        last = self.pending
        if last and (last.instant, last.header) == (entry.instant, entry.header):
            if last.brief and entry.brief:
                last.lines = [f"{last.lines[0]}  {entry.lines[0]}"]
            else:
                last.lines += entry.lines
                last.brief = False
            return
        if last and _same_line_soon(last, entry):
            when = entry.when.removeprefix(last.when[:DAY])  # the date, if it is the same day
            last.also.append(f"{entry.where.removeprefix('→ ')}, {when.strip()}")
            return
        self.finish()
        self.pending = entry

    def finish(self) -> None:
        """Print the entry held back for folding, if any."""
        entry, self.pending = self.pending, None
        if entry is None:
            return
        self._week_of(entry.instant)
        also = f"  (also {', '.join(entry.also)})" if entry.also else ""
        one_line = f"{entry.header}: {entry.lines[0]}{also}" if entry.lines else entry.header
        if (entry.brief or not entry.lines) and len(one_line) <= LONG:
            self.write(one_line)
            return
        if not entry.lines:  # a long account of what someone did
            for part in textwrap.wrap(one_line, WIDTH, subsequent_indent="    "):
                self.write(part)
            return
        self.write(entry.header + also)
        for line in entry.lines:
            for part in textwrap.wrap(line, WIDTH - 4, subsequent_indent="  ") or [""]:
                self.write(f"    {part}")

    def _week_of(self, instant: dt.datetime) -> None:
        week = (instant.astimezone(self.zone).date() - self.first_monday).days // 7 + 1
        if week != self.week:
            self.week = week
            monday = self.first_monday + dt.timedelta(weeks=week - 1)
            self.write("")
            rule = f"── Week {week} · from Monday {monday.day} {monday:%B %Y} "
            self.write(rule.ljust(WIDTH, "─"))

    def write(self, line: str) -> None:
        print(line, file=self.out)
        self.lines += 1
