"""A programme that ends: two weeks before, each pair gets a heads-up; on the day, the
wrap-up. One pair keeps meeting on its own (never nudged again), one closes with its
keepsake, one answers nothing and is closed kindly a week later. Nothing is planned for a
meeting day after the end, and nobody is flagged at risk while the programme winds up.
A week after the end the coordinators get the end report, its figures hand-counted, with
nothing anyone wrote in it."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Pair, PairStatus
from tests.conftest import COORDINATOR
from tests.rhythm.every_listener import action
from tests.rhythm.people import People, posted

MENTOR, EARLY_MENTOR, EARLY_MENTEE = "UMENTOR01", "UMENTOR09", "UMENTEE09"
PAUSED_MENTOR, PAUSED_MENTEE = "UMENTOR08", "UMENTEE08"
MENTEES = ("UMENTEE01", "UMENTEE02", "UMENTEE03")  # keeps on its own, closes, says nothing
ENG_CHANNEL = "C0ENG001"
GOAL_WORDS, NOTE_WORDS = "WALRUS goal text", "WALRUS pulse note"
ENDS_ON = dt.date(2026, 11, 6)  # a Friday


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_heads_up_wrap_up_and_each_way_of_ending(bot, walk, sessions):
    for user in (MENTOR, *MENTEES, EARLY_MENTOR, EARLY_MENTEE, PAUSED_MENTOR, PAUSED_MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-08-14T07:00:00Z")  # a Friday, twelve weeks before the end
    bot.command("/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR)
    bot.command(
        "/mentor-programme", f"set eng-mentoring channel <#{ENG_CHANNEL}|eng>", user=COORDINATOR
    )
    ended = bot.command(
        "/mentor-programme", f"end eng-mentoring {ENDS_ON.isoformat()}", user=COORDINATOR
    )
    assert "Ends on Friday 6 November 2026" in ended.text
    for mentee in MENTEES:
        bot.command(
            "/mentor-pair",
            f"{mention(MENTOR)} {mention(mentee)} weekly tue eng-mentoring",
            user=COORDINATOR,
        )
    with sessions() as session:
        pair_ids = session.scalars(sa.select(Pair.id).order_by(Pair.id)).all()
    keep, close, silent = pair_ids
    bot.command(
        "/mentor-pair",
        f"{mention(EARLY_MENTOR)} {mention(EARLY_MENTEE)} eng-mentoring",
        user=COORDINATOR,
    )
    bot.command(
        "/mentor-pair",
        f"{mention(PAUSED_MENTOR)} {mention(PAUSED_MENTEE)} eng-mentoring",
        user=COORDINATOR,
    )
    assert "Paused" in bot.command("/mentor-pause", user=PAUSED_MENTEE).text  # until resumed
    bot.command("/mentor-goals", f"add {GOAL_WORDS}", user=MENTEES[1])
    bot.command("/mentor-goals", "done 1", user=MENTEES[1])
    people = People(bot)
    answers = {
        utc("2026-11-06T12:00"): lambda: people.click(
            MENTEES[0], f"programme_wrap_up:{keep}:{ENDS_ON}", ids.PROGRAMME_KEEP
        ),
        utc("2026-11-06T13:00"): lambda: people.click(
            MENTOR, f"programme_wrap_up:{close}:{ENDS_ON}", ids.PROGRAMME_CLOSE
        ),
    }
    answers[utc("2026-08-20T12:00")] = lambda: bot.command(
        "/mentor-close", mention(EARLY_MENTOR), user=EARLY_MENTEE
    )
    answers[utc("2026-08-20T13:00")] = lambda: bot.interaction(
        action(EARLY_MENTEE, ids.CLOSE_CONFIRM, value=str(keep + 3))  # the fourth pair
    )
    answers[utc("2026-09-14T12:00")] = lambda: people.click(
        MENTEES[0], f"pulse:{keep}:30:{MENTEES[0]}", ids.PULSE_GOING_WELL
    )
    answers[utc("2026-11-10T12:00")] = lambda: people.click(
        MENTEES[1], f"closed:{close}:{MENTEES[1]}", ids.ANOTHER_PAIR
    )
    tuesdays = [dt.date(2026, 8, 18) + dt.timedelta(weeks=n) for n in range(12)]  # to 3 Nov
    for tuesday in map(dt.date.isoformat, tuesdays):
        for n, mentee in enumerate(MENTEES):  # they meet every week, and log it

            def log(mentee: str = mentee) -> None:
                bot.command("/mentor-log", "today", user=mentee)

            answers[utc(f"{tuesday}T15:00") + dt.timedelta(hours=n)] = log
    now, statuses = utc("2026-08-14T08:00"), set()
    while now < utc("2026-11-17T00:00"):
        walk.tick(now)
        if now in answers:
            walk.to(now)
            answers[now]()
        with sessions() as session:
            statuses |= set(session.scalars(sa.select(Pair.status)))
        now += dt.timedelta(hours=1)

    sent = posted(bot)
    for kind, day in (("programme_heads_up", "2026-10-23"), ("programme_wrap_up", "2026-11-06")):
        got = sorted((key, at) for key, _, at in sent if key.startswith(kind))
        paused = keep + 4  # a pause does not keep a programme's end from it
        assert [key for key, _ in got] == [f"{kind}:{p}:{ENDS_ON}" for p in (*pair_ids, paused)]
        assert {at.date().isoformat() for _, at in got} == {day}
        assert {at.hour for _, at in got} == ({8} if day == "2026-10-23" else {9})  # 10:00 Berlin
    meeting_days = {
        key.split(":")[3] for key, _, _ in sent if key.startswith(("reminder:", "checkin:"))
    }
    assert max(meeting_days) == "2026-11-03"  # nothing about the 10th: the programme is over
    assert statuses <= {PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.CLOSED}

    with sessions() as session:
        rows = {p.id: p for p in session.scalars(sa.select(Pair))}
        assert rows[keep].status is PairStatus.ACTIVE and rows[keep].on_own_since == ENDS_ON
        assert rows[close].closed_at is not None
        assert rows[close].closed_at.date() == ENDS_ON
        # a week on, untouched: at the first pass of 13 November in Berlin
        assert rows[silent].closed_at == utc("2026-11-12T23:00")
    kind_words = sorted(
        key for key, _, _ in sent if key.startswith("closed:") and f":{keep + 3}:" not in key
    )
    assert kind_words == sorted(
        f"closed:{p}:{user}"
        for p, users in (
            (close, (MENTOR, MENTEES[1])),
            (silent, (MENTOR, MENTEES[2])),
            (keep + 4, (PAUSED_MENTOR, PAUSED_MENTEE)),  # paused, and answered nothing
        )
        for user in users
    )
    after = [key for key, _, at in sent if at > utc("2026-11-06T12:00") and f":{keep}:" in key]
    assert after == []  # the pair on its own hears nothing more

    # The end report, a week after the end at the digest's time (Mondays' 09:00 UTC, as the
    # default programme's), in the programme's channel, with its chart.
    [report] = [m for m in bot.slack.messages_in(ENG_CHANNEL) if "has ended" in m["text"]]
    [(_, when)] = [(k, at) for k, _, at in sent if k.startswith("programme_report:")]
    assert when == utc("2026-11-13T09:00")
    text = blocks_text(report["blocks"])
    assert "*Pairs* · 5 started · 1 closed before the end · 1 meeting on their own now" in text
    assert "no pair was 90 days old by the end" in text
    assert "*Meetings per pair* · median 12, from 0 to 12" in text  # 12, 12, 12, 0, 0
    assert "*Goals completed* · 1" in text
    assert "at 30 days: 1 going well, 0 could be better, 0 not working" in text
    assert "*Would like another pair* · 1" in text
    charts = [f["name"] for f in bot.slack.files_in(ENG_CHANNEL)]
    assert [name for name in charts if "per-pair" in name] == ["meetings-per-pair-2026-11-06.png"]
    coordinators_saw = json.dumps(
        [bot.slack.messages_in(ENG_CHANNEL), bot.slack.messages_in(COORDINATOR)]
    )
    assert "WALRUS" not in coordinators_saw
