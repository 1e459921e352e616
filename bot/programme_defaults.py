"""What a programme handle looks like, and the default programme as the settings
describe it (bot.services.programmes creates it and keeps it in step)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.models.enums import WEEKDAY_WORDS, Cadence

HANDLE = re.compile(r"[a-z][a-z0-9-]{1,31}")
PAIR_FILTER_WORDS = ("all", "at-risk", "dormant", "paused")  # /mentor-pairs's filters
# Words a command would read another way where a handle may stand.
RESERVED = frozenset({*Cadence._value2member_map_, *WEEKDAY_WORDS, *PAIR_FILTER_WORDS})
DEFAULT_HANDLE = "mentoring"


def is_handle(text: str) -> bool:
    """Lowercase letters, digits and dashes, starting with a letter, 2 to 32 long; never
    a cadence, weekday or `/mentor-pairs` filter word."""
    return bool(HANDLE.fullmatch(text)) and text not in RESERVED and not text.endswith("-")


@dataclass(frozen=True)
class DefaultValues:
    """The default programme as the settings describe it; `given` names the values set
    in the environment, which win over a change made with `/mentor-programme` on every
    start (the others only fill a programme being created)."""

    handle: str = DEFAULT_HANDLE
    name: str = "Mentoring programme"
    coordinator_channel_id: str | None = None
    digest_weekday: int = 0
    digest_time: dt.time = dt.time(9, 0)
    digest_tz: str = "UTC"
    given: frozenset[str] = frozenset()
