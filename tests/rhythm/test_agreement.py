"""The pair's agreement, the way a pair makes it: the welcome's *Agree our rhythm* opens
the form, the mentee proposes monthly on Thursdays at 15:00 by video call, the mentor
agrees; then twelve weeks of hourly passes give exactly the monthly nudges, reminders and
check-ins on Thursdays, each once, in its reader's working hours, saying the agreed time
in the reader's own zone; and the pair is never flagged at risk while meeting monthly."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from bot.demo.slack_requests import blocks_text, mention
from bot.messages import ids
from bot.models import Agreement, AgreementStatus, Hope, Pair, PairStatus
from tests.conftest import COORDINATOR
from tests.rhythm.people import People, home_of, posted

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"
MENTOR_TZ, MENTEE_TZ = "Europe/London", "Europe/Berlin"  # an hour apart
HOUR = dt.timedelta(hours=1)
# Monthly on Thursdays from Monday 12 October: the first period runs to the end of
# October, then calendar months.
PERIODS = ["2026-10-12", "2026-11-01", "2026-12-01"]
MEETINGS = ["2026-10-15", "2026-11-05", "2026-12-03"]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def selected(block: str, value: str) -> dict:
    return {block: {block: {"type": "static_select", "selected_option": {"value": value}}}}


def form_values(**answers: str) -> dict:
    """The rhythm form's state.values as Slack sends them."""
    values = {
        **selected(ids.RHYTHM_CADENCE, answers["cadence"]),
        **selected(ids.RHYTHM_WEEKDAY, answers["weekday"]),
        ids.RHYTHM_TIME: {
            ids.RHYTHM_TIME: {"type": "timepicker", "selected_time": answers.get("time")}
        },
        ids.RHYTHM_WAY_WORDS: {
            ids.RHYTHM_WAY_WORDS: {"type": "plain_text_input", "value": answers.get("words")}
        },
        ids.RHYTHM_HOPE: {
            ids.RHYTHM_HOPE: {"type": "plain_text_input", "value": answers.get("hope")}
        },
    }
    for block, name in (
        (ids.RHYTHM_LENGTH, "length"),
        (ids.RHYTHM_WAY, "way"),
        (ids.RHYTHM_SPEED, "speed"),
    ):
        values.update(selected(block, answers[name]) if name in answers else {block: {block: {}}})
    return values


def start_pair(bot, walk, when: str = "2026-10-07T08:00:00Z") -> People:
    bot.slack.add_user(MENTOR, tz=MENTOR_TZ)
    bot.slack.add_user(MENTEE, tz=MENTEE_TZ)
    walk.to(when)
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    walk.tick(when)  # the welcome, and whatever is due at once
    return People(bot, bot.slack.conversation_id(MENTOR, MENTEE))


def propose_monthly_thursdays(people: People) -> dict:
    people.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    form = people.opened_view()
    values = form_values(
        cadence="monthly",
        weekday="3",
        time="15:00",
        way="video",
        speed="two_days",
        hope="HOPE-WORDS to lead a project",
    )
    people.submit(MENTEE, form, values)
    return form


def proposal_key(bot) -> str:
    return [key for key, _, _ in posted(bot) if key.startswith("rhythm_proposed:")][-1]


def stamp(day: str, clock: str, tz: str) -> int:
    from zoneinfo import ZoneInfo

    local = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo(tz))
    return int(local.timestamp())


