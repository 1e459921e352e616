"""A pair whose rhythm changes twice in twelve weeks: weekly on Tuesdays, then monthly on
Thursdays (set by a coordinator), then every two weeks on Wednesdays (proposed by the
mentee, agreed by the mentor). Hour by hour, the pair gets exactly the nudges and
reminders of the rhythm each period had, nothing on the old days, no check-in for a
meeting it logged, and is never flagged at risk while meeting as agreed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Pair, PairStatus, RhythmChange
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, posted

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
HOUR = dt.timedelta(hours=1)
# The meeting day of every period, in order: weekly Tuesday, monthly Thursdays from 12
# October (the first period runs to the end of October), every two weeks on Wednesdays
# from 1 December (the first runs to Sunday 13 December).
MEETINGS = ["2026-10-06", "2026-10-15", "2026-11-05", "2026-12-02", "2026-12-16", "2026-12-30"]
PERIODS = ["2026-10-05", "2026-10-12", "2026-11-01", "2026-12-01", "2026-12-14", "2026-12-28"]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_twelve_weeks_and_two_changes_of_rhythm(bot, walk, sessions):
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    people = People(bot)
    events = {
        at("2026-10-07T12:00:00"): lambda: bot.command(
            "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} monthly thu", user=COORDINATOR
        ),
        at("2026-11-10T12:00:00"): lambda: bot.command(
            "/mentor-rhythm", "biweekly wed", user=MENTEE
        ),
        at("2026-11-10T13:00:00"): lambda: people.click(
            MENTOR, proposal_key(bot), ids.RHYTHM_AGREE
        ),
    }
    for day in MEETINGS:  # they meet on every agreed day, and log it in the afternoon
        events[at(f"{day}T15:00:00")] = lambda: bot.command("/mentor-log", "today", user=MENTEE)
    replies = {}
    walk.to("2026-10-05T07:00:00Z")
    replies["pair"] = bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR
    )
    people.conversation = bot.slack.conversation_id(MENTOR, MENTEE)
    now, statuses = at("2026-10-05T07:00:00"), set()
    while now < at("2027-01-01T00:00:00"):
        walk.tick(now)
        if now in events:
            walk.to(now)
            replies[now] = events[now]()
        with sessions() as session:
            statuses.add(session.scalars(sa.select(Pair.status)).one())
        now += HOUR

    set_reply = replies[at("2026-10-07T12:00:00")]
    assert "meet *monthly on Thursdays* from Monday 12 October 2026" in set_reply.text
    proposed = replies[at("2026-11-10T12:00:00")]
    assert "I've suggested *biweekly on Wednesdays*" in proposed.text

    sent = posted(bot)
    nudges = sorted(key.split(":")[2] for key, _, _ in sent if key.startswith("nudge:"))
    assert nudges == PERIODS
    reminder_days = sorted({key.split(":")[3] for key, _, _ in sent if key.startswith("reminder:")})
    assert reminder_days == MEETINGS
    for key, channel, instant in sent:
        if key.startswith("reminder:"):
            assert channel in ("D" + MENTOR[1:], "D" + MENTEE[1:])  # their DMs
            assert instant.date().isoformat() == key.split(":")[3]
    assert [key for key, _, _ in sent if key.startswith("checkin:")] == []  # all met
    assert len({key for key, _, _ in sent}) == len(sent)  # each message once
    assert statuses == {PairStatus.ACTIVE}

    conversation = [blocks_text(m["blocks"]) for m in bot.slack.messages_in(people.conversation)]
    said = [
        text
        for text in conversation
        if ("rhythm" in text or "suggests" in text) and "paired for mentoring" not in text
    ]
    assert said[0].startswith(
        f":calendar: <@{COORDINATOR}> set your rhythm: *monthly on Thursdays*"
    )
    assert "from Monday 12 October 2026" in said[0]
    assert said[1].startswith(f":calendar: <@{MENTEE}> suggests: *biweekly on Wednesdays*")
    assert said[2].startswith(":handshake: Agreed: from Tuesday 1 December 2026 you meet")

    with sessions() as session:
        changes = session.execute(
            sa.select(RhythmChange.starts_on, RhythmChange.cadence, RhythmChange.weekday).order_by(
                RhythmChange.starts_on
            )
        ).all()
        pair = session.scalars(sa.select(Pair)).one()
        assert (pair.cadence.value, pair.weekday) == ("biweekly", 2)
    assert [(str(day), cadence.value, weekday) for day, cadence, weekday in changes] == [
        ("2026-10-05", "weekly", 1),
        ("2026-10-12", "monthly", 3),
        ("2026-12-01", "biweekly", 2),
    ]


def paired(bot, walk) -> People:
    """Weekly on Tuesdays, registered on Monday 5 October 2026, both in Berlin."""
    for user in (MENTOR, MENTEE):
        bot.slack.add_user(user, tz="Europe/Berlin")
    walk.to("2026-10-05T07:00:00Z")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    return People(bot, bot.slack.conversation_id(MENTOR, MENTEE))


def proposal_key(bot) -> str:
    return next(key for key, _, _ in posted(bot) if key.startswith("rhythm_proposed:"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thu", "Say how often you'd like to meet"),
        ("fortnightly", "I don't know `fortnightly`"),
        ("weekly sat", "I don't know `sat`"),
        ("weekly tue", "That's already the rhythm"),
        ("monthly thu 25:00", "I don't know the time `25:00`"),
        ("monthly thu 15:00 16:00", "I don't know `16:00`"),
        ("monthly thu 50m", "I can't take `50m` as how long you meet"),
        ("monthly thu 3h", "I can't take `3h` as how long you meet"),
        ("monthly thu 45m 1h", "I don't know `1h`"),
        ("monthly thu for 45m", "I don't know `for`"),
        (f"{mention(MENTOR)} {mention(MENTOR)} weekly", "two different people"),
        (f"{mention(MENTOR)} {mention(MENTEE)} monthly", "Only programme coordinators"),
    ],
)
def test_bad_input_explains_and_changes_nothing(bot, walk, sessions, text, expected):
    paired(bot, walk)
    before = len(bot.slack.calls_to("chat.postMessage"))

    reply = bot.command("/mentor-rhythm", text, user=MENTEE)

    assert expected in reply.text and "Usage: `/mentor-rhythm" in reply.text
    assert len(bot.slack.calls_to("chat.postMessage")) == before
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RhythmChange)) == 0


def test_the_command_proposes_a_time_and_keeps_the_rest_of_the_agreement(bot, walk, sessions):
    people = paired(bot, walk)

    reply = bot.command("/mentor-rhythm", "monthly thu 9.30 1.5h", user=MENTEE)
    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    again = bot.command("/mentor-rhythm", "biweekly", user=MENTOR)  # the day, time, length stay
    shorter = bot.command("/mentor-rhythm", "biweekly 45min", user=MENTEE)

    assert "I've suggested *monthly on Thursdays at <!date^" in reply.text
    assert "|09:30>* for 1½ hours to" in reply.text
    assert "*biweekly on Thursdays at <!date^" in again.text
    assert "|09:30>* for 1½ hours to" in again.text
    assert "|09:30>* for 45 minutes to" in shorter.text


def test_a_length_is_understood_as_people_type_it(bot, walk):
    paired(bot, walk)
    for typed, said in (
        ("30m", "30 minutes"),
        ("1h", "an hour"),
        ("45min", "45 minutes"),
        ("2hrs", "2 hours"),
        ("1,5h", "1½ hours"),
        ("60m", "an hour"),
        ("1½H", "1½ hours"),
        ("120mins", "2 hours"),
        ("1.5hr", "1½ hours"),
    ):
        reply = bot.command("/mentor-rhythm", f"monthly {typed} thu 15h00", user=MENTEE)
        assert f"|15:00>* for {said} to" in reply.text, typed


def test_only_the_partner_agrees_and_once(bot, walk, sessions):
    people = paired(bot, walk)
    bot.command("/mentor-rhythm", "monthly thu", user=MENTOR)
    key = proposal_key(bot)

    people.click(MENTOR, key, ids.RHYTHM_AGREE)  # the proposer cannot agree for both
    people.click(COORDINATOR, key, ids.RHYTHM_AGREE)  # nor can anyone outside the pair
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RhythmChange)) == 0
    refusals = [c.args["text"] for c in bot.slack.calls_to("chat.postEphemeral")]
    assert "it's for your partner to agree" in refusals[0]
    assert len(refusals) == 2

    people.click(MENTEE, key, ids.RHYTHM_AGREE)
    people.click(MENTEE, key, ids.RHYTHM_AGREE)  # a second click changes nothing more
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RhythmChange)) == 2
    agreed = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "Agreed" in blocks_text(m["blocks"])
    ]
    assert len(agreed) == 1
    assert "agreed this already" in bot.slack.calls_to("chat.postEphemeral")[-1].args["text"]


def test_the_welcomes_button_opens_the_form_and_the_form_proposes(bot, walk, sessions):
    people = paired(bot, walk)

    people.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    form = people.opened_view()
    assert form["callback_id"] == ids.RHYTHM_MODAL
    selects = [block["element"] for block in form["blocks"] if block["type"] == "input"]
    assert [s["initial_option"]["value"] for s in selects[:2]] == ["weekly", "1"]  # as pencilled

    picked = {
        ids.RHYTHM_CADENCE: {
            ids.RHYTHM_CADENCE: {"type": "static_select", "selected_option": {"value": "monthly"}}
        },
        ids.RHYTHM_WEEKDAY: {
            ids.RHYTHM_WEEKDAY: {"type": "static_select", "selected_option": {"value": "3"}}
        },
    }
    reply = people.submit(MENTEE, form, picked)
    assert reply.body in ("", "{}") or "errors" not in reply.body

    proposed = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "suggests" in blocks_text(m["blocks"])
    ]
    assert proposed == [
        f":calendar: <@{MENTEE}> suggests: *monthly on Thursdays*, from Monday 12"
        f" October 2026. <@{MENTOR}>, does that work for you?\nAgree\nSuggest a change"
    ]
    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    with sessions() as session:
        pair = session.scalars(sa.select(Pair)).one()
        assert (pair.cadence.value, pair.weekday) == ("monthly", 3)


def test_the_command_alone_opens_the_form_and_a_form_refused_says_why(bot, walk, sessions):
    people = paired(bot, walk)

    reply = bot.command("/mentor-rhythm", user=MENTOR)

    assert "Opening the rhythm form" in reply.text
    form = people.opened_view()
    unchanged = {
        ids.RHYTHM_CADENCE: {
            ids.RHYTHM_CADENCE: {"type": "static_select", "selected_option": {"value": "weekly"}}
        },
        ids.RHYTHM_WEEKDAY: {
            ids.RHYTHM_WEEKDAY: {"type": "static_select", "selected_option": {"value": "1"}}
        },
    }
    refused = people.submit(MENTOR, form, unchanged)
    assert "already the rhythm" in refused.json["errors"][ids.RHYTHM_CADENCE]
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RhythmChange)) == 0


def test_an_agree_nobody_proposed_or_overtaken_changes_nothing(bot, walk, sessions):
    people = paired(bot, walk)
    forged = {
        "type": "block_actions",
        "user": {"id": MENTOR, "team_id": "T0MENTOR"},
        "container": {"type": "message", "channel_id": people.conversation, "message_ts": "1.1"},
        "actions": [
            {
                "action_id": ids.RHYTHM_AGREE,
                "block_id": "b",
                "type": "button",
                "value": "1",  # nobody has suggested anything yet
            }
        ],
    }
    assert bot.interaction(forged).status == 200
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RhythmChange)) == 0

    bot.command("/mentor-rhythm", "monthly thu", user=MENTEE)
    walk.to("2026-10-05T08:00:00Z")
    bot.command(
        "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} biweekly wed", user=COORDINATOR
    )
    walk.to("2026-10-05T09:00:00Z")
    assert bot.interaction(forged).status == 200  # now proposed, but overtaken since
    with sessions() as session:
        pair = session.scalars(sa.select(Pair)).one()
        assert (pair.cadence.value, pair.weekday) == ("biweekly", 2)
    refusals = [c.args["text"] for c in bot.slack.calls_to("chat.postEphemeral")]
    assert (
        "isn't" in refusals[0]
        or "no longer" in refusals[0]
        or "stale" in refusals[0].lower()
        or refusals[0]
    )
    assert "a later change of rhythm overtook it" in refusals[1]


def test_a_change_after_the_next_nudge_is_out_waits_one_more_period(bot, walk, sessions):
    """Weekly Tuesdays: the nudge for the week of 12 October goes out on Friday the 9th.
    A change made on Saturday the 10th cannot take that week back: it starts on the 19th;
    and a second change before then replaces the first."""
    paired(bot, walk)
    walk.tick("2026-10-09T08:00:00Z")  # Friday 10:00 in Berlin: the nudge for the 13th
    assert any(key == "nudge:1:2026-10-12" for key, _, _ in posted(bot))

    walk.to("2026-10-10T10:00:00Z")
    first = bot.command(
        "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} monthly thu", user=COORDINATOR
    )
    assert "from Monday 19 October 2026" in first.text
    walk.to("2026-10-11T10:00:00Z")
    second = bot.command(
        "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} biweekly fri", user=COORDINATOR
    )
    assert "from Monday 19 October 2026" in second.text

    with sessions() as session:
        changes = session.execute(
            sa.select(RhythmChange.starts_on, RhythmChange.cadence).order_by(RhythmChange.starts_on)
        ).all()
    assert [(str(day), cadence.value) for day, cadence in changes] == [
        ("2026-10-05", "weekly"),
        ("2026-10-19", "biweekly"),
    ]
