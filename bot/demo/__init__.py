"""`mentorbot demo`: a scripted programme run against a local stand-in of Slack.

Four pairs in eight time zones over twelve weeks: the coordinator registers them, the
mentees add goals, one pair agrees a rhythm of its own in week 1 and another changes
its rhythm mid-way, the bot nudges, reminds and checks in, pairs answer (or don't), a
pulse check-in comes back "could be better", a quiet pair goes at risk, then dormant,
and the coordinator closes it. Everything goes through the real app over HTTP (signed
requests, Bolt, listeners, services, a SQLite database in a temporary folder, the
outbox) and the real scheduler passes; what each person and the coordinator channel
saw is printed in order, stamped with each recipient's own local time.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.demo.cast import CHANNEL_NAME, CORA, PAIRS, PEOPLE, PROGRAMME, START
from bot.demo.people import People
from bot.demo.script import Script
from bot.demo.stage import stage
from bot.demo.transcript import Names, Transcript


@dataclass(frozen=True)
class Shown:
    lines: int
    seconds: float


def run(out: TextIO, *, weeks: int = 12, start: dt.datetime = START) -> Shown:
    """Play `weeks` of the programme from `start`, printing to `out`."""
    began = time.perf_counter()
    transcript = Transcript(out, start, CORA.tz)
    _introduce(transcript, weeks, start)
    names = Names(PEOPLE)
    with stage(start) as playing:
        people = People(playing, names, transcript)
        Script(people).run(start, _monday_after(start, weeks))
    transcript.finish()
    seconds = time.perf_counter() - began
    transcript.write("")
    transcript.write(f"That was {weeks} weeks of {PROGRAMME}, played in {seconds:.1f} s.")
    return Shown(lines=transcript.lines, seconds=seconds)


def _monday_after(start: dt.datetime, weeks: int) -> dt.datetime:
    """Midnight starting the Monday `weeks` weeks after `start`, in the coordinator's zone."""
    zone = ZoneInfo(CORA.tz)
    monday = start.astimezone(zone).date() + dt.timedelta(weeks=weeks)
    return dt.datetime.combine(monday, dt.time(0, 0), zone).astimezone(dt.UTC)


def _introduce(transcript: Transcript, weeks: int, start: dt.datetime) -> None:
    write = transcript.write
    first = f"{start:%A} {start.day} {start:%B %Y}"
    write(f"mentorbot demo: {weeks} weeks of “{PROGRAMME}” from {first}.")
    write("No Slack workspace, no token: the bot talks to a stand-in of the Slack Web API on")
    write("localhost and keeps its data in a temporary SQLite file. ▸ is what people do, → what")
    write("they see (“→ Ana & Ben” is their group DM with the bot), each time in the reader's own")
    write("time zone.")
    write("")
    write(f"  {CORA.name:<5} coordinator, reads {CHANNEL_NAME} ({CORA.city})")
    for plan in PAIRS:
        write(
            f"  {plan.mentor.name} ({plan.mentor.city}) mentors {plan.mentee.name}"
            f" ({plan.mentee.city}), {plan.rhythm}: {plan.story}"
        )