def test_agreed_monthly_thursdays_at_three_for_twelve_weeks(bot, walk, sessions, settings):
    people = start_pair(bot, walk)
    form = propose_monthly_thursdays(people)
    # The form was filled in with what the coordinator pencilled in.
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs[ids.RHYTHM_CADENCE]["initial_option"]["value"] == "weekly"
    assert inputs[ids.RHYTHM_WEEKDAY]["initial_option"]["value"] == "1"
    assert inputs[ids.RHYTHM_TIME]["timezone"] == MENTEE_TZ
    lengths = inputs[ids.RHYTHM_LENGTH]
    assert [o["value"] for o in lengths["options"]] == ["30", "45", "60", "90", "120"]
    assert [o["text"]["text"] for o in lengths["options"]] == [
        "30 min",
        "45 min",
        "1 hour",
        "1½ hours",
        "2 hours",
    ]
    assert "initial_option" not in lengths  # nothing said yet

    [proposal] = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "suggests" in blocks_text(m["blocks"])
    ]
    token = f"<!date^{stamp('2026-10-15', '15:00', MENTEE_TZ)}^{{time}}|15:00>"
    assert proposal == (
        f":calendar: <@{MENTEE}> suggests: *monthly on Thursdays at {token}*, by video call,"
        " answering each other within two days between meetings, from Monday 12 October 2026."
        f" <@{MENTOR}>, does that work for you?\n"
        f"<@{MENTEE}> hopes to get out of it: HOPE-WORDS to lead a project\nAgree\nSuggest a change"
    )

    walk.to("2026-10-07T13:00:00Z")
    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    with sessions() as session:
        agreement = session.scalars(
            sa.select(Agreement).where(Agreement.status == AgreementStatus.AGREED)
        ).one()
        assert (agreement.proposed_by, agreement.agreed_by) == (MENTEE, MENTOR)
        assert agreement.agreed_at == at("2026-10-07T13:00:00")
        assert agreement.starts_on == dt.date(2026, 10, 12)
        assert agreement.meets_at == dt.time(15, 0)

    now, statuses, answered = at("2026-10-07T14:00:00"), set(), set()
    while now < at("2027-01-01T00:00:00"):
        walk.tick(now)
        for key, _, _ in posted(bot):  # they met: the mentee says so on each check-in
            if key.startswith("checkin:") and key not in answered:
                walk.to(now)
                people.click(MENTEE, key, ids.CHECKIN_MET)
                answered.add(key)
        with sessions() as session:
            statuses.add(session.scalars(sa.select(Pair.status)).one())
        now += HOUR

    sent = posted(bot)
    by_kind: dict[str, list[tuple[str, str, dt.datetime]]] = {}
    for key, channel, instant in sent:
        by_kind.setdefault(key.split(":")[0], []).append((key, channel, instant))
    assert sorted(key.split(":")[2] for key, _, _ in by_kind["nudge"]) == PERIODS
    assert sorted({key.split(":")[3] for key, _, _ in by_kind["reminder"]}) == MEETINGS
    assert len(by_kind["reminder"]) == 2 * len(MEETINGS)  # one to each member
    assert sorted(key.split(":")[3] for key, _, _ in by_kind["checkin"]) == MEETINGS
    assert "agreement_reminder" not in by_kind  # agreed within the week
    for day in MEETINGS:
        assert dt.date.fromisoformat(day).weekday() == 3  # Thursdays, never Tuesdays
    assert len({key for key, _, _ in sent}) == len(sent)  # each message once
    assert statuses == {PairStatus.ACTIVE}

    hours = settings.hours
    zones = {"D" + MENTOR[1:]: MENTOR_TZ, "D" + MENTEE[1:]: MENTEE_TZ}
    for kind in ("nudge", "reminder", "checkin"):
        for key, channel, instant in by_kind[kind]:
            assert hours.contains(zones.get(channel, MENTEE_TZ), instant), (key, instant)
            if kind == "reminder":  # on the meeting day itself
                assert instant.date().isoformat() == key.split(":")[3]

    # What they read: the agreed time, each in their own zone, and how they meet.
    nudges = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "touch base" in blocks_text(m["blocks"])
    ]
    first = f"<!date^{stamp('2026-10-15', '15:00', MENTEE_TZ)}^{{time}}|15:00>"
    assert nudges[0].startswith(
        f":wave: <@{MENTEE}>, touch base with <@{MENTOR}> on *Thursday 15 October 2026*"
        f" at {first}, by video call?"
    )
    assert len(nudges) == len(PERIODS)
    for user, clock in ((MENTOR, "14:00"), (MENTEE, "15:00")):
        reminders = [blocks_text(m["blocks"]) for m in bot.slack.messages_in(user)]
        reminders = [text for text in reminders if "planned to touch base" in text]
        assert len(reminders) == len(MEETINGS)
        assert all(f", at {clock} your time, by video call." in text for text in reminders)


