"""Turning `/mentor-programme`'s text into plain values. Pure functions; errors are
UserErrors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.calendar import known_zone
from bot.errors import UserError
from bot.listeners.parsing import CLOCK, ISO_DATE, clock_time, expect_mention, plain
from bot.models import Cadence
from bot.models.enums import WEEKDAY_WORDS
from bot.text import typed

CHANNEL = re.compile(r"^<#(C[A-Z0-9]+)(?:\|[^>]*)?>$")
PROGRAMME_SETTINGS = ("name", "coordinators", "channel", "rhythm", "at-risk", "dormant", "digest")
DIGEST_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ProgrammeRequest:
    action: str  # list, new, show or set
    handle: str = ""
    setting: str = ""  # for set: one of PROGRAMME_SETTINGS
    name: str = ""
    people: tuple[str, ...] = ()
    channel: str | None = None
    cadence: Cadence | None = None
    weekday: int | None = None
    numbers: tuple[int, ...] = ()
    at: dt.time | None = None
    zone: str = ""
    ends_on: dt.date | None = None


def parse_programme(text: str) -> ProgrammeRequest:
    """`[list]`, `new HANDLE Display name`, `show HANDLE`, `edit HANDLE`, `end HANDLE
    YYYY-MM-DD`, or `set HANDLE` with `name Display name`, `coordinators @a @b`, `channel
    #channel`, `rhythm weekly tue`, `at-risk N`, `dormant N DAYS` or `digest DAY HH:MM
    ZONE`."""
    tokens = typed(text, multiline=True).split()
    action = tokens.pop(0).lower() if tokens else "list"
    if action == "list":
        if tokens:
            raise UserError("programme_extra_words", extra=plain(" ".join(tokens)))
        return ProgrammeRequest("list")
    if action not in ("new", "show", "set", "edit", "end"):
        raise UserError("programme_unknown_action", action=plain(action))
    if not tokens:
        raise UserError("programme_handle_missing")
    handle, rest = plain(tokens[0]), tokens[1:]
    if action == "new":
        return ProgrammeRequest("new", handle, name=plain(" ".join(rest)))
    if action == "end":
        if len(rest) != 1 or not ISO_DATE.match(rest[0]):
            raise UserError("programme_end_malformed")
        try:
            ends_on = dt.date.fromisoformat(rest[0])
        except ValueError:
            raise UserError("programme_end_malformed") from None
        return ProgrammeRequest("end", handle, ends_on=ends_on)
    if action in ("show", "edit"):
        if rest:
            raise UserError("programme_extra_words", extra=plain(" ".join(rest)))
        return ProgrammeRequest(action, handle)
    setting = rest.pop(0).lower() if rest else ""
    if setting not in PROGRAMME_SETTINGS:
        raise UserError("programme_setting_unknown", setting=plain(setting))
    return _programme_setting(handle, setting, rest)


def _programme_setting(handle: str, setting: str, words: list[str]) -> ProgrammeRequest:
    if setting == "name":
        return ProgrammeRequest("set", handle, setting, name=plain(" ".join(words)))
    if setting == "coordinators":
        people = tuple(expect_mention(word, "coordinator") for word in words)
        return ProgrammeRequest("set", handle, setting, people=people)
    if setting == "channel":
        match = CHANNEL.match(words[0]) if len(words) == 1 else None
        if match is None and words != ["none"]:
            raise UserError("programme_channel_malformed")
        return ProgrammeRequest("set", handle, setting, channel=match.group(1) if match else None)
    if setting == "rhythm":
        cadence = Cadence._value2member_map_.get(words[0].lower()) if words else None
        weekday = WEEKDAY_WORDS.get(words[1].lower()) if len(words) == 2 else None
        if cadence is None or weekday is None:
            raise UserError("programme_rhythm_malformed")
        return ProgrammeRequest("set", handle, setting, cadence=cadence, weekday=weekday)
    if setting == "digest":
        return _digest_setting(handle, words)
    wanted = 1 if setting == "at-risk" else 2
    if len(words) != wanted or not all(w.isascii() and w.isdigit() and len(w) < 4 for w in words):
        raise UserError("programme_threshold_malformed", setting=setting)
    return ProgrammeRequest("set", handle, setting, numbers=tuple(int(w) for w in words))


def _digest_setting(handle: str, words: list[str]) -> ProgrammeRequest:
    """`digest mon 09:00 Europe/London`: the day, the time and the IANA zone."""
    day = words[0].lower()[:3] if words else ""
    if len(words) != 3 or day not in DIGEST_DAYS or not CLOCK.fullmatch(words[1]):
        raise UserError("programme_digest_malformed")
    if not known_zone(words[2]):
        raise UserError("programme_zone_unknown", zone=plain(words[2]))
    return ProgrammeRequest(
        "set",
        handle,
        "digest",
        numbers=(DIGEST_DAYS.index(day),),
        at=clock_time(words[1]),
        zone=words[2],
    )
