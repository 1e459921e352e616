"""/mentor-digest: coordinators see counts and states now; nobody sees anyone's words."""

from __future__ import annotations

from freezegun import freeze_time

from bot.demo.slack_requests import mention
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"


@freeze_time("2026-10-08T12:00:00Z")
def test_digest_counts_this_week_and_shows_no_private_text(bot):
    bot.slack.add_user(MENTOR, tz="Europe/Berlin")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-goals", "add SECRET-GOAL-TEXT by 2027-01-01", user=MENTEE)
    bot.command("/mentor-goals", "done 1", user=MENTEE)
    bot.command("/mentor-log", "today", user=MENTEE)

    member = bot.command("/mentor-digest", user=MENTEE)
    assert "Only programme coordinators" in member.text

    reply = bot.command("/mentor-digest", user=COORDINATOR)
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "SECRET-GOAL-TEXT" not in reply.body
    seen = reply.text
    assert "Monday 5 October 2026 to Sunday 11 October 2026" in seen
    assert "1 active · :large_yellow_circle: 0 at risk" in seen
    assert "*Meetings* · 1 this week, 0 last week" in seen
    assert "*Goals completed* · 1" in seen


@freeze_time("2026-10-08T12:00:00Z")
def test_pairs_lists_by_status_for_coordinators_only(bot, sessions):
    for user in (MENTOR, MENTEE, "UMENTOR02", "UMENTEE02"):
        bot.slack.add_user(user, tz="Europe/Berlin")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    bot.command("/mentor-pair", f"{mention('UMENTOR02')} {mention('UMENTEE02')}", user=COORDINATOR)
    assert "Recorded" in bot.command("/mentor-log", "today", user=MENTEE).text
    assert "Paused" in bot.command("/mentor-pause", "2w", user="UMENTEE02").text

    assert "Only programme coordinators" in bot.command("/mentor-pairs", user=MENTEE).text
    everything = bot.command("/mentor-pairs", user=COORDINATOR).text
    assert "*Open pairs* (2)" in everything
    lines = everything.splitlines()
    assert lines[1] == (
        "<@UMENTOR02> / <@UMENTEE02> · paused · *biweekly on Tuesdays* (pencilled) · no meeting yet"
    )
    assert lines[2] == (
        f"<@{MENTOR}> / <@{MENTEE}> · active · *weekly on Tuesdays* (pencilled)"
        " · last met Thursday 8 October 2026 (today)"
    )
    paused = bot.command("/mentor-pairs", "paused", user=COORDINATOR).text
    assert "*Paused pairs* (1)" in paused and MENTOR not in paused
    assert "None right now." in bot.command("/mentor-pairs", "dormant", user=COORDINATOR).text
    wrong = bot.command("/mentor-pairs", "sleepy", user=COORDINATOR)
    assert "I don't know `sleepy`" in wrong.text and "Usage: `/mentor-pairs" in wrong.text