def test_one_friendly_reminder_a_week_in_when_nothing_is_agreed(bot, walk, sessions):
    people = start_pair(bot, walk)
    walk.tick("2026-10-13T12:00:00Z")  # not yet a week
    assert not [key for key, _, _ in posted(bot) if key.startswith("agreement_reminder:")]
    propose_monthly_thursdays(people)  # proposed, never agreed

    for day in range(14, 30):
        walk.tick(f"2026-10-{day}T08:00:00Z")
        walk.tick(f"2026-10-{day}T09:00:00Z")

    reminders = [
        (key, instant) for key, _, instant in posted(bot) if key.startswith("agreement_reminder:")
    ]
    assert reminders == [("agreement_reminder:1", at("2026-10-14T08:00:00"))]  # 10:00 Berlin
    [text] = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "friendly reminder" in blocks_text(m["blocks"])
    ]
    assert f"<@{MENTEE}> suggested *monthly on Thursdays at" in text
    assert f"<@{MENTOR}>, press *Agree*" in text
    assert "I'm keeping to *weekly on Tuesdays*" in text


def test_an_unanswered_pair_is_invited_with_the_button(bot, walk):
    people = start_pair(bot, walk)
    walk.tick("2026-10-14T08:00:00Z")
    [message] = [
        m
        for m in bot.slack.messages_in(people.conversation)
        if "friendly reminder" in blocks_text(m["blocks"])
    ]
    assert "you haven't agreed your rhythm yet" in blocks_text(message["blocks"])
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [ids.RHYTHM_OPEN]


def test_suggest_a_change_opens_the_form_with_the_suggestion_and_overtakes_it(bot, walk, sessions):
    people = start_pair(bot, walk)
    propose_monthly_thursdays(people)
    first = proposal_key(bot)

    people.click(MENTOR, first, ids.RHYTHM_CHANGE)
    form = people.opened_view()
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs[ids.RHYTHM_CADENCE]["initial_option"]["value"] == "monthly"
    assert inputs[ids.RHYTHM_TIME]["initial_time"] == "15:00"
    assert inputs[ids.RHYTHM_WAY]["initial_option"]["value"] == "video"
    assert "initial_value" not in inputs[ids.RHYTHM_HOPE]  # the mentee's hope is theirs
    people.submit(
        MENTOR,
        form,
        form_values(
            cadence="biweekly",
            weekday="3",
            time="16:30",
            words="coffee by the lifts",
            speed="week",
            hope="MENTOR-HOPE",
        ),
    )
    second = proposal_key(bot)
    assert second != first

    people.click(MENTEE, first, ids.RHYTHM_AGREE)  # the first was overtaken
    refusal = bot.slack.calls_to("chat.postEphemeral")[-1].args["text"]
    assert "overtook it" in refusal
    people.click(MENTEE, second, ids.RHYTHM_AGREE)
    with sessions() as session:
        rows = session.execute(
            sa.select(Agreement.status, Agreement.meets_by_words).order_by(Agreement.id)
        ).all()
        hopes = session.scalars(sa.select(Hope.text).order_by(Hope.id)).all()
    assert [status for status, _ in rows] == [AgreementStatus.OVERTAKEN, AgreementStatus.AGREED]
    assert rows[1][1] == "coffee by the lifts"
    assert hopes == ["HOPE-WORDS to lead a project", "MENTOR-HOPE"]
    agreed = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "Agreed" in blocks_text(m["blocks"])
    ]
    assert len(agreed) == 1 and "*biweekly on Thursdays at <!date^" in agreed[0]
    assert re.search(
        r"\|16:30>\*, coffee by the lifts, answering each other within a week", agreed[0]
    )


