"""Every builder's payload passes Slack's Block Kit rules, with plausible values."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest
from jinja2 import meta

from bot.errors import UserError
from bot.messages.errors import apology, user_error
from bot.messages.goals import MAX_GOALS_SHOWN, goal_change, goals_list
from bot.messages.help import help_message
from bot.messages.home import home_view
from bot.messages.pairs import pair_created, welcome
from bot.messages.render import PROMPTS, environment
from bot.models import Cadence, PairStatus
from bot.services.goals import MAX_GOAL_LENGTH
from tests.messages.factories import (
    ECHOED,
    ERROR_CONTEXTS,
    MENTEE_ID,
    MENTOR_ID,
    goal,
    goals,
    pair,
    person,
)
from tests.messages.slack_rules import (
    MAX_TEXT_OBJECT,
    check_blocks,
    check_home_view,
    check_message,
)

ERROR_TEMPLATES = sorted(path.stem for path in (PROMPTS / "errors").glob("*.j2"))
COMMANDS = sorted(f"/{path.stem}" for path in (PROMPTS / "usage").glob("*.j2"))


def several_pairs(count: int, goals_each: int = 3):
    """(pair, me, goals) rows for the mentor, with distinct mentees and varied rhythms."""
    me = person(MENTOR_ID, id=1)
    rows = []
    for index in range(count):
        row_pair = pair(
            cadence=list(Cadence)[index % len(Cadence)],
            weekday=index % 5,
            status=list(PairStatus)[index % 4],
            mentee_user_id=f"U0MENTEE{index:02d}",
            mentee_id=index + 2,
        )
        texts = [f"Goal {n} of pair {index}: ship & review <things>" for n in range(goals_each)]
        dates = [dt.date(2027, 6, 30), *[None] * goals_each][:goals_each]
        rows.append((row_pair, me, goals(texts, dates)))
    return rows


@pytest.mark.parametrize("cadence", list(Cadence))
@pytest.mark.parametrize("weekday", range(5))
def test_welcome(cadence, weekday):
    message = welcome(pair(cadence=cadence, weekday=weekday))
    check_message(message)
    assert [block["type"] for block in message.blocks] == [
        "section",
        "section",
        "actions",
        "context",
    ]


def test_pair_created():
    check_message(pair_created(pair()))


@pytest.mark.parametrize("viewer", ["mentor", "mentee"])
@pytest.mark.parametrize("count", [0, 1, 5, MAX_GOALS_SHOWN, MAX_GOALS_SHOWN + 1, 60])
def test_goals_list(viewer, count):
    the_pair = pair()
    texts = ["x" * MAX_GOAL_LENGTH] * count
    message = goals_list(the_pair, getattr(the_pair, viewer), goals(texts))
    check_message(message)
    text = str(message.blocks)
    assert text.count("x" * MAX_GOAL_LENGTH) == min(count, MAX_GOALS_SHOWN)
    if count > MAX_GOALS_SHOWN:
        assert f"{count - MAX_GOALS_SHOWN} more" in text


@pytest.mark.parametrize("action", ["add", "edit", "done", "drop"])
@pytest.mark.parametrize("target_date", [None, dt.date(2027, 6, 30)])
def test_goal_change(action, target_date):
    changed = goal(4, "Give a talk at the guild", target_date)
    posted, confirmation = goal_change(changed, action=action, actor=MENTEE_ID, partner=MENTOR_ID)
    check_message(posted)
    check_message(confirmation)
    assert "Give a talk at the guild" in posted.text


@pytest.mark.parametrize("is_coordinator", [False, True])
def test_help(is_coordinator):
    message = help_message(is_coordinator=is_coordinator)
    check_message(message)
    assert ("/mentor-pair" in str(message.blocks)) is is_coordinator


@pytest.mark.parametrize("count", [0, 1, 2, 20])
def test_help_for_someone_in_no_pair(count):
    pairers = [f"U0COORD{n:02d}" for n in range(count)]
    message = help_message(is_coordinator=False, unpaired=True, pairers=pairers)
    check_message(message)
    first = message.blocks[0]["text"]["text"]
    assert "not in a mentoring pair yet" in first
    assert all(f"<@{user}>" in first for user in pairers)
    assert "/mentor-goals" in message.blocks[1]["text"]["text"]


def test_home_without_pairs():
    view = home_view(MENTOR_ID, [])
    check_home_view(view)
    assert "not in a mentoring pair" in str(view["blocks"])


@pytest.mark.parametrize("goals_each", [0, 1, 10, 11, 60])
def test_home_with_one_pair(goals_each):
    view = home_view(MENTOR_ID, several_pairs(1, goals_each))
    check_home_view(view)
    text = str(view["blocks"])
    shown = sum(f"Goal {n} of pair 0:" in text for n in range(goals_each))
    assert shown > 0 or goals_each == 0
    if shown < goals_each:
        assert f"{goals_each - shown} more" in text


@pytest.mark.parametrize("pairs", [2, 5])
def test_home_with_several_pairs(pairs):
    view = home_view(MENTOR_ID, several_pairs(pairs))
    check_home_view(view)
    for index in range(pairs):
        assert f"<@U0MENTEE{index:02d}>" in str(view["blocks"])


def test_home_for_the_mentee_names_the_mentor():
    the_pair = pair()
    view = home_view(MENTEE_ID, [(the_pair, the_pair.mentee, [])])
    check_home_view(view)
    assert f"<@{MENTOR_ID}>" in str(view["blocks"])
    assert f"<@{MENTEE_ID}>" not in str(view["blocks"])
    assert "mentee" in str(view["blocks"])


@pytest.mark.parametrize("pairs", [8, 32, 33, 40])
def test_home_with_many_pairs_shows_whole_pairs_and_keeps_its_footer(pairs):
    """Many pairs may not all fit in 100 blocks: each is shown whole, or counted as hidden."""
    view = home_view(MENTOR_ID, several_pairs(pairs))
    check_home_view(view)
    footer = view["blocks"][-1]
    assert footer["type"] == "context", "the footer was cut"
    assert "/mentor-help" in footer["elements"][0]["text"]
    shown_text = str(view["blocks"])
    hidden = 0
    for index in range(pairs):
        goal_texts = [f"Goal {n} of pair {index}:" for n in range(3)]
        if f"<@U0MENTEE{index:02d}>" in shown_text:
            assert all(text in shown_text for text in goal_texts), f"pair {index} was cut"
        else:
            assert not any(text in shown_text for text in goal_texts), f"pair {index} was cut"
            hidden += 1
    assert hidden < pairs
    if hidden:
        assert f"{hidden} more" in shown_text


def test_home_with_ten_long_goals():
    """Ten goals of the longest length the service accepts fit on the Home tab."""
    the_pair = pair()
    long_goals = goals(["a" * MAX_GOAL_LENGTH] * 10)
    check_home_view(home_view(MENTOR_ID, [(the_pair, the_pair.mentor, long_goals)]))


def test_every_error_template_has_plausible_values():
    assert ERROR_TEMPLATES, "no templates found in prompts/errors/"
    assert COMMANDS, "no templates found in prompts/usage/"
    assert sorted(ERROR_CONTEXTS) == ERROR_TEMPLATES


@pytest.mark.parametrize("code", ERROR_TEMPLATES)
def test_error_context_names_what_the_template_prints(code):
    source = (PROMPTS / "errors" / f"{code}.j2").read_text()
    needed = meta.find_undeclared_variables(environment().parse(source)) - {"command"}
    assert needed == set(ERROR_CONTEXTS.get(code, {}))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("code", ERROR_TEMPLATES)
def test_user_error(code, command):
    message = user_error(UserError(code, **ERROR_CONTEXTS[code]), command=command)
    check_message(message)
    assert message.blocks[0]["text"]["text"].startswith(":warning: ")
    assert message.blocks[1]["elements"][0]["text"].startswith("Usage: `" + command)


def test_user_error_without_a_value_its_template_needs_is_loud():
    with pytest.raises(jinja2.UndefinedError):
        user_error(UserError("goal_too_long"), command="/mentor-goals")


@pytest.mark.parametrize(("code", "name"), ECHOED)
def test_user_error_echoing_very_long_input_stays_within_limits(code, name):
    """Slack sends a command's text whole, so a word can be longer than a section allows."""
    values = {**ERROR_CONTEXTS[code], name: "<" * MAX_TEXT_OBJECT}
    check_message(user_error(UserError(code, **values), command="/mentor-goals"))


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("/mentor-goals add Ship it & <b>", id="short"),
        pytest.param("/mentor-goals add " + "&" * MAX_TEXT_OBJECT, id="long-and-escaped"),
        pytest.param("/mentor-goals add ``` end of fence", id="fence"),
    ],
)
def test_apology_gives_back_what_was_typed_within_limits(typed):
    sorry = apology(typed)
    check_message(sorry)
    shown = sorry.blocks[1]["text"]["text"]
    assert shown.startswith("```/mentor-goals add ") and shown.endswith("```")
    assert shown.count("```") == 2


