"""Closing's messages as pure builders: valid Block Kit, typed words printed as typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.views import View

from bot.messages import ids
from bot.messages.closing import (
    close_answer,
    close_question,
    last_reflection_modal,
    last_reflection_shared,
    pair_closed,
)
from bot.messages.meetings import REFLECTION_MAX
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


def test_the_kind_word_offers_a_last_reflection():
    message = pair_closed(pair_id=7, partner=MENTEE_ID)
    check_message(message)
    [button] = message.blocks[-1]["elements"]
    assert (button["action_id"], button["value"]) == (ids.LAST_REFLECTION_OPEN, "7")


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