def test_a_form_with_only_a_new_hope_saves_it_and_proposes_nothing(bot, walk, sessions):
    people = start_pair(bot, walk)
    people.click(MENTOR, "welcome:1", ids.RHYTHM_OPEN)
    form = people.opened_view()
    reply = people.submit(MENTOR, form, form_values(cadence="weekly", weekday="1", hope="MINE"))
    assert reply.json["response_action"] == "update"
    assert "Saved what you hope" in str(reply.json["view"])
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 0
        assert session.scalars(sa.select(Hope.text)).all() == ["MINE"]

    refused = people.submit(MENTOR, form, form_values(cadence="weekly", weekday="1", hope="MINE"))
    assert "already the rhythm" in refused.json["errors"][ids.RHYTHM_CADENCE]


def test_a_forged_form_changes_nothing(bot, walk, sessions):
    people = start_pair(bot, walk)
    people.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    form = people.opened_view()
    for forged in (
        form_values(cadence="daily", weekday="1"),
        form_values(cadence="weekly", weekday="6"),
        form_values(cadence="weekly", weekday="1", time="25:99"),
        form_values(cadence="weekly", weekday="1", time="10:00+05:00"),
        form_values(cadence="weekly", weekday="1", time="1030"),
        form_values(cadence="weekly", weekday="1", way="teleport"),
        form_values(cadence="weekly", weekday="1", length="50"),
        form_values(cadence="weekly", weekday="1", length="1h"),
        form_values(cadence="weekly", weekday="1", words="x" * 61),
        form_values(cadence="weekly", weekday="1", hope="x" * 501),
    ):
        refused = people.submit(MENTEE, form, forged)
        assert refused.json["response_action"] == "errors"
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Hope)) == 0


def test_app_home_shows_what_is_waiting_then_what_was_agreed_in_each_readers_time(bot, walk):
    people = start_pair(bot, walk)
    propose_monthly_thursdays(people)

    waiting = home_of(bot, MENTOR)
    assert "Rhythm: *weekly on Tuesdays*" in waiting
    assert "Pencilled in by your coordinator" in waiting
    assert "Waiting for you to agree: *monthly on Thursdays at 14:00 your time*" in waiting
    assert f"<@{MENTEE}> hopes to get out of it: HOPE-WORDS to lead a project" in waiting
    assert "Waiting for <@UMENTOR01> to agree" in home_of(bot, MENTEE)

    walk.to("2026-10-07T13:00:00Z")
    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    mentor, mentee = home_of(bot, MENTOR), home_of(bot, MENTEE)
    # This week keeps its pencilled Tuesday; the agreement runs from next Monday.
    assert "Rhythm: *weekly on Tuesdays*" in mentor
    assert (
        "From Monday 12 October 2026: *monthly on Thursdays at 14:00 your time*, by video call,"
        " answering each other within two days between meetings" in mentor
    )
    assert "From Monday 12 October 2026: *monthly on Thursdays at 15:00 your time*" in mentee
    assert "Waiting" not in mentor
    assert "You hope to get out of it: HOPE-WORDS to lead a project" in mentee

    walk.to("2026-10-13T08:00:00Z")
    later = home_of(bot, MENTOR)
    assert "Rhythm: *monthly on Thursdays at 14:00 your time*, by video call" in later
    assert f"_Agreed by <@{MENTEE}> and <@{MENTOR}> on Wednesday 7 October 2026._" in later


