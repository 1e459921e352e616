"""The calendar: a person's today, working hours in their own zone, and a pair's periods.

Pure functions over aware datetimes. Every instant is UTC on the way in and out; the
person's zone (IANA name) decides what "Tuesday morning" means, daylight-saving changes
included. A period is one cadence interval of a pair, named by the date it starts on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models.enums import Cadence


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def known_zone(name: str | None) -> bool:
    """Whether `name` is an IANA zone this machine knows (and fits the column)."""
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class WorkingHours:
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday is 0

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.days

    def working_day_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def at(self, tz: str, day: dt.date, clock: dt.time) -> dt.datetime:
        """The UTC instant of `clock` on `day` in zone `tz`, clamped into working hours."""
        clock = min(max(clock, self.start), self.end)
        return dt.datetime.combine(day, clock, tzinfo=zone(tz)).astimezone(dt.UTC)

    def day_start(self, tz: str, day: dt.date) -> dt.datetime:
        return self.at(tz, day, self.start)

    def day_end(self, tz: str, day: dt.date) -> dt.datetime:
        return self.at(tz, day, self.end)

    def contains(self, tz: str, instant: dt.datetime) -> bool:
        local = instant.astimezone(zone(tz))
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_open(self, tz: str, instant: dt.datetime) -> dt.datetime:
        """`instant` if it is inside working hours, else the next start of working hours."""
        if self.contains(tz, instant):
            return instant
        local_day = instant.astimezone(zone(tz)).date()
        for offset in range(8):
            day = local_day + dt.timedelta(days=offset)
            if self.is_working_day(day) and self.day_start(tz, day) >= instant:
                return self.day_start(tz, day)
        raise ValueError("working hours have no working day")


def local_date(tz: str, instant: dt.datetime) -> dt.date:
    return instant.astimezone(zone(tz)).date()


def local_midnight(tz: str, day: dt.date) -> dt.datetime:
    """The UTC instant `day` begins in zone `tz`."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone(tz)).astimezone(dt.UTC)


def local_time_label(tz: str, instant: dt.datetime) -> str:
    return instant.astimezone(zone(tz)).strftime("%H:%M")


def shared_window(
    hours: WorkingHours, day: dt.date, tz_a: str, tz_b: str
) -> tuple[dt.datetime, dt.datetime] | None:
    """The UTC interval on `day` when both zones are in working hours, if any."""
    start = max(hours.day_start(tz_a, day), hours.day_start(tz_b, day))
    end = min(hours.day_end(tz_a, day), hours.day_end(tz_b, day))
    return (start, end) if start < end else None


def window_label(tz: str, start: dt.datetime, end: dt.datetime) -> str:
    return f"{local_time_label(tz, start)}–{local_time_label(tz, end)}"


@dataclass(frozen=True)
class DigestSchedule:
    """The weekly digest: on `weekday` (Monday is 0) at `at` in `zone`, the coordinators'.

    A digest reports the seven local days before the day it is posted; `/mentor-digest`
    shows the week the next digest will report, so far.
    """

    weekday: int = 0
    at: dt.time = dt.time(9, 0)
    zone: str = "UTC"

    def _digest_day_on_or_before(self, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=(day.weekday() - self.weekday) % 7)

    def latest(self, now: dt.datetime) -> dt.datetime:
        """The last instant a digest was due, at or before `now`."""
        day = self._digest_day_on_or_before(local_date(self.zone, now))
        for back in (0, 7):
            local = dt.datetime.combine(day - dt.timedelta(days=back), self.at, zone(self.zone))
            instant = local.astimezone(dt.UTC)
            if instant <= now:
                return instant
        raise AssertionError("unreachable: a week earlier is always in the past")

    def week_reported(self, due: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The week a digest due at `due` reports: [its day - 7, its day).

        Both ends are local midnights, aware in the schedule's zone, so `.date()` is the
        local day (the digest counts meetings by date)."""
        day = local_date(self.zone, due)
        return self._midnight(day - dt.timedelta(days=7)), self._midnight(day)

    def today(self, now: dt.datetime) -> dt.date:
        """The coordinators' date at `now`, which dates "last met N days ago"."""
        return local_date(self.zone, now)

    def current_week(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The week the next digest will report, which `now` falls in (same ends as above)."""
        start = self._digest_day_on_or_before(local_date(self.zone, now))
        return self._midnight(start), self._midnight(start + dt.timedelta(days=7))

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), zone(self.zone))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def period_start(cadence: Cadence, anchor: dt.date, day: dt.date) -> dt.date:
    """The first day of the period containing `day`, for a pair that started on `anchor`.

    Weekly periods are Monday-to-Sunday weeks; biweekly ones are two such weeks counted
    from the anchor's week; monthly ones are calendar months.
    """
    if cadence is Cadence.MONTHLY:
        return day.replace(day=1)
    monday = _monday(day)
    if cadence is Cadence.WEEKLY:
        return monday
    origin = _monday(anchor)
    return origin + dt.timedelta(days=14 * ((monday - origin).days // 14))


def next_period_start(cadence: Cadence, start: dt.date) -> dt.date:
    if cadence is Cadence.MONTHLY:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=7 if cadence is Cadence.WEEKLY else 14)


def previous_period_start(cadence: Cadence, anchor: dt.date, start: dt.date) -> dt.date:
    return period_start(cadence, anchor, start - dt.timedelta(days=1))


def usual_meeting_day(cadence: Cadence, start: dt.date, weekday: int) -> dt.date:
    """The pair's weekday in the period's first week (monthly: its first such day)."""
    if cadence is Cadence.MONTHLY:
        return start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    return start + dt.timedelta(days=weekday)


def period_index(cadence: Cadence, anchor: dt.date, start: dt.date) -> int:
    """How many periods after the pair's first one `start` is (0 for the first)."""
    if cadence is Cadence.MONTHLY:
        return (start.year - anchor.year) * 12 + start.month - anchor.month
    first = period_start(cadence, anchor, anchor)
    return (start - first).days // (7 if cadence is Cadence.WEEKLY else 14)
