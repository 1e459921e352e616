"""Working hours in a person's own zone: clamping, opening times, daylight saving, overlap."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.calendar import WorkingHours, local_date, shared_window, zone

PROPERTY = settings(max_examples=100, deadline=None)

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/Los_Angeles",
    "America/St_Johns",  # -03:30 / -02:30
    "Asia/Kolkata",  # +05:30, no daylight saving
    "Asia/Kathmandu",  # +05:45
    "Pacific/Auckland",  # southern hemisphere daylight saving
    "Australia/Lord_Howe",  # a half-hour daylight-saving shift
]
BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
FOUR_YEARS = 4 * 366 * 24 * 60

zones = st.sampled_from(ZONES)
instants = st.integers(0, FOUR_YEARS).map(lambda minutes: BASE + dt.timedelta(minutes=minutes))
days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))
clocks = st.times()


@st.composite
def working_hours(draw) -> WorkingHours:
    """Hours well clear of the small hours, where zones change their clocks."""
    start = draw(st.integers(6 * 4, 12 * 4))  # quarter hours
    end = draw(st.integers(start + 1, 22 * 4))
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return WorkingHours(
        dt.time(start // 4, start % 4 * 15), dt.time(end // 4, end % 4 * 15), weekdays
    )


any_hours = st.one_of(st.just(WorkingHours()), working_hours())


def local(tz: str, instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(ZoneInfo(tz))


# --- at: clamped into the day's hours, always UTC --------------------------------------


@PROPERTY
@given(hours=any_hours, tz=zones, day=days, clock=clocks)
def test_at_is_utc_on_the_day_and_clamped_into_hours(hours, tz, day, clock):
    instant = hours.at(tz, day, clock)

    assert instant.utcoffset() == dt.timedelta(0)
    assert instant.tzinfo is dt.UTC
    there = local(tz, instant)
    assert there.date() == day
    assert there.time() == min(max(clock, hours.start), hours.end)
    assert hours.start <= there.time() <= hours.end


@PROPERTY
@given(hours=any_hours, tz=zones, day=days, clock=clocks)
def test_a_clock_inside_hours_on_a_working_day_is_contained(hours, tz, day, clock):
    instant = hours.at(tz, day, clock)
    # An early clock is clamped to the start (inside); a late one to the end (outside).
    inside = hours.is_working_day(day) and clock < hours.end
    assert hours.contains(tz, instant) == inside


def test_at_clamps_early_and_late_clocks():
    hours = WorkingHours()
    day = dt.date(2026, 3, 3)
    assert hours.at("Europe/Berlin", day, dt.time(6, 0)) == dt.datetime(
        2026, 3, 3, 8, 0, tzinfo=dt.UTC
    )
    assert hours.at("Europe/Berlin", day, dt.time(23, 0)) == dt.datetime(
        2026, 3, 3, 16, 0, tzinfo=dt.UTC
    )
    assert hours.at("Europe/Berlin", day, dt.time(11, 15)) == dt.datetime(
        2026, 3, 3, 10, 15, tzinfo=dt.UTC
    )


# --- contains and next_open agree ------------------------------------------------------

STEP = dt.timedelta(minutes=15)


@PROPERTY
@given(hours=any_hours, tz=zones, instant=instants)
@example(
    hours=WorkingHours(), tz="Europe/Berlin", instant=dt.datetime(2026, 10, 24, 12, tzinfo=dt.UTC)
)
@example(
    hours=WorkingHours(),
    tz="America/Los_Angeles",
    instant=dt.datetime(2026, 11, 1, 1, tzinfo=dt.UTC),
)
@example(
    hours=WorkingHours(), tz="Europe/Berlin", instant=dt.datetime(2026, 3, 3, 16, tzinfo=dt.UTC)
)
def test_next_open_is_the_first_working_instant_from_now(hours, tz, instant):
    opens = hours.next_open(tz, instant)

    assert opens.utcoffset() == dt.timedelta(0)
    assert opens >= instant
    assert hours.contains(tz, opens)
    assert (opens == instant) == hours.contains(tz, instant)
    if opens > instant:
        # It opens at the start of a working day, and not a minute earlier.
        assert local(tz, opens).time() == hours.start
        assert not hours.contains(tz, opens - dt.timedelta(minutes=1))
    # Nothing in between is a working instant (looked at every quarter hour).
    probe = instant
    while probe < opens:
        assert not hours.contains(tz, probe), probe
        probe += STEP


@PROPERTY
@given(hours=any_hours, tz=zones, instant=instants)
def test_next_open_of_an_open_instant_is_itself_and_stable(hours, tz, instant):
    opens = hours.next_open(tz, instant)
    assert hours.next_open(tz, opens) == opens


def test_next_open_over_a_weekend_is_monday_morning():
    hours = WorkingHours()
    friday_evening = dt.datetime(2026, 10, 23, 17, 0, tzinfo=dt.UTC)  # 19:00 in Berlin
    # The clocks go back on Sunday the 25th, so Monday 09:00 is 08:00Z.
    assert hours.next_open("Europe/Berlin", friday_evening) == dt.datetime(
        2026, 10, 26, 8, 0, tzinfo=dt.UTC
    )


# --- daylight saving ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        ("Europe/Berlin", dt.date(2026, 10, 23), dt.datetime(2026, 10, 23, 7, 0, tzinfo=dt.UTC)),
        ("Europe/Berlin", dt.date(2026, 10, 26), dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)),
        (
            "America/Los_Angeles",
            dt.date(2026, 10, 30),
            dt.datetime(2026, 10, 30, 16, 0, tzinfo=dt.UTC),
        ),
        (
            "America/Los_Angeles",
            dt.date(2026, 11, 2),
            dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC),
        ),
        # The week between the two changes: Berlin is back on winter time, LA is not.
        (
            "America/Los_Angeles",
            dt.date(2026, 10, 27),
            dt.datetime(2026, 10, 27, 16, 0, tzinfo=dt.UTC),
        ),
        ("Europe/Berlin", dt.date(2026, 3, 27), dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC)),
        ("Europe/Berlin", dt.date(2026, 3, 30), dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)),
        ("Pacific/Auckland", dt.date(2026, 4, 6), dt.datetime(2026, 4, 5, 21, 0, tzinfo=dt.UTC)),
        ("Asia/Kolkata", dt.date(2026, 10, 26), dt.datetime(2026, 10, 26, 3, 30, tzinfo=dt.UTC)),
    ],
)
def test_nine_oclock_local_follows_daylight_saving(tz, day, expected):
    hours = WorkingHours()
    assert hours.at(tz, day, dt.time(9, 0)) == expected
    assert hours.day_start(tz, day) == expected
    assert hours.day_end(tz, day) == expected + dt.timedelta(hours=8)
    assert hours.contains(tz, expected)
    assert not hours.contains(tz, expected - dt.timedelta(seconds=1))
    assert not hours.contains(tz, expected + dt.timedelta(hours=8))


def test_an_unknown_zone_is_utc():
    hours = WorkingHours()
    day = dt.date(2026, 10, 26)
    for name in ("Mars/Olympus_Mons", "", "../../etc/passwd", "Europe/Berlin "):
        assert zone(name) == ZoneInfo("UTC")
        assert hours.at(name, day, dt.time(9, 0)) == dt.datetime(2026, 10, 26, 9, tzinfo=dt.UTC)
        assert local_date(name, dt.datetime(2026, 10, 26, 23, 30, tzinfo=dt.UTC)) == day
    assert zone("Europe/Berlin") == ZoneInfo("Europe/Berlin")


# --- shared windows ----------------------------------------------------------------------

weekdays_2026_2027 = st.dates(
    min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)
).filter(lambda day: day.weekday() < 5)


def offset_hours(tz: str, day: dt.date) -> float:
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(tz))
    return noon.utcoffset() / dt.timedelta(hours=1)


@PROPERTY
@given(day=weekdays_2026_2027)
@example(day=dt.date(2026, 10, 27))  # Berlin on winter time, LA still on summer time
def test_berlin_and_los_angeles_share_no_nine_to_five(day):
    assert shared_window(WorkingHours(), day, "Europe/Berlin", "America/Los_Angeles") is None
    assert shared_window(WorkingHours(), day, "America/Los_Angeles", "Europe/Berlin") is None


@PROPERTY
@given(day=weekdays_2026_2027)
@example(day=dt.date(2026, 10, 27))
@example(day=dt.date(2026, 3, 20))  # LA on summer time, Berlin not yet
def test_berlin_and_los_angeles_share_an_eight_to_eight(day):
    hours = WorkingHours(dt.time(8), dt.time(20))
    window = shared_window(hours, day, "Europe/Berlin", "America/Los_Angeles")
    assert window is not None
    start, end = window
    assert start.tzinfo is dt.UTC
    assert end.tzinfo is dt.UTC
    apart = offset_hours("Europe/Berlin", day) - offset_hours("America/Los_Angeles", day)
    assert (end - start) == dt.timedelta(hours=12 - apart)
    for tz in ("Europe/Berlin", "America/Los_Angeles"):
        assert hours.contains(tz, start)
        assert hours.contains(tz, end - dt.timedelta(minutes=1))
    assert shared_window(hours, day, "America/Los_Angeles", "Europe/Berlin") == window


@PROPERTY
@given(day=weekdays_2026_2027)
@example(day=dt.date(2026, 10, 26))
def test_london_and_berlin_share_seven_hours(day):
    hours = WorkingHours()
    window = shared_window(hours, day, "Europe/London", "Europe/Berlin")
    assert window is not None
    start, end = window
    assert start == hours.day_start("Europe/London", day)
    assert end == hours.day_end("Europe/Berlin", day)
    assert end - start == dt.timedelta(hours=7)
