"""`mentorbot demo` from a fresh shell: no settings, no token, no workspace; the story a
newcomer reads, in order and dated; and nothing private in what the coordinator sees."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bot.demo.cast import (
    CHANNEL_NAME,
    CORA,
    MONTHLY,
    MONTHLY_FORM,
    PAIRS,
    PRIVATE_WORDS,
    QUIET,
    START,
    STEADY,
)
from bot.demo.slack_requests import mention
from bot.demo.stage import stage
from bot.demo.transcript import Names
from bot.models import Pair

HEADER = re.compile(r"^(?P<day>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2}) \d\d:\d\d ")
NUDGED_FOR = re.compile(r"[Tt]ouch base (?:with @\w+ )?on (\w+day \d+ \w+ \d{4})")
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Entry:
    day: dt.date
    header: str
    text: str


def mentorbot(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("mentorbot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},  # this checkout's code, installed or not
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def fresh_shell() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}


def entries(output: str) -> list[Entry]:
    """The transcript's entries: a dated header line and the indented lines under it."""
    found: list[Entry] = []
    for line in output.splitlines():
        match = HEADER.match(line)
        if match:
            stamp = f"{match['day']} {START.year} +0000"
            day = dt.datetime.strptime(stamp, "%a %d %b %Y %z").date()
            found.append(Entry(day, line, line))
        elif line.startswith("    ") and found:
            found[-1].text += "\n" + line.strip()
    return found


def flat(text: str) -> str:
    """Text as read, whatever the line wrapping."""
    return " ".join(text.split())


def first(found: list[Entry], where: str, *words: str, after: int = -1) -> int:
    for index, entry in enumerate(found):
        if index <= after:
            continue
        if where in entry.header.split(": ")[0] and all(w in flat(entry.text) for w in words):
            return index
    raise AssertionError(f"nobody saw {words} in {where!r}")


def nudged_for(found: list[Entry], where: str, after: int) -> list[dt.date]:
    """The meeting days the nudges in `where` after entry `after` asked about."""
    days = []
    for entry in found[after + 1 :]:
        match = NUDGED_FOR.search(flat(entry.text))
        if where in entry.header.split(": ")[0] and match:
            days.append(dt.datetime.strptime(f"{match[1]} +0000", "%A %d %B %Y %z").date())
    return days


def test_demo_plays_the_programme_with_no_configuration(tmp_path: Path) -> None:
    run = mentorbot("demo", cwd=tmp_path, env=fresh_shell())

    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    assert list(tmp_path.iterdir()) == []  # no database or file left where it ran
    found = entries(run.stdout)
    steady = f"→ {STEADY.mentor.name} & {STEADY.mentee.name}"
    quiet = f"→ {QUIET.mentor.name} & {QUIET.mentee.name}"
    monthly = f"→ {MONTHLY.mentor.name} & {MONTHLY.mentee.name}"
    channel = f"→ {CHANNEL_NAME}"
    moments = {
        "welcome": first(found, steady, "Hello @Ana and @Ben", "agree your rhythm"),
        "nudge": first(found, steady, "touch base with @Ana on", "[Tuesday works]"),
        "form": first(found, "▸ Hana picks Once a month / Wednesday / 10:00 / Video call"),
        "suggested": first(
            found, monthly, "@Hana suggests: monthly on Wednesdays at 10:00 Tokyo / 12:00 Sydney"
        ),
        "agreed": first(found, monthly, "Agreed: from Sunday 1 February 2026", "on Wednesdays"),
        "reaction": first(found, "▸ Ben reacts ✅"),
        "meeting": first(found, steady, "Meeting on", "recorded by @Ben"),
        "digest": first(found, channel, "Weekly mentoring digest", "Counts and states only"),
        "at risk": first(found, quiet, "it's been a little while since you last met"),
        "pulse": first(found, channel, "answered the 30-day check-in", "could be better"),
        "dormant": first(found, channel, "has gone quiet", "[Close pair]"),
        "close": first(found, "▸ Cora clicks [Close pair]"),
        "kind words": first(found, f"→ {QUIET.mentee.name}", "is now closed", "nothing against"),
        "change": first(found, "▸ Ben types /mentor-rhythm biweekly tue 16:00"),
        "change suggested": first(found, steady, "@Ben suggests: biweekly on Tuesdays"),
        "change agreed": first(found, steady, "Agreed: from Monday 2 March 2026", "biweekly"),
    }
    order = list(moments.values())
    assert order == sorted(order), moments
    days = {name: found[index].day for name, index in moments.items()}
    assert list(days.values()) == sorted(days.values()), days
    assert days["welcome"] == START.date()
    # One pair agrees its own rhythm in week 1; the hope stays in the pair's conversation.
    assert (days["agreed"] - START.date()).days < 7
    assert MONTHLY_FORM["hope"] in flat(found[moments["suggested"]].text)
    assert "▸ Gus clicks [Agree]" in found[moments["agreed"] - 2].header
    # Every nudge after it asks about a Wednesday, the first at the time and way agreed.
    wednesdays = nudged_for(found, monthly, after=moments["agreed"])
    assert len(wednesdays) == 2 and {day.weekday() for day in wednesdays} == {2}, wednesdays
    nudge = first(found, monthly, "touch base with @Gus on", after=moments["agreed"])
    assert "at 10:00 Tokyo / 12:00 Sydney, by video call?" in flat(found[nudge].text)
    # Another changes its rhythm mid-way, and is nudged every other week from then on.
    assert 4 * 7 <= (days["change agreed"] - START.date()).days < 7 * 7
    assert "▸ Ana clicks [Agree]" in found[moments["change agreed"] - 2].header
    nudged = nudged_for(found, steady, after=-1)
    weekly = [day for day in nudged if day < dt.date(2026, 3, 2)]
    every_other = [day for day in nudged if day >= dt.date(2026, 3, 2)]
    assert {b - a for a, b in itertools.pairwise(weekly)} == {dt.timedelta(weeks=1)}, weekly
    assert len(every_other) == 3
    assert {b - a for a, b in itertools.pairwise(every_other)} == {dt.timedelta(weeks=2)}
    assert (days["pulse"] - START.date()).days == 30
    assert (days["at risk"] - START.date()).days < 45 <= (days["dormant"] - START.date()).days
    digests = [e for e in found if channel in e.header and "Weekly mentoring digest" in e.text]
    assert len(digests) == 11  # every Monday after the first, for the week before
    assert 150 <= len(run.stdout.splitlines()) <= 420


