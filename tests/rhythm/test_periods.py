"""Periods: each cadence tiles the calendar, from the pair's anchor, without gaps or overlaps."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.calendar import (
    next_period_start,
    period_index,
    period_start,
    previous_period_start,
    usual_meeting_day,
)
from bot.models.enums import Cadence

PROPERTY = settings(max_examples=150, deadline=None)

cadences = st.sampled_from(Cadence)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
weekdays = st.integers(0, 6)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@PROPERTY
@given(cadence=cadences, anchor=dates, day=dates)
@example(cadence=Cadence.MONTHLY, anchor=dt.date(2026, 1, 31), day=dt.date(2026, 12, 31))
@example(cadence=Cadence.BIWEEKLY, anchor=dt.date(2026, 10, 4), day=dt.date(2026, 10, 4))
@example(cadence=Cadence.BIWEEKLY, anchor=dt.date(2026, 10, 4), day=dt.date(2026, 9, 27))
def test_the_period_of_a_day_contains_it(cadence, anchor, day):
    start = period_start(cadence, anchor, day)
    assert start <= day < next_period_start(cadence, start)


@PROPERTY
@given(cadence=cadences, anchor=dates, day=dates)
def test_period_start_is_idempotent(cadence, anchor, day):
    start = period_start(cadence, anchor, day)
    assert period_start(cadence, anchor, start) == start
    following = next_period_start(cadence, start)
    assert period_start(cadence, anchor, following) == following
    # The last day of the period still belongs to it.
    assert period_start(cadence, anchor, following - dt.timedelta(days=1)) == start


@PROPERTY
@given(cadence=cadences, anchor=dates, day=dates)
def test_previous_and_next_are_inverses(cadence, anchor, day):
    start = period_start(cadence, anchor, day)
    following = next_period_start(cadence, start)
    previous = previous_period_start(cadence, anchor, start)
    assert previous < start < following
    assert previous_period_start(cadence, anchor, following) == start
    assert next_period_start(cadence, previous) == start


@PROPERTY
@given(cadence=cadences, anchor=dates, day=dates, weekday=weekdays)
@example(cadence=Cadence.MONTHLY, anchor=dt.date(2026, 1, 1), day=dt.date(2026, 2, 1), weekday=6)
@example(cadence=Cadence.MONTHLY, anchor=dt.date(2026, 1, 1), day=dt.date(2026, 3, 31), weekday=6)
def test_the_usual_meeting_day_is_the_weekday_in_the_first_week(cadence, anchor, day, weekday):
    start = period_start(cadence, anchor, day)
    meeting = usual_meeting_day(cadence, start, weekday)
    assert start <= meeting < next_period_start(cadence, start)
    assert meeting.weekday() == weekday
    assert (meeting - start).days < 7  # the first such day of the period


@PROPERTY
@given(anchor=dates, day=dates)
@example(anchor=dt.date(2026, 10, 4), day=dt.date(2026, 10, 5))  # anchor on a Sunday
def test_biweekly_periods_are_fortnights_from_the_anchors_monday(anchor, day):
    start = period_start(Cadence.BIWEEKLY, anchor, day)
    assert start.weekday() == 0
    assert (start - monday_of(anchor)).days % 14 == 0
    assert next_period_start(Cadence.BIWEEKLY, start) - start == dt.timedelta(days=14)
    assert period_start(Cadence.BIWEEKLY, anchor, anchor) == monday_of(anchor)


@PROPERTY
@given(anchor=dates, day=dates)
def test_weekly_periods_are_monday_to_sunday(anchor, day):
    start = period_start(Cadence.WEEKLY, anchor, day)
    assert start == monday_of(day)
    assert next_period_start(Cadence.WEEKLY, start) - start == dt.timedelta(days=7)


@PROPERTY
@given(anchor=dates, day=dates)
@example(anchor=dt.date(2026, 1, 31), day=dt.date(2026, 12, 31))
@example(anchor=dt.date(2026, 1, 31), day=dt.date(2028, 2, 29))
def test_monthly_periods_are_calendar_months(anchor, day):
    start = period_start(Cadence.MONTHLY, anchor, day)
    assert start == dt.date(day.year, day.month, 1)
    following = next_period_start(Cadence.MONTHLY, start)
    assert following.day == 1
    assert (following.year, following.month) == (
        (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    )


@PROPERTY
@given(cadence=cadences, anchor=dates, day=dates)
@example(cadence=Cadence.MONTHLY, anchor=dt.date(2026, 11, 30), day=dt.date(2027, 1, 5))
def test_period_index_counts_periods_from_the_anchors(cadence, anchor, day):
    first = period_start(cadence, anchor, anchor)
    assert period_index(cadence, anchor, first) == 0
    start = period_start(cadence, anchor, day)
    following = next_period_start(cadence, start)
    assert period_index(cadence, anchor, following) == period_index(cadence, anchor, start) + 1
    assert (period_index(cadence, anchor, start) >= 0) == (start >= first)


@settings(max_examples=30, deadline=None)
@given(cadence=cadences, anchor=dates)
def test_a_walk_of_periods_from_the_anchor_counts_one_by_one(cadence, anchor):
    start = period_start(cadence, anchor, anchor)
    for index in range(60):
        assert period_index(cadence, anchor, start) == index
        assert period_start(cadence, anchor, start) == start
        start = next_period_start(cadence, start)