def test_coordinators_see_the_rhythm_and_way_never_the_hopes_or_own_words(bot, walk):
    people = start_pair(bot, walk)
    people.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    people.submit(
        MENTEE,
        people.opened_view(),
        form_values(
            cadence="monthly", weekday="3", words="WOMBAT-WORDS coffee", hope="WOMBAT-HOPE"
        ),
    )
    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    bot.command("/mentor-rhythm", "monthly thu 15:00", user=MENTOR)  # a time, waiting

    listing = bot.command("/mentor-pairs", user=COORDINATOR).text
    walk.to("2026-10-07T10:00:00Z")
    setting = bot.command(
        "/mentor-rhythm", f"{mention(MENTOR)} {mention(MENTEE)} biweekly thu", user=COORDINATOR
    ).text
    assert "*biweekly on Thursdays*" in setting and "WOMBAT" not in setting
    told = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "set your rhythm" in blocks_text(m["blocks"])
    ]
    assert told and "WOMBAT-WORDS" in told[0]  # the pair itself reads its own words
    digest = bot.command("/mentor-digest", user=COORDINATOR).text
    home = home_of(bot, COORDINATOR)
    for seen in (listing, digest, home):
        assert "WOMBAT" not in seen
    assert (  # this week's, as pencilled; then what they agreed, without their own words
        "*weekly on Tuesdays* (pencilled), then *monthly on Thursdays* from Monday 12 October"
        in listing
    )
    # And the pair itself does see both, on its Home.
    assert "WOMBAT-HOPE" in home_of(bot, MENTOR) and "WOMBAT-WORDS" in home_of(bot, MENTOR)


def test_a_time_typed_with_the_command_is_the_typers_own(bot, walk, sessions):
    start_pair(bot, walk)  # the mentor in London, the mentee in Berlin

    reply = bot.command("/mentor-rhythm", "monthly thu 14:00", user=MENTOR)
    late = bot.command("/mentor-rhythm", "monthly thu 23:30", user=MENTOR)

    assert "|15:00>*" in reply.text  # 14:00 in London is 15:00 in Berlin, the mentee's
    with sessions() as session:
        [proposal] = session.scalars(sa.select(Agreement)).all()
        assert proposal.meets_at == dt.time(15, 0)
    assert "falls on another day for your partner" in late.text


def test_the_same_suggestion_again_is_not_a_new_one(bot, walk, sessions):
    people = start_pair(bot, walk)
    propose_monthly_thursdays(people)
    first = proposal_key(bot)

    people.click(MENTOR, first, ids.RHYTHM_CHANGE)  # opened, then sent back unchanged
    again = form_values(cadence="monthly", weekday="3", time="15:00", way="video", speed="two_days")
    refused = people.submit(MENTOR, people.opened_view(), again)
    assert "already waiting" in refused.json["errors"][ids.RHYTHM_CADENCE]
    saved = people.submit(
        MENTOR,
        people.opened_view(),
        {
            **again,
            **form_values(
                cadence="monthly",
                weekday="3",
                time="15:00",
                way="video",
                speed="two_days",
                hope="MENTOR-HOPE",
            ),
        },
    )
    assert saved.json["response_action"] == "update"  # only the hope was new
    assert proposal_key(bot) == first
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 1


def test_a_time_on_another_day_for_its_reader_says_which():
    from bot.messages.terms import time_for

    thursday = dt.date(2026, 10, 15)
    assert time_for("Europe/Berlin", "America/Los_Angeles", thursday, dt.time(17, 0)) == (
        "02:00 your time, on Friday"
    )
    assert time_for("Europe/London", "Europe/Berlin", thursday, dt.time(15, 0)) == (
        "14:00 your time"
    )


