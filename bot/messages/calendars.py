"""Meeting days for people's calendars: a private iCalendar feed (RFC 5545, built with
the `icalendar` library), Google Calendar and Outlook "add to calendar" links, and the
messages that hand out a feed's link.

An event holds the partners' names, the rhythm and how they meet: never goals,
reflections or notes. A timed event is written in the mentee's zone (the agreed time's)
with its VTIMEZONE, so 15:00 in Berlin stays 15:00 across daylight-saving changes; the
links give UTC instants, as Google and Outlook expect.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import metadata
from urllib.parse import urlencode

import icalendar
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.calendar import zone
from bot.messages import ids, render
from bot.messages.blocks import Message, context, message, section
from bot.messages.terms import way
from bot.terms import Terms

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"
# SEQUENCE counts seconds since this instant to an event's latest change, so it only
# ever grows, whatever the change (a move, a skip taken back, a new time).
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
REFRESH = dt.timedelta(hours=1)  # how often we ask calendar clients to poll


class EventStatus(enum.StrEnum):
    TENTATIVE = "TENTATIVE"  # the pair's usual day, not yet confirmed
    CONFIRMED = "CONFIRMED"  # confirmed, or moved to a day they picked
    CANCELLED = "CANCELLED"  # skipped, not met, or the pair has closed


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting day of a pair, as a calendar shows it."""

    uid: str  # stable per pair and period: a move changes the event, never adds one
    day: dt.date
    terms: Terms  # the terms of its period: the time (in the mentee's zone), length, way
    zone: str  # the mentee's zone
    mentor: str | None  # names as Slack shows them; None when not known
    mentee: str | None
    status: EventStatus = EventStatus.CONFIRMED
    revised_at: dt.datetime = SEQUENCE_EPOCH  # the latest change to anything it shows
    conversation: str | None = None  # a link to the pair's conversation in Slack

    @property
    def starts(self) -> dt.datetime | None:
        """The agreed time that day, in the mentee's zone; None: an all-day event."""
        at = self.terms.meets_at
        return dt.datetime.combine(self.day, at, tzinfo=zone(self.zone)) if at else None

    @property
    def ends(self) -> dt.datetime | None:
        starts = self.starts  # adding to an aware time keeps its wall clock (and zone)
        return starts + dt.timedelta(minutes=self.terms.length) if starts else None

    @property
    def sequence(self) -> int:
        return max(0, int((self.revised_at - SEQUENCE_EPOCH).total_seconds()))

    @cached_property
    def words(self) -> dict[str, str]:
        """The event's title, description and buttons' labels, plain text (written once:
        an event's links and buttons all read them)."""
        at = self.terms.meets_at
        return render.parts(
            "calendar_event",
            plain=True,
            mentor=self.mentor,
            mentee=self.mentee,
            cadence=self.terms.cadence.value,
            weekday=self.terms.weekday,
            time=f"{at:%H:%M}" if at else None,
            zone=self.zone,
            way=way(self.terms),
            conversation=self.conversation,
        )


# --- the feed ----------------------------------------------------------------------------

# Part of every feed's ETag: a new release may write the same events differently.
FEED_FORMAT = "mentorbot-feed-1"


def feed_tag(events: list[CalendarEvent]) -> str:
    """A strong ETag for the feed of `events`, known before the feed is written: the feed
    is a function of its events (and of how this release writes them), so a client that
    has it gets a 304 without it being written again."""
    ordered = sorted(events, key=lambda e: (e.day, e.uid))
    written_by = f"{FEED_FORMAT} {_release()}"
    digest = hashlib.sha256(f"{written_by} {ordered!r}".encode()).hexdigest()
    return f'"{digest[:32]}"'


@cache
def _release() -> str:
    """What writes a feed: this release, icalendar's, and the zone data's (VTIMEZONE)."""
    versions = []
    for package in ("mentorbot", "icalendar", "tzdata"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} unknown")
    return ", ".join(versions)


