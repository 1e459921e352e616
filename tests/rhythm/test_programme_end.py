"""A programme that ends: two weeks before, each pair gets a heads-up; on the day, the
wrap-up. One pair keeps meeting on its own (never nudged again), one closes with its
keepsake, one answers nothing and is closed kindly a week later. Nothing is planned for a
meeting day after the end, and nobody is flagged at risk while the programme winds up."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.messages import ids
from bot.models import Pair, PairStatus
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted

MENTOR = "UMENTOR01"
MENTEES = ("UMENTEE01", "UMENTEE02", "UMENTEE03")  # keeps on its own, closes, says nothing
ENDS_ON = dt.date(2026, 11, 6)  # a Friday


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_heads_up_wrap_up_and_each_way_of_ending(bot, walk, sessions):
    for user in (MENTOR, *MENTEES):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR)
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
    people = People(bot)
    answers = {
        utc("2026-11-06T12:00"): lambda: people.click(
            MENTEES[0], f"programme_wrap_up:{keep}:{ENDS_ON}", ids.PROGRAMME_KEEP
        ),
        utc("2026-11-06T13:00"): lambda: people.click(
            MENTOR, f"programme_wrap_up:{close}:{ENDS_ON}", ids.PROGRAMME_CLOSE
        ),
    }
    for tuesday in ("2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27", "2026-11-03"):
        for n, mentee in enumerate(MENTEES):  # they meet every week, and log it

            def log(mentee: str = mentee) -> None:
                bot.command("/mentor-log", "today", user=mentee)

            answers[utc(f"{tuesday}T15:00") + dt.timedelta(hours=n)] = log
    now, statuses = utc("2026-10-05T08:00"), set()
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
        assert [key for key, _ in got] == [f"{kind}:{p}:{ENDS_ON}" for p in pair_ids]
        assert {at.date().isoformat() for _, at in got} == {day}
        assert {at.hour for _, at in got} == ({8} if day == "2026-10-23" else {9})  # 10:00 Berlin
    meeting_days = {
        key.split(":")[3] for key, _, _ in sent if key.startswith(("reminder:", "checkin:"))
    }
    assert max(meeting_days) == "2026-11-03"  # nothing about the 10th: the programme is over
    assert statuses <= {PairStatus.ACTIVE, PairStatus.CLOSED}

    with sessions() as session:
        rows = {p.id: p for p in session.scalars(sa.select(Pair))}
        assert rows[keep].status is PairStatus.ACTIVE and rows[keep].on_own_since == ENDS_ON
        assert rows[close].closed_at is not None
        assert rows[close].closed_at.date() == ENDS_ON
        # a week on, untouched: at the first pass of 13 November in Berlin
        assert rows[silent].closed_at == utc("2026-11-12T23:00")
    kind_words = sorted(key for key, _, _ in sent if key.startswith("closed:"))
    assert kind_words == sorted(
        f"closed:{p}:{user}"
        for p, mentee in ((close, MENTEES[1]), (silent, MENTEES[2]))
        for user in (MENTOR, mentee)
    )
    after = [key for key, _, at in sent if at > utc("2026-11-06T12:00") and f":{keep}:" in key]
    assert after == []  # the pair on its own hears nothing more
