"""Closing's messages as pure builders: valid Block Kit, typed words printed as typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.views import View

from bot.demo.slack_requests import blocks_text
from bot.messages import ids
from bot.messages.closing import (
    close_answer,
    close_question,
    last_reflection_modal,
    last_reflection_shared,
    pair_closed,
)
from bot.messages.meetings import REFLECTION_MAX
from bot.services.keepsakes import Keepsake
from tests.messages.factories import HOSTILE, MENTEE_ID, MENTOR_ID
from tests.messages.slack_rules import (
    MAX_VIEW_BLOCKS,
    check_blocks,
    check_message,
    check_no_markup_but_mentions,
    unescape,
)

answers = st.one_of(
    st.text(max_size=REFLECTION_MAX),
    st.sampled_from(HOSTILE).map(lambda piece: (piece * REFLECTION_MAX)[:REFLECTION_MAX]),
)


@pytest.mark.parametrize("partner", [MENTEE_ID, None])
def test_the_question_and_its_answers(partner):
    question = close_question(pair_id=7, mentor=MENTOR_ID, mentee=MENTEE_ID, partner=partner)
    check_message(question)
    [actions] = [b for b in question.blocks if b["type"] == "actions"]
    close, keep = actions["elements"]
    assert (close["action_id"], close["value"], close["style"]) == (
        ids.CLOSE_CONFIRM,
        "7",
        "danger",
    )
    assert (keep["action_id"], keep["value"], "style" in keep) == (ids.CLOSE_KEEP, "7", False)
    for kind in ("closed", "kept"):
        check_message(close_answer(kind, mentor=MENTOR_ID, mentee=MENTEE_ID, partner=partner))


def test_the_kind_word_offers_a_last_reflection_and_another_pair():
    kept = Keepsake(weeks=9, meetings=7, goals_done=["A <b>"], lessons=["L"], partner_lessons=[])
    message = pair_closed(pair_id=7, partner=MENTEE_ID, keepsake=kept)
    check_message(message)
    reflect, another = message.blocks[-1]["elements"]
    assert (reflect["action_id"], reflect["value"]) == (ids.LAST_REFLECTION_OPEN, "7")
    assert (another["action_id"], another["value"]) == (ids.ANOTHER_PAIR, "7")
    seen = blocks_text(message.blocks)
    assert "You were paired for 9 weeks and met 7 times." in seen
    assert "*Goals you finished together*\n• A &lt;b&gt;" in seen
    assert "*What you planned to do differently*\n• L" in seen
    assert "shared they'd do differently" not in seen  # nothing the partner shared


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    goals=st.lists(answers, max_size=12),
    lessons=st.lists(answers, max_size=12),
    shared=st.lists(answers, max_size=12),
)
def test_any_keepsake_fits_a_message(goals, lessons, shared):
    kept = Keepsake(weeks=1, meetings=1, goals_done=goals, lessons=lessons, partner_lessons=shared)
    check_message(pair_closed(pair_id=7, partner=MENTEE_ID, keepsake=kept))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worked=answers, did_not_work=answers, differently=answers, shared=st.booleans())
def test_last_reflection_modal_and_share(worked, did_not_work, differently, shared):
    view = last_reflection_modal(
        pair_id=7,
        partner=MENTEE_ID,
        worked=worked,
        did_not_work=did_not_work,
        differently=differently,
        shared=shared,
    )
    assert View(**view).to_dict() == view
    check_blocks(view["blocks"], limit=MAX_VIEW_BLOCKS)
    share = view["blocks"][-1]["element"]
    assert ("initial_options" in share) is shared

    posted = last_reflection_shared(
        author=MENTOR_ID, worked=worked, did_not_work=did_not_work, differently=differently
    )
    check_message(posted)
    check_no_markup_but_mentions(posted, (MENTOR_ID,))
    shown = unescape(" ".join(b["text"]["text"] for b in posted.blocks[1:]))
    for answer in (worked, did_not_work, differently):
        if answer and len(answer) < 200:  # long ones are cut to Slack's limit
            assert answer.strip() in shown
