"""What a pair agrees: its rhythm, a usual time and length, how it meets and how fast it
answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.models.enums import Cadence, MeetingWay, ReplySpeed

# How long a pair may say it usually meets, in minutes: the form's choices, and what
# `/mentor-rhythm` accepts typed.
MEETING_LENGTHS = (30, 45, 60, 90, 120)
# How long a meeting is taken to last when the pair has not said (a calendar event).
DEFAULT_MEETING_MINUTES = 60


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
        """How long they meet, in minutes: what they said, or the usual hour."""
        return self.meets_for or DEFAULT_MEETING_MINUTES

    def rhythm(
        self,
        cadence: Cadence,
        weekday: int,
        meets_at: dt.time | None = None,
        meets_for: int | None = None,
    ) -> Terms:
        """A new rhythm, as `/mentor-rhythm` gives it: a usual time or length given
        replaces the agreed one; left out (None), the agreed one stands, as does the rest."""
        return replace(
            self,
            cadence=cadence,
            weekday=weekday,
            meets_at=meets_at or self.meets_at,
            meets_for=meets_for or self.meets_for,
        )
