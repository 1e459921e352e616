"""Add-to-calendar links: a confirmed or picked day, and an agreement that names a time,
carry *Google Calendar* and *Outlook* buttons whose links open the event pre-filled. The
links are read back by parsing their query strings, as those services do."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted
from tests.rhythm.test_agreement import form_values, proposal_key, start_pair
from tests.rhythm.test_calendar_feed import next_nudge, paired  # noqa: F401


def links(message: dict) -> dict[str, dict[str, str]]:
    """action id -> the link's query, of the calendar buttons on `message`."""
    found = {}
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") in {ids.CALENDAR_GOOGLE, ids.CALENDAR_OUTLOOK}:
                url = urlsplit(element["url"])
                query = {k: v[0] for k, v in parse_qs(url.query, strict_parsing=True).items()}
                found[element["action_id"]] = {"site": f"{url.netloc}{url.path}", **query}
    return found


def test_a_confirmed_day_and_a_picked_day_come_with_all_day_links(bot, walk, paired):  # noqa: F811
    key = next_nudge(bot, walk, set())
    day = dt.date.fromisoformat(key.split(":")[2]) + dt.timedelta(days=1)  # its Tuesday
    assert links(paired.message(key)) == {}  # none before the day is settled
    bot_user = "UMENTEE01"
    paired.click(bot_user, key, ids.NUDGE_CONFIRM)
    found = links(paired.message(key))
    google, outlook = found[ids.CALENDAR_GOOGLE], found[ids.CALENDAR_OUTLOOK]
    assert google["site"] == "calendar.google.com/calendar/render"
    assert google["action"] == "TEMPLATE"
    assert google["text"] == "Mentoring: ana & ben"
    assert google["dates"] == f"{day:%Y%m%d}/{day + dt.timedelta(days=1):%Y%m%d}"
    assert google["details"].startswith("Weekly on Tuesdays.")
    assert outlook["site"] == "outlook.office.com/calendar/0/deeplink/compose"
    assert (outlook["rru"], outlook["allday"]) == ("addevent", "true")
    assert outlook["subject"] == "Mentoring: ana & ben"
    assert (outlook["startdt"], outlook["enddt"]) == (
        day.isoformat(),
        (day + dt.timedelta(days=1)).isoformat(),
    )

    thursday = day + dt.timedelta(days=2)
    paired.click(bot_user, key, ids.PICK_DAY, selected_date=thursday.isoformat())
    message = paired.message(key)
    assert [b.get("block_id") for b in message["blocks"]].count("answer_links") == 1
    assert links(message)[ids.CALENDAR_GOOGLE]["dates"].startswith(f"{thursday:%Y%m%d}/")

    paired.click(bot_user, key, ids.NUDGE_SKIP)
    assert links(paired.message(key)) == {}  # a skipped day has nothing to add


def test_an_agreed_time_gives_timed_links_in_utc(bot, walk, sessions):
    people = start_pair(bot, walk)  # Ben (mentee) in Berlin, Ana in London
    people.click("UMENTEE01", "welcome:1", ids.RHYTHM_OPEN)
    values = form_values(cadence="weekly", weekday="3", time="15:00", way="video")
    people.submit("UMENTEE01", people.opened_view(), values)
    people.click("UMENTOR01", proposal_key(bot), ids.RHYTHM_AGREE)
    [agreed] = [key for key, _, _ in posted(bot) if key.startswith("rhythm_agreed:")]
    found = links(People(bot, people.conversation).message(agreed))
    google, outlook = found[ids.CALENDAR_GOOGLE], found[ids.CALENDAR_OUTLOOK]

    start, end = (
        dt.datetime.strptime(t, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        for t in google["dates"].split("/")
    )
    berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
    assert berlin.weekday() == 3 and (berlin.hour, berlin.minute) == (15, 0)
    assert end - start == dt.timedelta(hours=1)
    assert google["dates"] == "20261015T130000Z/20261015T140000Z"  # summer time: UTC+2
    assert "by video call" in google["details"]
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2026-10-15T13:00:00Z",
        "2026-10-15T14:00:00Z",
    )
    assert "allday" not in outlook


def test_a_time_a_coordinator_sets_comes_with_links_too(bot, walk):
    people = start_pair(bot, walk)
    reply = bot.command(
        "/mentor-rhythm",
        f"{mention('UMENTOR01')} {mention('UMENTEE01')} weekly thu 16:00",
        user=COORDINATOR,
    )
    assert reply.status == 200
    [key] = [key for key, _, _ in posted(bot) if key.startswith("rhythm_set:")]
    google = links(people.message(key))[ids.CALENDAR_GOOGLE]
    start = dt.datetime.strptime(google["dates"][:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
    assert berlin.weekday() == 3 and (berlin.hour, berlin.minute) == (16, 0)


def test_how_long_they_meet_is_said_in_nudges_reminders_and_the_calendar(bot, walk):
    people = start_pair(bot, walk)  # Ben (mentee) in Berlin, Ana in London
    people.click("UMENTEE01", "welcome:1", ids.RHYTHM_OPEN)
    values = form_values(cadence="weekly", weekday="3", time="15:00", length="45", way="video")
    people.submit("UMENTEE01", people.opened_view(), values)
    people.click("UMENTOR01", proposal_key(bot), ids.RHYTHM_AGREE)
    [agreed] = [key for key, _, _ in posted(bot) if key.startswith("rhythm_agreed:")]
    google = links(people.message(agreed))[ids.CALENDAR_GOOGLE]
    assert google["dates"] == "20261015T130000Z/20261015T134500Z"

    for hour in range(0, 24 * 9, 3):  # to Thursday 15 October, and a little past
        walk.tick(dt.datetime(2026, 10, 7, 9, tzinfo=dt.UTC) + dt.timedelta(hours=hour))
    nudge = next(
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "touch base" in blocks_text(m["blocks"])
    )
    assert "|15:00> for 45 minutes, by video call?" in nudge
    reminder = next(
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in("UMENTOR01")
        if "planned to touch base" in blocks_text(m["blocks"])
    )
    assert ", at 14:00 your time for 45 minutes, by video call." in reminder
