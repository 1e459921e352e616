"""The coordinators' overview on App Home, built without a database: Slack's rules, the
100-block budget shared with the coordinator's own pairs, and the note after a button."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.demo.slack_requests import blocks_text
from bot.messages import ids
from bot.messages.home import home_view
from bot.messages.overview import MAX_ATTENTION_SHOWN, MAX_OVERVIEW_BLOCKS, action_note
from bot.models import PairStatus
from bot.services.digest import MAX_ATTENTION, AttentionPair, DigestFigures
from tests.messages.factories import MENTOR_ID
from tests.messages.slack_rules import MAX_VIEW_BLOCKS, check_home_view
from tests.messages.test_block_kit import several_pairs

TODAY = dt.date(2026, 10, 8)


def figures(needing_a_hand: int) -> DigestFigures:
    attention = [
        AttentionPair(n, f"UMR{n:03d}", f"UME{n:03d}", PairStatus.DORMANT, dt.date(2026, 8, 1))
        for n in range(min(needing_a_hand, MAX_ATTENTION))
    ]
    return DigestFigures(
        week_start=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
        week_end=dt.datetime(2026, 10, 12, tzinfo=dt.UTC),
        active=40,
        at_risk=0,
        dormant=needing_a_hand,
        paused=3,
        closed_this_week=1,
        meetings_this_week=12,
        meetings_last_week=15,
        goals_completed=4,
        reflections=9,
        pulses={"not_working": 1, "going_well": 6},
        attention=attention,
    )


@pytest.mark.parametrize("needing_a_hand", [0, 1, MAX_ATTENTION_SHOWN, 11, 500])
@pytest.mark.parametrize(("own_pairs", "goals_each"), [(0, 0), (1, 2), (7, 60), (40, 10)])
def test_the_overview_and_the_coordinators_own_pairs_share_the_100_blocks(
    needing_a_hand, own_pairs, goals_each
):
    view = home_view(
        MENTOR_ID,
        several_pairs(own_pairs, goals_each),
        overview=figures(needing_a_hand),
        today=TODAY,
        note=action_note("paused", user="UCOORD01", mentor="UMR001", mentee="UME001"),
    )
    check_home_view(view)
    blocks = view["blocks"]
    assert len(blocks) <= MAX_VIEW_BLOCKS
    seen = blocks_text(blocks)
    assert blocks[0]["text"]["text"] == "Programme overview"
    assert "<@UCOORD01> paused the pair of <@UMR001> and <@UME001>." in seen
    shown = min(needing_a_hand, MAX_ATTENTION_SHOWN)
    nudges = [
        element["value"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ids.DORMANT_NUDGE
    ]
    assert nudges == [str(n) for n in range(shown)]
    if needing_a_hand > shown:
        assert f"…and {needing_a_hand - shown} more: `/mentor-pairs dormant`" in seen
    else:
        assert "more: `/mentor-pairs" not in seen
    overview_end = next(i for i, b in enumerate(blocks) if "Counts and states only" in str(b))
    assert overview_end < MAX_OVERVIEW_BLOCKS
    if own_pairs:
        assert "Your mentoring" in seen
        assert "/mentor-help" in blocks[-1]["elements"][0]["text"], "the footer was cut"
        assert "<@U0MENTEE00>" in seen  # at least the first pair, whole
    else:
        assert "Your mentoring" not in seen and "not in a mentoring pair" not in seen


def test_the_overview_words():
    seen = blocks_text(home_view("UCOORD01", [], overview=figures(2), today=TODAY)["blocks"])
    assert "This week so far: Monday 5 October 2026 to Sunday 11 October 2026" in seen
    assert "*Meetings* · 12 this week, 15 last week (:arrow_down: 3)" in seen
    assert "*Pulse check-ins this week* · 6 going well · 1 not working" in seen
    assert "*2 pairs need a hand*" in seen
    assert (
        "<@UMR000> and <@UME000> · *dormant* · last met Saturday 1 August 2026 (68 days ago)"
        in (seen)
    )


def test_the_overview_needs_today():
    with pytest.raises(ValueError, match="today"):
        home_view("UCOORD01", [], overview=figures(1))


@pytest.mark.parametrize("kind", ["nudged", "paused", "closed"])
def test_every_button_has_a_note_naming_the_pair(kind):
    note = action_note(kind, user="UCOORD01", mentor="UMR<&>", mentee="UME001")
    assert "<@UCOORD01>" in note and "<@UMR&lt;&amp;&gt;>" in note and "<@UME001>" in note


def test_several_programmes_share_the_view_and_the_rest_are_counted():
    busy = figures(20)
    view = home_view(
        "UCOORD01",
        [],
        overviews=[(f"Programme {n}", busy) for n in range(3)],
        more_programmes=2,
        today=TODAY,
    )
    check_home_view(view)
    seen = blocks_text(view["blocks"])
    assert [f"Programme overview · Programme {n}" in seen for n in range(3)] == [True] * 3
    assert "…and 2 more programmes you coordinate" in seen
    assert len(view["blocks"]) <= 100
