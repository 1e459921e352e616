"""A pair's periods across changes of rhythm (bot/periods.py): every day is in exactly
one period, each period holds its meeting day, the first rhythm's periods are the ones
the pair always had, and a change keeps every period before it as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar import next_period_start, period_start, usual_meeting_day
from bot.models.enums import Cadence
from bot.periods import Rhythm

cadences = st.sampled_from(list(Cadence))
weekdays = st.integers(min_value=0, max_value=4)
anchors = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))


@st.composite
def rhythms(draw) -> Rhythm:
    anchor = draw(anchors)
    rhythm = Rhythm.single(anchor, draw(cadences), draw(weekdays))
    period = rhythm.period_start(anchor)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            period = rhythm.next_period_start(period)
        rhythm = rhythm.changed(period, draw(cadences), draw(weekdays))
    return rhythm


@settings(max_examples=200, deadline=None)
@given(rhythms())
def test_every_day_is_in_one_period_holding_its_meeting_day(rhythm):
    anchor = rhythm.segments[0].starts_on
    start = rhythm.period_start(anchor)
    seen = []
    while start < anchor + dt.timedelta(days=500):
        following = rhythm.next_period_start(start)
        assert start < following <= start + dt.timedelta(days=62)
        assert rhythm.period_start(start) == start
        assert rhythm.period_start(following - dt.timedelta(days=1)) == start
        assert rhythm.previous_period_start(following) == start
        assert start <= rhythm.usual_meeting_day(start) < following
        assert rhythm.usual_meeting_day(start).weekday() == rhythm.at(start).weekday
        seen.append(start)
        start = following
    assert [rhythm.period_index(s) for s in seen[:20]] == list(range(len(seen[:20])))


@settings(max_examples=200, deadline=None)
@given(anchors, cadences, weekdays, st.integers(min_value=0, max_value=400))
def test_one_rhythm_has_the_periods_a_pair_always_had(anchor, cadence, weekday, offset):
    day = anchor + dt.timedelta(days=offset)
    rhythm = Rhythm.single(anchor, cadence, weekday)
    start = period_start(cadence, anchor, day)
    assert rhythm.period_start(day) == start
    assert rhythm.next_period_start(start) == next_period_start(cadence, start)
    assert rhythm.usual_meeting_day(start) == usual_meeting_day(cadence, start, weekday)


@settings(max_examples=200, deadline=None)
@given(rhythms(), cadences, weekdays, st.integers(min_value=1, max_value=6))
def test_a_change_keeps_every_period_before_it(rhythm, cadence, weekday, ahead):
    anchor = rhythm.segments[0].starts_on
    change = rhythm.period_start(anchor)
    for _ in range(ahead):
        change = rhythm.next_period_start(change)
    changed = rhythm.changed(change, cadence, weekday)
    start = rhythm.period_start(anchor)
    while start < change:
        assert changed.period_start(start) == start
        assert changed.next_period_start(start) == rhythm.next_period_start(start)
        assert changed.usual_meeting_day(start) == rhythm.usual_meeting_day(start)
        start = rhythm.next_period_start(start)
    assert start == change and changed.at(change).cadence is cadence


@pytest.mark.parametrize(
    ("change", "cadence", "weekday", "periods"),
    [
        # Weekly Tuesdays, monthly Thursdays from Monday 19 October: the first monthly
        # period runs from the change to the end of October (Thursday 22nd in it).
        (
            dt.date(2026, 10, 19),
            Cadence.MONTHLY,
            3,
            [("2026-10-19", "2026-10-22"), ("2026-11-01", "2026-11-05")],
        ),
        # Monthly, then weekly Tuesdays from Sunday 1 November: the first week runs on to
        # Monday the 9th, so it holds Tuesday the 3rd.
        (
            dt.date(2026, 11, 1),
            Cadence.WEEKLY,
            1,
            [("2026-11-01", "2026-11-03"), ("2026-11-09", "2026-11-10")],
        ),
    ],
)
def test_the_first_period_after_a_change(change, cadence, weekday, periods):
    first = Cadence.WEEKLY if cadence is Cadence.MONTHLY else Cadence.MONTHLY
    rhythm = Rhythm.single(dt.date(2026, 10, 5), first, 1).changed(change, cadence, weekday)
    start, seen = change, []
    for _ in periods:
        seen.append((start.isoformat(), rhythm.usual_meeting_day(start).isoformat()))
        start = rhythm.next_period_start(start)
    assert seen == periods
