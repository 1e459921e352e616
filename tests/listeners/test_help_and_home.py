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


def first_block(reply) -> str:
    return blocks_text(reply.json["blocks"][:1])


def test_help_tells_someone_in_no_pair_so_first_and_who_can_pair_them(bot):
    reply = bot.command("/mentor-help", user="UNEWCOMER")

    first = first_block(reply)
    assert "not in a mentoring pair yet" in first
    # The default programme names no coordinators of its own: its admins pair people.
    assert f"<@{COORDINATOR}>" in first
    assert "/mentor-goals add" in reply.text  # then the commands, as for everyone


def test_help_names_the_programmes_own_coordinators_to_someone_in_no_pair(bot):
    bot.slack.add_user("UCOORD02")
    set_them = f"set mentoring coordinators {mention('UCOORD02')} {mention('UCOORD03')}"
    assert "Sorry" not in bot.command("/mentor-programme", set_them, user=COORDINATOR).text

    first = first_block(bot.command("/mentor-help", user="UNEWCOMER"))

    assert "<@UCOORD02>" in first and "<@UCOORD03>" in first
    assert f"<@{COORDINATOR}>" not in first


def test_help_for_a_member_or_a_coordinator_starts_with_the_commands(bot):
    bot.slack.add_user(MENTOR)
    bot.slack.add_user(MENTEE)
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)}", user=COORDINATOR)

    for user in (MENTEE, MENTOR, COORDINATOR):
        reply = bot.command("/mentor-help", user=user)
        assert "not in a mentoring pair" not in reply.text
        assert "/mentor-goals" in first_block(reply)
