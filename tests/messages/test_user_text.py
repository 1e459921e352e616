"""Whatever people type, builders stay within Slack's limits and print it, never obey it.

Each check removes only the mentions the builder itself makes, and user text includes typed
mentions of the pair's members, so an unescaped one cannot pass for the bot's own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.messages.blocks import Message
from bot.messages.errors import user_error
from bot.messages.goals import MAX_GOALS_SHOWN, goal_change, goals_list
from bot.messages.home import home_view
from bot.models import Cadence, PairStatus
from tests.messages.factories import (
    ECHOED,
    ERROR_CONTEXTS,
    MENTEE_ID,
    MENTOR_ID,
    goal,
    goal_specs,
    goals_from,
    pair,
    target_dates,
    user_text,
)
from tests.messages.slack_rules import (
    check_home_view,
    check_message,
    check_no_markup_but_mentions,
    unescape,
)

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    # Shrinking two bugs in lists of long goals at once takes minutes; one is enough to report.
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(specs=goal_specs, viewer=st.sampled_from(["mentor", "mentee"]))
def test_goals_list(specs, viewer):
    the_pair, goals = pair(), goals_from(specs)
    message = goals_list(the_pair, getattr(the_pair, viewer), goals)
    check_message(message)
    partner = MENTEE_ID if viewer == "mentor" else MENTOR_ID
    check_no_markup_but_mentions(message, (partner,))
    shown = goals[:MAX_GOALS_SHOWN]
    for block, listed in zip(message.blocks[1 : 1 + len(shown)], shown, strict=True):
        assert listed.text.strip() in unescape(block["text"]["text"])


ACTOR, PARTNER = "U0ACTOR01", "U0PARTNR1"


@PROPERTY
@given(
    text=user_text,
    target_date=target_dates,
    action=st.sampled_from(["add", "edit", "done", "drop"]),
    number=st.integers(1, 10_000),
)
def test_goal_change(text, target_date, action, number):
    changed = goal(number, text, target_date)
    posted, confirmation = goal_change(changed, action=action, actor=ACTOR, partner=PARTNER)
    for message in (posted, confirmation):
        check_message(message)
        check_no_markup_but_mentions(message, (ACTOR, PARTNER))
    assert text.strip() in unescape(posted.text)


# One pair of the mentor's, drawn as plain values so a failing example prints readably.
pair_specs = st.tuples(
    st.sampled_from(Cadence),
    st.integers(0, 4),
    st.sampled_from([status for status in PairStatus if status != PairStatus.CLOSED]),
    goal_specs,
)


def home_rows(specs):
    rows = []
    for index, (cadence, weekday, status, goals) in enumerate(specs):
        row_pair = pair(
            cadence=cadence,
            weekday=weekday,
            status=status,
            mentee_user_id=f"U0PARTNR{index}",
            mentee_id=index + 2,
        )
        rows.append((row_pair, row_pair.mentor, goals_from(goals)))
    return rows


@PROPERTY
@given(specs=st.lists(pair_specs, max_size=4))
def test_home_view(specs):
    rows = home_rows(specs)
    view = home_view(MENTOR_ID, rows)
    check_home_view(view)
    partners = tuple(row_pair.mentee.slack_user_id for row_pair, _, _ in rows)
    check_no_markup_but_mentions(view, partners)


@PROPERTY
@given(data=st.data(), echoed=st.sampled_from(ECHOED))
def test_user_error_prints_typed_words_as_text(data, echoed):
    code, name = echoed
    typed = data.draw(user_text.map(lambda text: text[:200]).filter(bool), label=name)
    values = {**ERROR_CONTEXTS[code], name: typed}
    message = user_error(UserError(code, **values), command="/mentor-goals")
    check_message(message)
    check_no_markup_but_mentions(message, ())
    # Echoed words may be shortened (and backticks shown as quotes, so they cannot end
    # the code span), but the person can recognise how theirs begin.
    assert typed[:20].strip().replace("`", "'") in unescape(message.text)


HOSTILE = ["<!channel>", "<@U123>", "<https://evil|x>", "&lt;b&gt;", "AT&T"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_goal_text_that_looks_like_markup_is_printed_as_typed(hostile):
    """One plain example of the properties above, so a failure here reads at a glance."""
    the_pair = pair()
    message = goals_list(
        the_pair, the_pair.mentor, [goal(1, f"a {hostile} b", dt.date(2027, 1, 4))]
    )
    line = message.blocks[1]["text"]["text"]
    assert hostile not in line
    assert unescape(line) == f"*#1* a {hostile} b — _by Monday 4 January 2027_"


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h != "&lt;b&gt;"])
def test_markup_check_fails_on_unescaped_text(hostile):
    with pytest.raises(AssertionError):
        check_no_markup_but_mentions(Message(text=f"a {hostile} b"), (MENTOR_ID,))
    with pytest.raises(AssertionError):
        check_no_markup_but_mentions(Message(text=f"<@{MENTEE_ID}> {hostile}"), (MENTOR_ID,))
    check_no_markup_but_mentions(Message(text=f"<@{MENTOR_ID}> a &lt;b&gt; &amp;"), (MENTOR_ID,))
