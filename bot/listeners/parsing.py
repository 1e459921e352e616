"""Turning slash-command text into plain values. Pure functions; errors are UserErrors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.errors import UserError
from bot.models import Cadence
from bot.models.enums import WEEKDAY_WORDS
from bot.programme_defaults import PAIR_FILTER_WORDS, is_handle
from bot.terms import MEETING_LENGTHS
from bot.text import typed

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
LOOSE_MENTION = re.compile(r"^@\S+$")
TARGET = re.compile(r"^(?P<text>.*?)\s+by\s+(?P<date>\S+)\s*$", re.IGNORECASE | re.DOTALL)
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits only, as everywhere here
# A goal's number as typed: ASCII digits, short enough for any database's integer.
GOAL_NUMBER = re.compile(r"#?([0-9]{1,9})")  # fullmatch

ASCII_DIGITS = frozenset("0123456789")

EMBEDDED_MENTION = re.compile(r"<@[UW][A-Z0-9]+\|([^>]*)>|<@([UW][A-Z0-9]+)>")


def plain(text: str) -> str:
    """Text as the person typed it: Slack sends `&`, `<`, `>` escaped, and mentions as
    `<@U123|name>`; we keep `@name` and undo the escaping (messages escape again)."""
    text = EMBEDDED_MENTION.sub(lambda m: "@" + (m.group(1) or m.group(2)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mention_id(token: str) -> str | None:
    """The user ID in an escaped mention `<@U123|name>`, or None if `token` is not one."""
    match = MENTION.match(token)
    return match.group(1) if match else None


def expect_mention(token: str | None, which: str) -> str:
    if token is None:
        raise UserError("mention_missing", which=which)
    user_id = mention_id(token)
    if user_id is None:
        raise UserError("mention_malformed", which=which, token=plain(token))
    return user_id


@dataclass(frozen=True)
class PairRequest:
    mentor: str
    mentee: str
    cadence: Cadence | None
    weekday: int | None
    handle: str | None = None  # the programme, when named


def parse_pair(text: str) -> PairRequest:
    """`@mentor @mentee [weekly|biweekly|monthly] [mon|tue|wed|thu|fri] [HANDLE]`."""
    text = typed(text, multiline=True)
    tokens = text.split()
    mentor = expect_mention(tokens[0] if tokens else None, "mentor")
    mentee = expect_mention(tokens[1] if len(tokens) > 1 else None, "mentee")
    cadence: Cadence | None = None
    weekday: int | None = None
    handle: str | None = None
    for token in tokens[2:]:
        word = token.lower()
        if word in Cadence._value2member_map_ and cadence is None:
            cadence = Cadence(word)
        elif word in WEEKDAY_WORDS and weekday is None:
            weekday = WEEKDAY_WORDS[word]
        elif is_handle(word) and handle is None:
            handle = word
        else:
            raise UserError("pair_option_unknown", token=plain(token))
    if mentor == mentee:
        raise UserError("same_person")
    return PairRequest(mentor, mentee, cadence, weekday, handle)


@dataclass(frozen=True)
class PairsRequest:
    handle: str | None
    which: str


def parse_pairs(text: str) -> PairsRequest:
    """`/mentor-pairs [HANDLE] [all|at-risk|dormant|paused]`, either order."""
    handle, which = None, None
    for word in typed(text).lower().split():
        if word in PAIR_FILTER_WORDS and which is None:
            which = word
        elif is_handle(word) and handle is None:
            handle = word
        else:
            raise UserError("pairs_unknown_filter", word=plain(word))
    return PairsRequest(handle, which or "all")


def parse_digest(text: str) -> str | None:
    """`/mentor-digest [HANDLE]`: the programme, if named."""
    words = typed(text).lower().split()
    if len(words) > 1 or (words and not is_handle(words[0])):
        raise UserError("programme_handle_bad", handle=plain(" ".join(words)))
    return words[0] if words else None


@dataclass(frozen=True)
class RhythmRequest:
    people: tuple[str, ...]  # none; the partner; or a coordinator's mentor and mentee
    cadence: Cadence | None  # None: nothing but a partner was typed, so the form opens
    weekday: int | None
    meets_at: dt.time | None = None
    meets_for: int | None = None  # minutes


def parse_rhythm(text: str) -> RhythmRequest:
    """`[@partner] weekly|biweekly|monthly [mon|tue|wed|thu|fri] [HH:MM] [45m|1h|…]`, or
    `[@partner]` alone for the form; a coordinator names both: `@mentor @mentee monthly
    thu`."""
    tokens = typed(text, multiline=True).split()
    people: list[str] = []
    while tokens and _meant_as_mention(tokens[0]) and len(people) < 2:
        people.append(expect_mention(tokens.pop(0), "partner" if not people else "mentee"))
    cadence: Cadence | None = None
    weekday: int | None = None
    meets_at: dt.time | None = None
    meets_for: int | None = None
    for token in tokens:
        word = token.lower()
        if word in Cadence._value2member_map_ and cadence is None:
            cadence = Cadence(word)
        elif word in WEEKDAY_WORDS and weekday is None:
            weekday = WEEKDAY_WORDS[word]
        elif CLOCK.fullmatch(word) and meets_at is None:
            meets_at = clock_time(word)
        elif LENGTH.fullmatch(word) and meets_for is None:
            meets_for = meeting_minutes(word)
        else:
            raise UserError("rhythm_option_unknown", token=plain(token))
    if cadence is None and (tokens or len(people) == 2):
        raise UserError("rhythm_cadence_missing")
    if len(people) == 2 and people[0] == people[1]:
        raise UserError("same_person")
    return RhythmRequest(tuple(people), cadence, weekday, meets_at, meets_for)


CLOCK = re.compile(r"\d{1,2}[:.h]\d{2}")


def clock_time(word: str) -> dt.time:
    """`15:00` (or `9.30`, `15h00`) as a time of day; anything past 23:59 is refused."""
    hours, minutes = int(word[:-3]), int(word[-2:])
    if hours > 23 or minutes > 59:
        raise UserError("rhythm_time_unknown", token=word)
    return dt.time(hours, minutes)


# How long they meet, as typed: `45m`, `45min`, `1h`, `1.5h`, `1½h`, `2hrs`. (Never `1h30`,
# which CLOCK reads as a time of day.)
LENGTH = re.compile(r"(?P<minutes>[0-9]{2,3})m(?:ins?)?|(?P<hours>[0-9](?:[.,]5|½)?)(?:h|hrs?)")


def meeting_minutes(word: str) -> int:
    """A length LENGTH matched, in minutes; refused unless the form offers it too."""
    match = LENGTH.fullmatch(word)
    assert match is not None  # the caller matched it
    if match["minutes"]:
        minutes = int(match["minutes"])
    else:
        hours = match["hours"]
        minutes = int(hours[0]) * 60 + (30 if len(hours) > 1 else 0)
    if minutes not in MEETING_LENGTHS:
        raise UserError("rhythm_length_unknown", token=word)
    return minutes


@dataclass(frozen=True)
class GoalsRequest:
    action: str
    partner: str | None = None
    number: int | None = None
    text: str = ""
    target_date: dt.date | None = None


GOAL_ACTIONS = ("list", "add", "done", "edit", "drop")


def parse_goals(text: str) -> GoalsRequest:
    """`[@partner] [list | add TEXT [by DATE] | done N | edit N TEXT [by DATE] | drop N]`."""
    text = typed(text, multiline=True)
    rest = text.strip()
    partner = None
    first, _, remainder = rest.partition(" ")
    if first.startswith("<@") or LOOSE_MENTION.match(first):
        partner = expect_mention(first, "partner")
        rest = remainder.strip()
    action, _, rest = rest.partition(" ")
    action = plain(action).lower() or "list"
    rest = rest.strip()
    if action not in GOAL_ACTIONS:
        raise UserError("goals_unknown_action", action=action)
    if action == "list":
        return GoalsRequest(action="list", partner=partner)
    if action == "add":
        body, target = _split_target(rest)
        if not body:
            raise UserError("goal_text_missing")
        return GoalsRequest(action="add", partner=partner, text=plain(body), target_date=target)
    number_word, _, rest = rest.partition(" ")
    number = _goal_number(number_word, action)
    if action == "edit":
        body, target = _split_target(rest.strip())
        if not body:
            raise UserError("goal_text_missing")
        return GoalsRequest(
            action="edit", partner=partner, number=number, text=plain(body), target_date=target
        )
    if rest.strip():
        raise UserError("goals_extra_words", action=action, extra=plain(rest.strip()))
    return GoalsRequest(action=action, partner=partner, number=number)


def _goal_number(word: str, action: str) -> int:
    match = GOAL_NUMBER.fullmatch(word)
    if match is None or int(match.group(1)) == 0:
        raise UserError("goal_number_missing", action=action, token=plain(word.removeprefix("#")))
    return int(match.group(1))


def _split_target(text: str) -> tuple[str, dt.date | None]:
    """Split a trailing `by YYYY-MM-DD`; `by Friday` and the like stay part of the text."""
    match = TARGET.match(text)
    if not match:
        return text, None
    word = match.group("date")
    if ISO_DATE.match(word):
        try:
            return match.group("text").strip(), dt.date.fromisoformat(word)
        except ValueError:
            raise UserError("not_a_date", token=word) from None
    if word[:1] in ASCII_DIGITS:
        raise UserError("not_a_date", token=plain(word))
    return text, None


def _partner_and_rest(text: str) -> tuple[str | None, list[str]]:
    tokens = text.split()
    if tokens and (tokens[0].startswith("<@") or LOOSE_MENTION.match(tokens[0])):
        return expect_mention(tokens[0], "partner"), tokens[1:]
    return None, tokens


@dataclass(frozen=True)
class LogRequest:
    partner: str | None
    days_ago: int | None = None
    day: dt.date | None = None

    def resolve(self, today: dt.date) -> dt.date:
        return self.day or today - dt.timedelta(days=self.days_ago or 0)


def parse_log(text: str) -> LogRequest:
    """`[@partner] [today | yesterday | YYYY-MM-DD]`."""
    text = typed(text, multiline=True)
    partner, rest = _partner_and_rest(text)
    if len(rest) > 1:
        raise UserError("log_date_malformed", token=plain(" ".join(rest)))
    word = rest[0].lower() if rest else "today"
    if word in {"today", "yesterday"}:
        return LogRequest(partner, days_ago=0 if word == "today" else 1)
    day = _iso_date(word)
    if day is None:
        raise UserError("log_date_malformed", token=plain(word))
    return LogRequest(partner, day=day)


@dataclass(frozen=True)
class PauseRequest:
    partner: str | None
    until: dt.date | None = None
    days: int | None = None

    def resolve(self, today: dt.date) -> dt.date | None:
        return self.until or (today + dt.timedelta(days=self.days) if self.days else None)


PAUSE_LENGTH = re.compile(r"^([0-9]{1,3})([dw])$")


def parse_pause(text: str) -> PauseRequest:
    """`[@partner] [until YYYY-MM-DD | 2w | 10d]`; nothing means until /mentor-resume."""
    text = typed(text, multiline=True)
    partner, rest = _partner_and_rest(text)
    words = [w.lower() for w in rest]
    if not words:
        return PauseRequest(partner)
    until = _iso_date(words[1]) if words[0] == "until" and len(words) == 2 else None
    if until is not None:
        return PauseRequest(partner, until=until)
    length = PAUSE_LENGTH.match(words[0]) if len(words) == 1 else None
    if length and int(length.group(1)) > 0:
        count = int(length.group(1))
        return PauseRequest(partner, days=count * (7 if length.group(2) == "w" else 1))
    raise UserError("pause_malformed", token=plain(" ".join(rest)))


def parse_calendar(text: str) -> bool:
    """`/mentor-calendar [reset]`: whether a new link is wanted."""
    words = typed(text).lower().split()
    if words and words != ["reset"]:
        raise UserError("calendar_extra_words", extra=plain(" ".join(words)))
    return bool(words)


def parse_resume(text: str) -> str | None:
    """`[@partner]`."""
    text = typed(text, multiline=True)
    partner, rest = _partner_and_rest(text)
    if rest:
        raise UserError("resume_extra_words", extra=plain(" ".join(rest)))
    return partner


def _iso_date(word: str) -> dt.date | None:
    """The date in `YYYY-MM-DD`; None if it is not written so; not_a_date if no such day."""
    if not ISO_DATE.match(word):
        return None
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UserError("not_a_date", token=word) from None


@dataclass(frozen=True)
class CloseRequest:
    """`/mentor-close`: nobody named (your own pair), your `partner`, or, for coordinators,
    both members of someone else's pair."""

    partner: str | None = None
    mentor: str | None = None
    mentee: str | None = None


def parse_close(text: str) -> CloseRequest:
    """`[@partner]` for a member; `@mentor @mentee` for a coordinator."""
    text = typed(text, multiline=True)
    tokens = text.split()
    named: list[str] = []
    while tokens and len(named) < 2 and _meant_as_mention(tokens[0]):
        named.append(tokens.pop(0))
    if len(named) == 1:
        partner = expect_mention(named[0], "partner")
        request = CloseRequest(partner=partner)
    elif named:
        mentor, mentee = expect_mention(named[0], "mentor"), expect_mention(named[1], "mentee")
        if mentor == mentee:
            raise UserError("same_person")
        request = CloseRequest(mentor=mentor, mentee=mentee)
    else:
        request = CloseRequest()
    if tokens:
        raise UserError("close_extra_words", extra=plain(" ".join(tokens)))
    return request


def _meant_as_mention(token: str) -> bool:
    return token.startswith("<@") or bool(LOOSE_MENTION.match(token))
