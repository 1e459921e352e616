"""A person's private calendar feed, read over HTTP the way Google, Outlook and Apple
Calendar poll it, parsed with `icalendar`, and checked against the pair's schedule as
people change it in Slack: a confirm, a move, a skip, a pause, a rhythm change, a close,
for a person in two pairs, across the end of summer time."""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.demo.slack_requests import mention
from bot.messages import ids
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted
from tests.rhythm.test_agreement import form_values, proposal_key
from tests.rhythm.test_close import buttons, press, response_urls  # noqa: F401

MENTOR, MENTEE, MENTEE2 = "UMENTOR01", "UMENTEE01", "UMENTEE02"
PUBLIC = "https://mentorbot.example.com"
LINK = re.compile(re.escape(PUBLIC) + r"(/calendar/[A-Za-z0-9_-]{43}\.ics)")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"public_url": PUBLIC})


def subscribe(bot, user: str, text: str = "") -> str:
    """The path of `user`'s feed, from what `/mentor-calendar` shows them."""
    reply = bot.command("/mentor-calendar", text, user=user)
    assert reply.status == 200
    return LINK.search(reply.text).group(1)


def fetch(bot, path: str, method: str = "GET", **headers: str):
    connection = http.client.HTTPConnection(bot.sender.host, bot.sender.port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def events(bot, path: str) -> dict[str, icalendar.Event]:
    status, headers, body = fetch(bot, path)
    assert status == 200, body
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(body)
    # What clients read to know how often to poll (Google, Apple; Outlook).
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def day_of(event: icalendar.Event) -> dt.date:
    start = event.decoded("DTSTART")
    return start.date() if isinstance(start, dt.datetime) else start


def of_pair(found: dict[str, icalendar.Event], pair_id: int) -> dict[dt.date, icalendar.Event]:
    return {
        day_of(event): event for uid, event in found.items() if uid.startswith(f"pair-{pair_id}-")
    }


def tuesdays(first: str, last: str) -> list[dt.date]:
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    out = []
    while day <= end:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def next_nudge(bot, walk, after: set[str]) -> str:
    """Walk on, a pass every six hours, until a nudge not in `after` is posted."""
    for _ in range(40):
        new = [k for k, _, _ in posted(bot) if k.startswith("nudge:") and k not in after]
        if new:
            return new[0]
        walk.tick(dt.datetime.now(dt.UTC) + dt.timedelta(hours=6))
    raise AssertionError("no nudge came")


def uid(pair_id: int, period: str) -> str:
    return f"pair-{pair_id}-{period.replace('-', '')}@mentorbot.example.com"


@pytest.fixture
def paired(bot, walk):
    """Ana mentors Ben (Berlin) on Tuesdays, from Monday 5 October."""
    bot.slack.add_user(MENTOR, tz="Europe/London", name="ana")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin", name="ben")
    walk.to("2026-10-05T08:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick("2026-10-05T08:00:00Z")
    return People(bot, bot.slack.conversation_id(MENTOR, MENTEE))


def test_the_feed_follows_a_confirm_a_move_and_a_skip(bot, walk, paired):
    path = subscribe(bot, MENTEE)
    days = of_pair(events(bot, path), 1)
    # Every Tuesday from the pair's start to twelve weeks ahead, all-day (no time agreed).
    assert sorted(days) == tuesdays("2026-10-06", "2026-12-22")
    for event in days.values():
        assert str(event["SUMMARY"]) == "Mentoring: ana & ben"
        assert str(event["STATUS"]) == "TENTATIVE"
        assert not isinstance(event.decoded("DTSTART"), dt.datetime)
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        assert str(event["DESCRIPTION"]).startswith("Weekly on Tuesdays.")

    seen: set[str] = set()
    first = next_nudge(bot, walk, seen)
    seen.add(first)
    period = first.split(":")[2]
    paired.click(MENTEE, first, ids.NUDGE_CONFIRM)
    confirmed = events(bot, path)[uid(1, period)]
    assert str(confirmed["STATUS"]) == "CONFIRMED"

    moved_key = next_nudge(bot, walk, seen)
    seen.add(moved_key)
    moved_period = moved_key.split(":")[2]
    before = events(bot, path)[uid(1, moved_period)]
    thursday = dt.date.fromisoformat(moved_period) + dt.timedelta(days=3)
    walk.to(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    paired.click(MENTEE, moved_key, ids.PICK_DAY, selected_date=thursday.isoformat())
    after = events(bot, path)
    moved = after[uid(1, moved_period)]  # the same event, moved: not a second one
    assert day_of(moved) == thursday and str(moved["STATUS"]) == "CONFIRMED"
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert len(of_pair(after, 1)) == len([e for e in after if e.startswith("pair-1-")])

    skipped_key = next_nudge(bot, walk, seen)
    paired.click(MENTOR, skipped_key, ids.NUDGE_SKIP)
    skipped = events(bot, path)[uid(1, skipped_key.split(":")[2])]
    assert str(skipped["STATUS"]) == "CANCELLED"


def test_two_pairs_across_summer_time_a_pause_a_rhythm_change_and_a_close(
    bot,
    walk,
    sessions,
    response_urls,  # noqa: F811
):
    bot.slack.add_user(MENTOR, tz="Europe/London", name="ana")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin", name="ben")
    bot.slack.add_user(MENTEE2, tz="America/New_York", name="cleo")
    walk.to("2026-10-07T08:00:00Z")  # a Wednesday; summer time ends on 25 October
    for mentee in (MENTEE, MENTEE2):
        bot.command(
            "/mentor-pair", f"{mention(MENTOR)} {mention(mentee)} weekly tue", user=COORDINATOR
        )
    walk.tick("2026-10-07T08:00:00Z")
    ben = People(bot, bot.slack.conversation_id(MENTOR, MENTEE))

    # Ben proposes Thursdays at 15:00 (his time, Berlin), by video call; Ana agrees.
    ben.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    values = form_values(cadence="weekly", weekday="3", time="15:00", way="video")
    ben.submit(MENTEE, ben.opened_view(), values)
    ben.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)

    path = subscribe(bot, MENTOR)
    found = events(bot, path)
    with_ben, with_cleo = of_pair(found, 1), of_pair(found, 2)
    timed = {day: e for day, e in with_ben.items() if isinstance(e.decoded("DTSTART"), dt.datetime)}
    assert timed and all(day.weekday() == 3 for day in timed)
    for event in timed.values():  # 15:00 in Berlin, summer time or not
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Berlin"
        assert (start.hour, start.minute) == (15, 0) and end - start == dt.timedelta(hours=1)
        assert str(event["STATUS"]) == "TENTATIVE"
        assert "by video call" in str(event["DESCRIPTION"])
    utc = {day: e.decoded("DTSTART").astimezone(dt.UTC).hour for day, e in timed.items()}
    assert utc[dt.date(2026, 10, 22)] == 13 and utc[dt.date(2026, 10, 29)] == 14
    zones = [
        str(tz["TZID"])
        for tz in icalendar.Calendar.from_ical(fetch(bot, path)[2]).walk("VTIMEZONE")
    ]
    assert zones == ["Europe/Berlin"]
    assert sorted(with_cleo) == tuesdays("2026-10-13", "2026-12-29")
    assert all(str(e["SUMMARY"]) == "Mentoring: ana & cleo" for e in with_cleo.values())

    # Cleo pauses until 3 November: her days before it leave the calendar, the rest stay.
    assert "Paused" in bot.command("/mentor-pause", "until 2026-11-03", user=MENTEE2).text
    with_cleo = of_pair(events(bot, path), 2)
    assert sorted(with_cleo) == tuesdays("2026-11-03", "2026-12-29")

    # The coordinator moves Ben and Ana to fortnightly Fridays from their next free period.
    reply = bot.command(
        "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} biweekly fri", user=COORDINATOR
    )
    assert reply.status == 200
    with_ben = of_pair(events(bot, path), 1)
    fridays = sorted(day for day in with_ben if day.weekday() == 4)
    assert fridays and all(b - a == dt.timedelta(days=14) for a, b in itertools.pairwise(fridays))
    assert all(day < fridays[0] for day in with_ben if day.weekday() != 4)

    # On 10 November the coordinator closes Cleo's pair: her days from then are cancelled
    # (and her past ones, never answered, are not shown).
    walk.to("2026-11-10T15:00:00Z")
    question = bot.command(
        "/mentor-close", f"{mention(MENTOR)} {mention(MENTEE2)}", user=COORDINATOR
    )
    value = buttons(question.json)[ids.CLOSE_CONFIRM]["value"]
    press(bot, response_urls, user=COORDINATOR, action_id=ids.CLOSE_CONFIRM, value=value)
    with_cleo = of_pair(events(bot, path), 2)
    cancelled = sorted(day for day, e in with_cleo.items() if str(e["STATUS"]) == "CANCELLED")
    kept = sorted(day for day, e in with_cleo.items() if str(e["STATUS"]) != "CANCELLED")
    assert kept == []
    assert cancelled == tuesdays("2026-11-10", "2027-02-02")


def test_a_meeting_they_logged_stays_and_nothing_after_the_programme_ends(bot, walk, paired):
    path = subscribe(bot, MENTEE)
    walk.to("2026-10-06T16:00:00Z")
    assert bot.command("/mentor-log", "today", user=MENTEE).status == 200
    reply = bot.command("/mentor-programme", "end mentoring 2026-11-20", user=COORDINATOR)
    assert reply.status == 200 and ":warning:" not in reply.text
    walk.to("2026-10-09T09:00:00Z")
    days = of_pair(events(bot, path), 1)
    # Tuesday 6 October is past, and nobody answered its nudge: but they met, so it stays.
    assert str(days[dt.date(2026, 10, 6)]["STATUS"]) == "CONFIRMED"
    # The programme ends on Friday 20 November: no meeting days after it.
    assert sorted(days) == tuesdays("2026-10-06", "2026-11-17")


def test_a_day_is_the_mentees_date_wherever_the_reader_is(bot, walk):
    bot.slack.add_user(MENTOR, tz="Australia/Sydney", name="ana")
    bot.slack.add_user(MENTEE, tz="America/Los_Angeles", name="ben")
    walk.to("2026-10-05T20:00:00Z")  # Monday in Los Angeles
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    path = subscribe(bot, MENTOR)
    # Wednesday 7 October, 07:00 in Sydney: still Tuesday 6 October, 13:00, in Los Angeles.
    walk.to("2026-10-06T20:00:00Z")
    assert min(of_pair(events(bot, path), 1)) == dt.date(2026, 10, 6)
