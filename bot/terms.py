"""What a pair agrees: its rhythm, a usual time, how it meets and how fast it answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.models.enums import Cadence, MeetingWay, ReplySpeed

DEFAULT_MEETING_MINUTES = 60  # an event's length when the pair has not said


@dataclass(frozen=True)
class Terms:
    cadence: Cadence
    weekday: int  # 0 Monday .. 4 Friday
    meets_at: dt.time | None = None  # in the mentee's zone; None: any time that day
    meets_by: MeetingWay | None = None
    meets_by_words: str | None = None  # a few words of their own, instead of `meets_by`
    answers_within: ReplySpeed | None = None
    meets_for: int | None = None  # minutes; None: not said

    @property
    def length(self) -> int:
        """How long they meet, in minutes: what they agreed, else an hour."""
        return self.meets_for or DEFAULT_MEETING_MINUTES

    def rhythm(self, cadence: Cadence, weekday: int, meets_at: dt.time | None) -> Terms:
        return replace(self, cadence=cadence, weekday=weekday, meets_at=meets_at)