def test_checks_catch_what_slack_refuses():
    """The checks above can fail: one example of each rule broken."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    with pytest.raises(AssertionError):
        check_blocks([section] * 51, limit=50)
    with pytest.raises(AssertionError):
        check_blocks([], limit=50)
    with pytest.raises(AssertionError):
        check_blocks([{"type": "no_such_block"}], limit=50)
    too_long = {"type": "context", "elements": [{"type": "mrkdwn", "text": "x" * 3001}]}
    with pytest.raises(AssertionError):
        check_blocks([too_long], limit=50)
    with pytest.raises(Exception, match="3000"):
        check_blocks([{**section, "text": {"type": "mrkdwn", "text": "x" * 3001}}], limit=50)


@pytest.mark.parametrize("lesson", [None, "Bring an agenda", "<&>" * 1700, "x" * 4000])
def test_a_reminder_carries_any_lesson_within_slacks_limits(lesson):
    from bot.messages.nudges import reminder

    message = reminder(partner="UPARTNER1", role="mentee", lesson=lesson)
    check_message(message)
    assert (len(message.blocks) == 2) is bool(lesson)
    assert "planned to do this differently" not in message.text  # not in notifications


def test_who_would_like_another_pair_names_forty_and_says_there_are_more():
    from bot.messages.pairs import pairs_list
    from bot.services.digest import MAX_READY_AGAIN

    waiting = [f"UWAIT{n:04d}" for n in range(MAX_READY_AGAIN + 1)]
    listed = pairs_list([], which="all", today=dt.date(2026, 10, 5), limit=40, ready_again=waiting)
    assert listed.blocks[-1]["elements"][0]["text"].count("<@UWAIT") == MAX_READY_AGAIN
    assert "and more: the 40 waiting longest are named" in str(listed.blocks)
    shown = pairs_list(
        [], which="all", today=dt.date(2026, 10, 5), limit=40, ready_again=waiting[:3]
    )
    assert "and more" not in str(shown.blocks)
