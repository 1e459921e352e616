"""Two programmes with their own coordinators, channels, rhythms, thresholds and digest
days: each programme's weekly digest reaches only its channel, at its own day, time and
zone, and counts only its pairs; each programme's pairs get its rhythm."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.models import Pair, Programme
from tests.channels import COORDINATOR_CHANNEL, is_digest
from tests.conftest import COORDINATOR
from tests.rhythm.people import key_of, posted

ENG_LEAD, ENG_CHANNEL = "UENGLEAD1", "C0ENG001"
MENTOR_A, MENTEE_A = "UMENTORA1", "UMENTEEA1"
MENTOR_B, MENTEE_B, MENTEE_C = "UMENTORB1", "UMENTEEB1", "UMENTEEC1"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def digests_in(bot, channel: str) -> list[tuple[dt.datetime, str]]:
    """(when, what) of each digest posted in `channel`."""
    when = {key: at for key, where, at in posted(bot) if where == channel}
    return [
        (when[key_of(args)], blocks_text(args["blocks"]))
        for args in bot.slack.messages_in(channel)
        if is_digest(args)
    ]


def test_each_programmes_digest_goes_to_its_channel_at_its_time_with_its_pairs(bot, walk, sessions):
    for user in (ENG_LEAD, MENTOR_A, MENTEE_A, MENTOR_B, MENTEE_B, MENTEE_C):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")  # Monday
    for setting in (
        "new eng-mentoring Engineering mentoring",
        f"set eng-mentoring coordinators {mention(ENG_LEAD)}",
        f"set eng-mentoring channel <#{ENG_CHANNEL}|eng>",
        "set eng-mentoring digest fri 16:00 America/New_York",
        "set eng-mentoring rhythm weekly thu",
        "set eng-mentoring dormant 4 60",
        "set eng-mentoring at-risk 3",
    ):
        assert "Usage" not in bot.command("/mentor-programme", setting, user=COORDINATOR).text
    bot.command("/mentor-pair", f"{mention(MENTOR_A)} {mention(MENTEE_A)}", user=COORDINATOR)
    for mentee in (MENTEE_B, MENTEE_C):
        bot.command("/mentor-pair", f"{mention(MENTOR_B)} {mention(mentee)}", user=ENG_LEAD)
    with sessions() as session:
        rows = session.execute(
            sa.select(Programme.handle, Pair.cadence, Pair.weekday).join(Programme)
        ).all()
    assert sorted((h, c.value, d) for h, c, d in rows) == [
        ("eng-mentoring", "weekly", 3),
        ("eng-mentoring", "weekly", 3),
        ("mentoring", "biweekly", 1),
    ]

    now = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)
    while now < dt.datetime(2026, 10, 20, tzinfo=dt.UTC):
        walk.tick(now)
        now += dt.timedelta(hours=1)

    default, eng = digests_in(bot, COORDINATOR_CHANNEL), digests_in(bot, ENG_CHANNEL)
    # The default programme's: Mondays 09:00 UTC (the settings); eng's: Fridays 16:00 in
    # New York (20:00 UTC in October).
    assert [at for at, _ in default] == [utc("2026-10-12T09:00"), utc("2026-10-19T09:00")]
    assert [at for at, _ in eng] == [utc("2026-10-09T20:00"), utc("2026-10-16T20:00")]
    assert all("1 active" in text for _, text in default)
    assert all("2 active" in text for _, text in eng)
    others = [c.args for c in bot.slack.calls_to("chat.postMessage") if is_digest(c.args)]
    assert {a["channel"] for a in others} == {COORDINATOR_CHANNEL, ENG_CHANNEL}

    # Each coordinator's own digest on demand: their programme's figures only.
    assert "2 active" in bot.command("/mentor-digest", user=ENG_LEAD).text
    assert "1 active" in bot.command("/mentor-digest", "mentoring", user=COORDINATOR).text


def test_someone_in_two_programmes_gets_one_reminder_per_pair_naming_its_programme(bot, walk):
    for user in (MENTOR_A, MENTEE_A, MENTEE_B):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")  # Monday
    bot.command("/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR)
    bot.command(
        "/mentor-pair", f"{mention(MENTOR_A)} {mention(MENTEE_A)} weekly wed", user=COORDINATOR
    )
    bot.command(
        "/mentor-pair",
        f"{mention(MENTOR_A)} {mention(MENTEE_B)} weekly wed eng-mentoring",
        user=COORDINATOR,
    )
    for hour in range(0, 30):
        walk.tick(utc("2026-10-07T00:00") + dt.timedelta(hours=hour))

    reminders = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(MENTOR_A)
        if "planned to touch base" in blocks_text(m["blocks"])
    ]
    assert sorted(text.split(" · ")[0] for text in reminders) == [
        ":sunny: _Engineering mentoring_",
        ":sunny: _Mentoring programme_",
    ]
    [theirs] = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(MENTEE_A)
        if "planned to touch base" in blocks_text(m["blocks"])
    ]
    assert theirs.startswith(":sunny: Today's the day")  # one programme: no name