def feed(events: list[CalendarEvent]) -> bytes:
    """A person's feed: every event, in a stable order (so an unchanged feed keeps its
    ETag), with the VTIMEZONE of each zone an event is written in."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mentorbot//meeting days//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Mentoring")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))  # unknown to icalendar
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        calendar.add_component(_vevent(event))
    if events:
        first = min(e.day for e in events) - dt.timedelta(days=366)
        last = max(e.day for e in events) + dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _vevent(event: CalendarEvent) -> icalendar.Event:
    words = event.words
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.revised_at.astimezone(dt.UTC))
    vevent.add("last-modified", event.revised_at.astimezone(dt.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("status", event.status.value)
    vevent.add("summary", words["title"])
    vevent.add("description", words["description"])
    vevent.add("class", "PRIVATE")
    if event.starts is not None:
        vevent.add("dtstart", event.starts)
        vevent.add("dtend", event.ends)
        vevent.add("transp", "OPAQUE")
    else:  # any time that day: an all-day event that does not make them look busy
        vevent.add("dtstart", event.day)
        vevent.add("dtend", event.day + dt.timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")
    if event.conversation:
        vevent.add("url", event.conversation)
    return vevent


# --- add-to-calendar links -----------------------------------------------------------------


def google_link(event: CalendarEvent) -> str:
    """Google Calendar's event template: `dates` as UTC instants, or two dates (the end
    exclusive) for an all-day event."""
    words = event.words
    if event.starts is not None and event.ends is not None:
        dates = f"{_utc(event.starts):%Y%m%dT%H%M%SZ}/{_utc(event.ends):%Y%m%dT%H%M%SZ}"
    else:
        dates = f"{event.day:%Y%m%d}/{event.day + dt.timedelta(days=1):%Y%m%d}"
    query = {
        "action": "TEMPLATE",
        "text": words["title"],
        "dates": dates,
        "details": words["description"],
    }
    return f"{GOOGLE}?{urlencode(query)}"


def outlook_link(event: CalendarEvent) -> str:
    """Outlook on the web's compose deeplink: ISO instants in UTC, or dates with `allday`."""
    words = event.words
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": words["title"]}
    if event.starts is not None and event.ends is not None:
        query["startdt"] = f"{_utc(event.starts):%Y-%m-%dT%H:%M:%SZ}"
        query["enddt"] = f"{_utc(event.ends):%Y-%m-%dT%H:%M:%SZ}"
    else:
        query["startdt"] = event.day.isoformat()
        query["enddt"] = (event.day + dt.timedelta(days=1)).isoformat()
        query["allday"] = "true"
    query["body"] = words["description"]
    return f"{OUTLOOK}?{urlencode(query)}"


def calendar_buttons(event: CalendarEvent, block_id: str) -> ActionsBlock:
    """*Google Calendar* and *Outlook*: links that open the event pre-filled."""
    words = event.words
    return ActionsBlock(
        block_id=block_id,
        elements=[
            ButtonElement(
                text=words["google"], action_id=ids.CALENDAR_GOOGLE, url=google_link(event)
            ),
            ButtonElement(
                text=words["outlook"], action_id=ids.CALENDAR_OUTLOOK, url=outlook_link(event)
            ),
        ],
    )


def _utc(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(dt.UTC)


# --- the feed's link ---------------------------------------------------------------------


def feed_link(url: str, *, reset: bool) -> Message:
    """`/mentor-calendar`: the person's private subscribe link, and how to add it."""
    parts = render.parts("calendar_feed", url=url, setting="")
    text = parts["reset"] if reset else parts["text"]
    return message(text, [section(text), context(parts["how"])])


def feed_unavailable(setting: str) -> Message:
    """`/mentor-calendar` where feeds are not set up: what the operator has to set."""
    text = render.parts("calendar_feed", url="", setting=setting)["unavailable"]
    return message(text, [section(text)])
