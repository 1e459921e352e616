"""One pair, mentor in Los Angeles and mentee in Berlin, walked through ten weeks that
cross both daylight-saving changes (Berlin 25 Oct, Los Angeles 1 Nov 2026) with a pass
every hour, answering the way people do: reactions, buttons, a skip, a reschedule,
a hand-logged meeting, a duplicate event and an outsider's reaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Meeting, MeetingSource, OutboxMessage, OutboxStatus
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted, reflection_values

MENTOR, MENTEE, OUTSIDER = "UMENTOR01", "UMENTEE01", "UOUTSIDE1"
LA, BERLIN = ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Berlin")
START = dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC)  # Monday 09:00 in Berlin
TUESDAYS = [dt.date(2026, 10, 6) + dt.timedelta(weeks=w) for w in range(10)]
END = dt.datetime(
    2026, 12, 10, 23, 0, tzinfo=dt.UTC
)  # past the last check-in, before the next nudge


def checkin_key(pair_id: int, tuesday: dt.date, day: dt.date | None = None) -> str:
    return f"checkin:{pair_id}:{tuesday - dt.timedelta(days=1)}:{day or tuesday}"


def test_ten_weeks_across_daylight_saving(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    bot.slack.add_user(OUTSIDER, tz="Europe/Berlin")
    walk.to(START)
    created = bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR
    )
    assert "Paired" in created.text
    people = People(bot, bot.slack.conversation_id(MENTOR, MENTEE))
    pair_id = 1
    answered: set[str] = set()

    instant = START
    while instant < END:
        walk.tick(instant)
        for key, _, _ in posted(bot):
            if key in answered:
                continue
            answered.add(key)
            _answer_like_people(people, key, pair_id)
        instant += dt.timedelta(hours=1)

    sent = posted(bot)
    keys = [key for key, _, _ in sent]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert duplicates == [], f"sent twice: {duplicates}"
    kinds = Counter(key.split(":")[0] for key in keys)

    # Nudges: every Tuesday but the first, whose Friday came before the pair existed, is
    # nudged; the week-5 reschedule answered the nudge, so no second one.
    nudges = sorted(i for k, _, i in sent if k.startswith("nudge:"))
    assert len(nudges) == 10
    for tuesday, instant in zip(TUESDAYS, nudges, strict=True):
        local = instant.astimezone(BERLIN)
        expected_day = tuesday - dt.timedelta(days=4) if tuesday != TUESDAYS[0] else START.date()
        assert local.date() == expected_day, (tuesday, local)
        assert local.hour == (10 if tuesday != TUESDAYS[0] else 9)

    # Reminders: on the meeting day, 09:00 in each member's own zone, DST or not.
    reminders = [(k, c, i) for k, c, i in sent if k.startswith("reminder:")]
    skipped_tuesday = TUESDAYS[2]
    moved = dt.date(2026, 11, 5)
    expected_days = sorted([d for d in TUESDAYS if d != skipped_tuesday] + [moved])
    for user, zone in ((MENTEE, BERLIN), (MENTOR, LA)):
        mine = sorted(i for k, _, i in reminders if k.endswith(f":{user}"))
        assert [i.astimezone(zone).date() for i in mine] == expected_days
        assert {i.astimezone(zone).time() for i in mine} == {dt.time(9, 0)}

    # Check-ins: the morning after the meeting day, 10:00 Berlin; none for the skipped week
    # or the week logged by hand before the check-in was due.
    checkins = sorted(i.astimezone(BERLIN) for k, _, i in sent if k.startswith("checkin:"))
    logged_tuesday = TUESDAYS[5]
    expected = sorted(
        [
            d + dt.timedelta(days=1)
            for d in TUESDAYS
            if d not in (skipped_tuesday, logged_tuesday, TUESDAYS[4])
        ]
        + [TUESDAYS[4] + dt.timedelta(days=1), moved + dt.timedelta(days=1)]
    )
    assert [c.date() for c in checkins] == expected
    assert {c.time() for c in checkins} == {dt.time(10, 0)}

    # Meetings: one per week answered ✅, the moved one, the logged one; none for the
    # outsider's reaction (week 6), the skip (week 2) or the ❌ (week 4's Tuesday).
    with sessions() as session:
        held = session.execute(
            sa.select(Meeting.held_on, Meeting.source).order_by(Meeting.held_on)
        ).all()
    assert [h for h, _ in held] == [
        TUESDAYS[0],
        TUESDAYS[1],
        TUESDAYS[3],
        moved,
        TUESDAYS[5],
        TUESDAYS[7],
        TUESDAYS[8],
    ]
    assert dict(held)[TUESDAYS[1]] == MeetingSource.BUTTON
    assert dict(held)[TUESDAYS[5]] == MeetingSource.COMMAND
    assert dict(held)[TUESDAYS[3]] == MeetingSource.REACTION

    # Reflection prompts: one per member per meeting, inside that member's working hours.
    prompts = [(k, i) for k, _, i in sent if k.startswith("reflection_prompt:")]
    assert kinds["reflection_prompt"] == 2 * len(held)
    for key, instant in prompts:
        zone = BERLIN if key.endswith(MENTEE) else LA
        local = instant.astimezone(zone)
        assert local.weekday() < 5 and dt.time(9) <= local.time() < dt.time(17), (key, local)

    # The ❌ asked the mentee for another day, once.
    assert kinds["reschedule"] == 1
    # Everything scheduled in the pair's conversation landed in the mentee's working hours.
    for key, channel, instant in sent:
        if channel == people.conversation and key.split(":")[0] in {"nudge", "checkin"}:
            local = instant.astimezone(BERLIN)
            assert local.weekday() < 5 and dt.time(9) <= local.time() < dt.time(17), (key, local)
    with sessions() as session:
        statuses = Counter(session.scalars(sa.select(OutboxMessage.status)))
    assert set(statuses) == {OutboxStatus.SENT}


def _answer_like_people(people: People, key: str, pair_id: int) -> None:
    kind = key.split(":")[0]
    tuesday = _tuesday_of(key)
    week = TUESDAYS.index(tuesday) if tuesday in TUESDAYS else None
    if kind == "nudge" and week == 2:
        people.click(MENTEE, key, ids.NUDGE_SKIP)
    elif kind == "reminder" and week == 5 and key.endswith(MENTOR):
        # That evening in Berlin the mentee logs the meeting by hand, before any check-in.
        reply = people.bot.command("/mentor-log", "today", user=MENTEE)
        assert "Recorded your meeting" in reply.text
    elif kind == "checkin":
        ts = people.ts(key)
        if week == 1:
            people.click(MENTOR, key, ids.CHECKIN_MET)
        elif week == 3:
            people.react(MENTEE, ts, event_id="EvDUP")
            people.react(MENTEE, ts, event_id="EvDUP")  # Slack retrying the same event
            people.react(MENTOR, ts, reaction="heavy_check_mark")
        elif week == 4 and key == checkin_key(pair_id, tuesday):
            people.react(MENTOR, ts, reaction="x")
        elif week == 6:
            people.react(OUTSIDER, ts)
        elif week in (0, 4, 7, 8):
            people.react(MENTEE, ts)
    elif kind == "reschedule":
        people.click(MENTEE, key, ids.PICK_DAY, selected_date="2026-11-05")
    elif kind == "reflection_prompt" and key.endswith(MENTEE) and week is None:
        pass


def _tuesday_of(key: str) -> dt.date | None:
    parts = key.split(":")
    if parts[0] in {"nudge", "reminder", "checkin", "reschedule"}:
        period = dt.date.fromisoformat(parts[2])
        return period + dt.timedelta(days=1)
    return None


def test_reflection_is_private_unless_shared(bot, walk, sessions):
    bot.slack.add_user(MENTOR, tz="America/Los_Angeles")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    walk.to("2026-10-07T10:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.to("2026-10-08T10:00:00Z")  # Thursday noon in Berlin
    bot.command("/mentor-log", "today", user=MENTEE)
    walk.tick()
    people = People(bot, bot.slack.conversation_id(MENTOR, MENTEE))
    prompt_key = f"reflection_prompt:1:{MENTEE}"
    people.click(MENTEE, prompt_key, ids.REFLECT_OPEN)
    [opened] = bot.slack.calls_to("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "what worked well" in blocks_text(view["blocks"]).lower()

    def submit(share: bool, worked: str):
        state = reflection_values(worked=worked, did_not_work="ran out of time", share=share)
        payload = {
            "type": "view_submission",
            "user": {"id": MENTEE, "team_id": "T0MENTOR"},
            "view": {**view, "id": "V0001", "state": {"values": state}},
        }
        return bot.interaction(payload)

    conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    before = len(bot.slack.messages_in(conversation))
    assert submit(False, "private words about <b>").status == 200
    assert len(bot.slack.messages_in(conversation)) == before
    assert all(
        "private words" not in str(c.args) for c in bot.slack.calls_to("chat.postMessage")[:-1]
    )

    assert submit(True, "shared words").status == 200
    shared = bot.slack.messages_in(conversation)[before:]
    assert len(shared) == 1
    assert "shared words" in blocks_text(shared[0]["blocks"])
    assert "ran out of time" in blocks_text(shared[0]["blocks"])

    assert submit(True, "shared again").status == 200  # editing does not post a second time
    assert len(bot.slack.messages_in(conversation)) == before + 1