def test_a_length_agreed_with_the_form_is_said_wherever_the_terms_are(bot, walk, sessions):
    people = start_pair(bot, walk)
    people.click(MENTEE, "welcome:1", ids.RHYTHM_OPEN)
    people.submit(
        MENTEE,
        people.opened_view(),
        form_values(cadence="monthly", weekday="3", time="15:00", length="45", way="video"),
    )
    [proposal] = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "suggests" in blocks_text(m["blocks"])
    ]
    token = f"<!date^{stamp('2026-10-15', '15:00', MENTEE_TZ)}^{{time}}|15:00>"
    assert f"suggests: *monthly on Thursdays at {token}* for 45 minutes, by video call," in (
        proposal
    )

    people.click(MENTOR, proposal_key(bot), ids.RHYTHM_AGREE)
    with sessions() as session:
        agreed = session.scalars(
            sa.select(Agreement).where(Agreement.status == AgreementStatus.AGREED)
        ).one()
        assert agreed.meets_for == 45
    [said] = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "Agreed" in blocks_text(m["blocks"])
    ]
    assert f"you meet *monthly on Thursdays at {token}* for 45 minutes, by video call." in said

    walk.to("2026-10-13T08:00:00Z")
    assert (
        "Rhythm: *monthly on Thursdays at 14:00 your time* for 45 minutes, by video call"
        in home_of(bot, MENTOR)
    )
    listing = bot.command("/mentor-pairs", user=COORDINATOR).text
    assert "*monthly on Thursdays* for 45 minutes, by video call (agreed)" in listing

    # The form opens again with the length they agreed, and sent back as it is, is no change.
    people.click(MENTOR, "welcome:1", ids.RHYTHM_OPEN)
    form = people.opened_view()
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs[ids.RHYTHM_LENGTH]["initial_option"]["value"] == "45"
    assert inputs[ids.RHYTHM_LENGTH]["initial_option"]["text"]["text"] == "45 min"
    same = form_values(cadence="monthly", weekday="3", time="15:00", length="45", way="video")
    refused = people.submit(MENTOR, form, same)
    assert "already the rhythm" in refused.json["errors"][ids.RHYTHM_CADENCE]

    # Only the length changed is a new suggestion; and *Suggest a change* shows it.
    longer = form_values(cadence="monthly", weekday="3", time="15:00", length="90", way="video")
    people.submit(MENTOR, form, longer)
    assert "for 1½ hours, by video call" in blocks_text(people.message(proposal_key(bot))["blocks"])
    people.click(MENTEE, proposal_key(bot), ids.RHYTHM_CHANGE)
    inputs = {
        b["block_id"]: b["element"] for b in people.opened_view()["blocks"] if b["type"] == "input"
    }
    assert inputs[ids.RHYTHM_LENGTH]["initial_option"]["value"] == "90"


def test_a_coordinator_sets_a_length_and_a_later_setting_keeps_it(bot, walk, sessions):
    people = start_pair(bot, walk)
    pair = f"{mention(MENTOR)} {mention(MENTEE)}"

    setting = bot.command("/mentor-rhythm", f"{pair} monthly thu 15:00 1h", user=COORDINATOR)
    walk.to("2026-10-07T09:00:00Z")
    again = bot.command("/mentor-rhythm", f"{pair} biweekly thu", user=COORDINATOR)

    assert "meet *monthly on Thursdays at <!date^" in setting.text
    assert "|15:00>* for an hour from Monday 12 October 2026." in setting.text
    assert "meet *biweekly on Thursdays at <!date^" in again.text  # the time and length stay
    assert "|15:00>* for an hour from Monday 12 October 2026." in again.text
    told = [
        blocks_text(m["blocks"])
        for m in bot.slack.messages_in(people.conversation)
        if "set your rhythm" in blocks_text(m["blocks"])
    ]
    assert "|15:00>* for an hour, from Monday 12 October 2026" in told[0]
    with sessions() as session:
        lengths = session.scalars(sa.select(Agreement.meets_for).order_by(Agreement.id)).all()
    assert lengths == [60, 60]


def test_how_long_a_pair_meets_reads_naturally_and_defaults_to_an_hour():
    from bot.messages.terms import summary
    from bot.models import Cadence
    from bot.terms import DEFAULT_MEETING_MINUTES, Terms

    monthly = Terms(Cadence.MONTHLY, 3)
    assert summary(monthly, time=None) == "*monthly on Thursdays*"
    for minutes, words in ((30, "30 minutes"), (60, "an hour"), (90, "1½ hours"), (120, "2 hours")):
        terms = Terms(Cadence.MONTHLY, 3, meets_for=minutes)
        assert summary(terms, time=None) == f"*monthly on Thursdays* for {words}"
        assert terms.length == minutes
    assert DEFAULT_MEETING_MINUTES == 60
    assert monthly.length == DEFAULT_MEETING_MINUTES  # nothing said: a calendar's hour
