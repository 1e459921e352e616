"""Periods: one cadence interval of a pair, named by the date it starts on. Pure."""

from __future__ import annotations

import datetime as dt

from bot.models.enums import Cadence


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
