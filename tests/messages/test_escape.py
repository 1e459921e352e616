"""`render.escape`: exactly Slack's three control characters, `&` first, and nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages.render import Mrkdwn, environment, escape, mention
from tests.messages.factories import HOSTILE
from tests.messages.slack_rules import BARE_AMPERSAND, unescape

ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

typed = st.one_of(
    st.text(),
    st.lists(st.sampled_from(HOSTILE)).map("".join),
    st.text(alphabet="&<>;amplgt#!@ \n"),
)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("&lt;", "&amp;lt;"),
        ("&amp;", "&amp;amp;"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("<https://evil|x>", "&lt;https://evil|x&gt;"),
        ("a & b > c < d", "a &amp; b &gt; c &lt; d"),
        ("*bold* _it_ ~s~ `c` \"q\" 'a'", "*bold* _it_ ~s~ `c` \"q\" 'a'"),
        ("", ""),
    ],
)
def test_escape_examples(raw, escaped):
    assert escape(raw) == escaped


def test_escape_prints_any_value():
    assert escape(42) == "42"
    assert escape(None) == "None"


@settings(max_examples=100, deadline=None)
@given(text=typed)
def test_unescaping_in_reverse_order_gives_the_input_back(text):
    assert unescape(escape(text)) == text


@settings(max_examples=100, deadline=None)
@given(text=typed)
def test_escape_changes_exactly_the_three_control_characters(text):
    assert escape(text) == "".join(ENTITIES.get(char, char) for char in text)
    assert "<" not in escape(text)
    assert ">" not in escape(text)
    assert not BARE_AMPERSAND.search(escape(text))


def test_mentions_are_markup_with_an_escaped_id():
    assert mention("U123") == "<@U123>"
    assert isinstance(mention("U123"), Mrkdwn)
    assert mention("U1><!channel") == "<@U1&gt;&lt;!channel>"


@settings(max_examples=50, deadline=None)
@given(text=typed)
def test_templates_escape_plain_values_and_print_mrkdwn_as_it_is(text):
    template = environment().from_string("{{ plain }}|{{ markup }}|{{ number }}|{{ nothing }}")
    printed = template.render(plain=text, markup=Mrkdwn("<!here>"), number=7, nothing=None)
    assert printed == f"{escape(text)}|<!here>|7|"