def test_coordinators_never_see_reflections_notes_or_goals(tmp_path: Path) -> None:
    run = mentorbot("demo", "--weeks", "6", cwd=tmp_path, env=fresh_shell())

    assert run.returncode == 0, run.stderr
    private = [*PRIVATE_WORDS, *(goal for plan in PAIRS for goal in plan.goals)]
    # The words are in the story (their authors and pairs see them)...
    for words in private:
        assert words in flat(run.stdout), words
    # ...and in nothing the coordinator channel or the coordinator was shown.
    seen_by_coordinator = [
        flat(e.text)
        for e in entries(run.stdout)
        if any(f"→ {who}" in e.header for who in (CHANNEL_NAME, CORA.name))
    ]
    assert len(seen_by_coordinator) >= 5
    # The coordinator sees the rhythm a pair agreed, never what its members hope for.
    assert any("@Gus / @Hana · active · monthly on Wednesdays" in t for t in seen_by_coordinator)
    for text in seen_by_coordinator:
        for words in private:
            assert words not in text, (words, text)


def test_demo_ignores_settings_a_dotenv_and_proxies(tmp_path: Path) -> None:
    mine = tmp_path / "mine.db"
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=nonsense\nMENTORBOT_WORKING_HOURS=all day\n")
    env = {
        **fresh_shell(),
        "DATABASE_URL": f"sqlite:///{mine}",
        "SLACK_API_URL": "https://slack.invalid/api/",
        "MENTORBOT_COORDINATORS": "not-a-user",
        "HTTPS_PROXY": "http://127.0.0.1:9",  # slack_sdk would send localhost calls through it
    }

    run = mentorbot("demo", "--weeks", "1", cwd=tmp_path, env=env)

    assert run.returncode == 0, run.stderr
    assert "Hello @Ana and @Ben" in run.stdout
    assert not mine.exists()


def test_the_apps_listeners_read_the_demo_clock() -> None:
    then = dt.datetime(2031, 3, 4, 10, 0, tzinfo=dt.UTC)
    with stage(then) as playing:
        text = f"{mention(STEADY.mentor.user_id)} {mention(STEADY.mentee.user_id)} weekly tue"
        reply = playing.sender.command("/mentor-pair", text, user=CORA.user_id)
        assert "Paired" in reply.text
        with playing.sessions() as session:
            assert session.scalars(sa.select(Pair.created_at)).one() == then


def test_mrkdwn_reads_as_plain_text() -> None:
    names = Names([CORA, STEADY.mentee])

    plain = names.plain("*Hi* <@U0CORA> &amp; <@U0BEN|ben>, see <https://x.test|this> &lt;3 :wave:")

    assert plain == "Hi @Cora & @Ben, see this <3 👋"


def test_a_usual_time_reads_in_each_readers_zone() -> None:
    names = Names([STEADY.mentor, STEADY.mentee])
    token = "at <!date^1772553600^{time}|16:00>"  # Tuesday 3 March 2026, 16:00 in London

    assert names.plain(token, [STEADY.mentee, STEADY.mentor]) == "at 16:00 London / 11:00 New York"
    assert names.plain(token, [STEADY.mentee]) == "at 16:00"
    assert names.plain(token) == "at 16:00"  # no reader known: the mentee's time, as sent
