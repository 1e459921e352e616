"""A pair's periods over time, when its rhythm changes.

A pair's rhythm is a list of segments: the first, from the day it started, and one for
each change, from the day the change took effect (always the end of one of the previous
segment's periods, so no period is cut short). Periods never change once lived: each keeps
the cadence and day it was planned with.

Within the first segment, periods are the calendar's (bot.calendar.period_start): weeks
from Monday, fortnights counted from the pair's first week, calendar months. A later
segment starts a period on the day it takes effect; its following periods are the
calendar's again for its cadence (fortnights counted from that day's week). If the first
of them would come before the pair's day in that first period (a change on the 1st of a
month to weekly Thursdays, say), the first period runs on to the next one instead, so
every period holds its meeting day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from bot.calendar import next_period_start, period_start
from bot.models.enums import Cadence


@dataclass(frozen=True)
class Segment:
    starts_on: dt.date  # the first segment: the day the pair started (its anchor)
    cadence: Cadence
    weekday: int  # 0 Monday .. 4 Friday


def first_weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class Rhythm:
    segments: tuple[Segment, ...]

    def __post_init__(self) -> None:
        starts = [s.starts_on for s in self.segments]
        if not starts or starts != sorted(set(starts)):
            raise ValueError("a rhythm needs segments in order, one per start")

    @classmethod
    def single(cls, anchor: dt.date, cadence: Cadence, weekday: int) -> Rhythm:
        return cls((Segment(anchor, cadence, weekday),))

    # --- which segment -----------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        return max(0, bisect_right([s.starts_on for s in self.segments], day) - 1)

    def at(self, day: dt.date) -> Segment:
        """The rhythm the period holding `day` was (or will be) planned with."""
        return self.segments[self._index(day)]

    @property
    def latest(self) -> Segment:
        return self.segments[-1]

    # --- periods -----------------------------------------------------------------------

    def period_start(self, day: dt.date) -> dt.date:
        """The first day of the period holding `day`."""
        index = self._index(day)
        segment = self.segments[index]
        if index == 0:
            return period_start(segment.cadence, segment.starts_on, day)
        begins = segment.starts_on
        grid = period_start(segment.cadence, begins, day)
        if grid <= begins or grid == self._first_boundary_skipped(segment):
            return begins
        return grid

    def next_period_start(self, start: dt.date) -> dt.date:
        """The first day of the period after the one starting on `start`."""
        index = self._index(start)
        segment = self.segments[index]
        if index == 0:
            following = next_period_start(segment.cadence, start)
        else:
            following = self._grid_after(segment, start)
            if following == self._first_boundary_skipped(segment):
                following = next_period_start(segment.cadence, following)
        if index + 1 < len(self.segments):
            return min(following, self.segments[index + 1].starts_on)
        return following

    def previous_period_start(self, start: dt.date) -> dt.date:
        return self.period_start(start - dt.timedelta(days=1))

    def usual_meeting_day(self, start: dt.date) -> dt.date:
        """The pair's weekday in the period starting on `start` (its first such day)."""
        return first_weekday_on_or_after(start, self.at(start).weekday)

    def period_index(self, start: dt.date) -> int:
        """How many periods after the pair's first one `start` is (0 for the first)."""
        period = self.period_start(self.segments[0].starts_on)
        index = 0
        while period < start:
            period = self.next_period_start(period)
            index += 1
        return index

    # --- changing it ---------------------------------------------------------------------

    def changed(self, starts_on: dt.date, cadence: Cadence, weekday: int) -> Rhythm:
        """This rhythm with a change from `starts_on` (a period start), which replaces
        any change planned from then on."""
        kept = tuple(s for s in self.segments if s.starts_on < starts_on)
        return Rhythm((*kept, Segment(starts_on, cadence, weekday)))

    # --- helpers -------------------------------------------------------------------------

    @staticmethod
    def _grid_after(segment: Segment, day: dt.date) -> dt.date:
        """The calendar's first period start for `segment` after `day`."""
        return next_period_start(
            segment.cadence, period_start(segment.cadence, segment.starts_on, day)
        )

    def _first_boundary_skipped(self, segment: Segment) -> dt.date | None:
        """The calendar boundary a later segment's first period runs past, because the
        pair's day in that first period would fall after it; None if there is none."""
        boundary = self._grid_after(segment, segment.starts_on)
        day = first_weekday_on_or_after(segment.starts_on, segment.weekday)
        return boundary if day >= boundary else None
