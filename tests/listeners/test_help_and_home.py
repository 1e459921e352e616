"""/mentor-help and the App Home tab."""

from __future__ import annotations

from bot.demo.slack_requests import blocks_text, mention
from tests.conftest import COORDINATOR

MENTOR, MENTEE = "UMENTOR01", "UMENTEE01"


def home_opened(bot, user):
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1.1",
    }
    reply = bot.event(event)
    assert reply.status == 200
    [published] = bot.slack.calls_to("views.publish")
    bot.slack.reset_calls()
    assert published.args["user_id"] == user
    assert published.args["view"]["type"] == "home"
    return blocks_text(published.args["view"]["blocks"])


def test_help_lists_every_command_with_examples(bot):
    member = bot.command("/mentor-help", user=MENTEE)
    assert member.json["response_type"] == "ephemeral"
    for example in (
        "/mentor-goals add",
        "/mentor-goals done 2",
        "/mentor-goals @partner",
        "/mentor-help",
    ):
        assert example in member.text
    assert "/mentor-pair" not in member.text

    coordinator = bot.command("/mentor-help", user=COORDINATOR)
    assert "/mentor-pair @mentor @mentee" in coordinator.text
    assert "/mentor-pair @ana @ben weekly tue" in coordinator.text


def test_home_welcomes_someone_with_no_pair(bot):
    seen = home_opened(bot, "UNEWCOMER")
    assert "You're not in a mentoring pair yet" in seen


def test_home_shows_partner_role_rhythm_and_open_goals(bot):
    bot.slack.add_user(MENTOR)
    bot.slack.add_user(MENTEE)
    bot.command(
        "/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} monthly wed", user=COORDINATOR
    )
    bot.command("/mentor-goals", "add Run a retro", user=MENTEE)
    bot.command("/mentor-goals", "add Finished one", user=MENTEE)
    bot.command("/mentor-goals", "done 2", user=MENTEE)
    bot.slack.reset_calls()

    mentee_home = home_opened(bot, MENTEE)
    assert f"*With <@{MENTOR}>* — you are the mentee" in mentee_home
    assert "Rhythm: *monthly on Wednesdays*" in mentee_home
    assert "Pencilled in by your coordinator" in mentee_home
    assert "*#1* Run a retro" in mentee_home
    assert "Finished one" not in mentee_home

    mentor_home = home_opened(bot, MENTOR)
    assert f"*With <@{MENTEE}>* — you are the mentor" in mentor_home
    assert "*#1* Run a retro" in mentor_home


def test_messages_tab_opening_publishes_nothing(bot):
    event = {
        "type": "app_home_opened",
        "user": MENTEE,
        "channel": "D0HOME",
        "tab": "messages",
        "event_ts": "1.1",
    }
    assert bot.event(event).status == 200
    assert bot.slack.calls_to("views.publish") == []
