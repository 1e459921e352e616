"""How a pair's terms read: "*monthly on Thursdays at 15:00* for 45 minutes, by video call,
answering each other within two days between meetings". A usual time is kept in the
mentee's zone and shown to each reader in their own: in a shared conversation as Slack's
date token (each member's Slack shows it in their zone), in a DM or App Home converted
for its reader."""

from __future__ import annotations

import datetime as dt

from bot.calendar import zone
from bot.messages import render
from bot.terms import Terms


def _words() -> dict[str, str]:
    return render.parts(
        "terms", cadence="", weekday=0, time=None, minutes=None, way=None, speed=None
    )


def way(terms: Terms) -> str | None:
    """How they meet, in words ("by video call", or their own); None if not said."""
    if terms.meets_by_words:
        return terms.meets_by_words
    return _words()[terms.meets_by.value] if terms.meets_by else None


def length(terms: Terms) -> str | None:
    """How long they meet, in words ("for 45 minutes"); None if not said."""
    if not terms.meets_for:
        return None
    return render.parts(
        "terms", cadence="", weekday=0, time=None, minutes=terms.meets_for, way=None, speed=None
    )["length"]


def speed(terms: Terms) -> str | None:
    return _words()[terms.answers_within.value] if terms.answers_within else None


def meeting_instant(mentee_tz: str, day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=zone(mentee_tz)).astimezone(dt.UTC)


def time_for_everyone(mentee_tz: str, day: dt.date, at: dt.time | None) -> render.Mrkdwn | None:
    """The usual time on `day`, for a shared conversation: each reader sees their own."""
    if at is None:
        return None
    stamp = int(meeting_instant(mentee_tz, day, at).timestamp())
    return render.Mrkdwn(f"<!date^{stamp}^{{time}}|{at:%H:%M}>")


def time_for(reader_tz: str, mentee_tz: str, day: dt.date, at: dt.time | None) -> str | None:
    """The usual time on `day`, in the reader's zone: "16:00 your time", or "02:00 your
    time, on Friday" when it falls on another day there."""
    if at is None:
        return None
    theirs = meeting_instant(mentee_tz, day, at).astimezone(zone(reader_tz))
    return render.text(
        "terms_time", clock=f"{theirs:%H:%M}", other_day=theirs.date() != day, day=theirs.date()
    )


def summary(terms: Terms, *, time: str | None) -> render.Mrkdwn:
    """Everything agreed, in one phrase, with the time as given (a token or a label)."""
    text = render.parts(
        "terms",
        cadence=terms.cadence.value,
        weekday=terms.weekday,
        time=time,
        minutes=terms.meets_for,
        way=way(terms),
        speed=speed(terms),
    )["summary"]
    return render.Mrkdwn(text)
