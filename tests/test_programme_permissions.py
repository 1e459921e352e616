"""Two programmes: each coordinator acts on their own programme's pairs only, whatever they
type or press (forged button values included); the installation's admins act on both; a
pair's members act on their pair whichever programme it is in."""

from __future__ import annotations

import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.messages import ids
from bot.models import Pair, PairStatus, Programme
from tests.channels import COORDINATOR_CHANNEL
from tests.conftest import COORDINATOR
from tests.rhythm.every_listener import action, submission
from tests.rhythm.people import home_of

ENG_LEAD = "UENGLEAD1"
MENTOR_A, MENTEE_A = "UMENTORA1", "UMENTEEA1"  # in the default programme
MENTOR_B, MENTEE_B = "UMENTORB1", "UMENTEEB1"  # in eng-mentoring


def two_programmes(bot, sessions) -> tuple[int, int]:
    for user in (ENG_LEAD, MENTOR_A, MENTEE_A, MENTOR_B, MENTEE_B):
        bot.slack.add_user(user, tz="Europe/Berlin")
    bot.command("/mentor-programme", "new eng-mentoring Engineering mentoring", user=COORDINATOR)
    bot.command(
        "/mentor-programme", f"set eng-mentoring coordinators {mention(ENG_LEAD)}", user=COORDINATOR
    )
    bot.command("/mentor-pair", f"{mention(MENTOR_A)} {mention(MENTEE_A)}", user=COORDINATOR)
    made = bot.command("/mentor-pair", f"{mention(MENTOR_B)} {mention(MENTEE_B)}", user=ENG_LEAD)
    assert "Pairing" in made.text or "Paired" in made.text, made.text
    with sessions() as session:
        rows = session.execute(
            sa.select(Pair.id, Programme.handle).join(Programme).order_by(Pair.id)
        ).all()
    assert [handle for _, handle in rows] == ["mentoring", "eng-mentoring"]
    return rows[0][0], rows[1][0]


def refusals(bot) -> list[str]:
    return [c.args.get("text", "") for c in bot.slack.calls_to("chat.postEphemeral")]


def statuses(sessions) -> dict[int, PairStatus]:
    with sessions() as session:
        return dict(session.execute(sa.select(Pair.id, Pair.status)).all())


def test_a_programmes_coordinator_cannot_touch_another_programmes_pair(bot, sessions):
    pair_a, _ = two_programmes(bot, sessions)
    before = statuses(sessions)

    typed = {
        "/mentor-pairs mentoring": "I don't know `mentoring`",
        "/mentor-digest mentoring": "There's no programme `mentoring` that you coordinate",
        f"/mentor-close {mention(MENTOR_A)} {mention(MENTEE_A)}": "aren't a pair",
        f"/mentor-rhythm {mention(MENTOR_A)} {mention(MENTEE_A)} monthly thu": "aren't a pair",
        f"/mentor-pair {mention(MENTOR_A)} {mention(MENTEE_B)} mentoring": "I don't know",
    }
    for line, expected in typed.items():
        command, _, text = line.partition(" ")
        reply = bot.command(command, text, user=ENG_LEAD).text
        assert expected in reply, (line, reply)

    bot.slack.reset_calls()
    for action_id in (ids.DORMANT_NUDGE, ids.DORMANT_PAUSE, ids.DORMANT_CLOSE, ids.CLOSE_CONFIRM):
        assert bot.interaction(action(ENG_LEAD, action_id, value=str(pair_a))).status == 200
    assert bot.interaction(action(ENG_LEAD, ids.REPAIR_OPEN, value=str(pair_a))).status == 200
    someone = {ids.REPAIR_USER: {ids.REPAIR_USER: {"type": "users_select", "selected_user": "U9"}}}
    refused = bot.interaction(submission(ENG_LEAD, ids.REPAIR_MODAL, {"pair_id": pair_a}, someone))
    assert refused.status == 200 and "errors" in refused.body
    told = refusals(bot)
    assert len(told) >= 4  # each button pressed on a message (the form's refusal is in it)
    assert all("belongs to another pair" in text for text in told), told
    assert bot.slack.calls_to("views.open") == []  # no form for another programme's pair
    assert statuses(sessions) == before

    listing = bot.command("/mentor-pairs", user=ENG_LEAD).text
    assert MENTOR_B in listing and MENTOR_A not in listing
    named = bot.command("/mentor-pairs", "eng-mentoring all", user=ENG_LEAD).text
    assert "*Open pairs* (1)" in named and MENTOR_B in named


def test_the_admin_acts_on_both_and_members_on_their_own(bot, sessions):
    pair_a, pair_b = two_programmes(bot, sessions)

    both = [
        bot.command("/mentor-pairs", handle, user=COORDINATOR).text
        for handle in ("mentoring", "eng-mentoring")
    ]
    assert MENTOR_A in both[0] and MENTOR_B in both[1] and MENTOR_B not in both[0]
    assert bot.interaction(action(COORDINATOR, ids.DORMANT_PAUSE, value=str(pair_b))).status == 200
    assert bot.interaction(action(ENG_LEAD, ids.DORMANT_CLOSE, value=str(pair_b))).status == 200
    bot.command("/mentor-close", mention(MENTOR_A), user=MENTEE_A)
    assert bot.interaction(action(MENTEE_A, ids.CLOSE_CONFIRM, value=str(pair_a))).status == 200
    assert statuses(sessions) == {pair_a: PairStatus.CLOSED, pair_b: PairStatus.CLOSED}


def test_a_programme_without_a_channel_alerts_the_admins_by_dm(bot, sessions):
    for user in (MENTOR_B, MENTEE_B):
        bot.slack.add_user(user, tz="Europe/Berlin")
    bot.command("/mentor-programme", "new quiet-one Quiet programme", user=COORDINATOR)
    bot.command(
        "/mentor-pair", f"{mention(MENTOR_B)} {mention(MENTEE_B)} quiet-one", user=COORDINATOR
    )
    bot.slack.reset_calls()

    user = {**bot.slack.users[MENTOR_B], "deleted": True}
    assert bot.event({"type": "user_change", "user": user}, event_id="EvGONE").status == 200

    [alert] = [m for m in bot.slack.messages_in(COORDINATOR) if "left" in m["text"]]
    assert f"<@{MENTOR_B}>" in alert["text"]
    assert bot.slack.messages_in(COORDINATOR_CHANNEL) == []  # not the default's channel


def test_each_coordinators_home_overviews_the_programmes_they_run(bot, sessions):
    two_programmes(bot, sessions)

    admin, lead = home_of(bot, COORDINATOR), home_of(bot, ENG_LEAD)

    assert "Programme overview · Mentoring programme" in admin
    assert "Programme overview · Engineering mentoring" in admin
    assert "Programme overview" in lead and "·" not in lead.split("\n")[0]
    assert "Mentoring programme" not in lead and MENTOR_A not in lead
