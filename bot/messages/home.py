"""The App Home tab: a coordinator's programme overview, then the person's own pairs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.messages import render
from bot.messages import terms as wording
from bot.messages.blocks import MAX_BLOCKS_VIEW, context, divider, header, section
from bot.messages.overview import MAX_ATTENTION_SHOWN, overview_blocks
from bot.models import Goal, Pair, Person
from bot.periods import first_weekday_on_or_after
from bot.services.agreements import terms_of
from bot.services.digest import DigestFigures
from bot.services.home import AgreementShown, PersonPairs
from bot.terms import Terms

MAX_GOALS_PER_PAIR = 10
# Up to 14 blocks a pair (divider, summary, hopes, ten goals, "more"): with the header and
# footer, whole pairs are shown while they fit in 100 blocks and the rest are counted.
MAX_PAIRS_SHOWN = 7
_TRAILING_BLOCKS = 3  # "…and N more pairs", the calendar link and the footer, after the pairs


MAX_OVERVIEWS = 3  # programmes overviewed in full; more are named in one line


def home_view(
    person_user_id: str,
    pairs: PersonPairs,
    *,
    overview: DigestFigures | None = None,
    overviews: Sequence[tuple[str, DigestFigures]] = (),
    more_programmes: int = 0,
    today: dt.date | None = None,
    note: str | None = None,
    calendar: str | None = None,
) -> dict[str, Any]:
    """Each pair: partner, role, rhythm, open goals. A welcome for someone with no pair.

    With `overview` (coordinators only) the programme overview comes first, dated by
    `today`, with `note` under its title; with `overviews`, one for each programme the
    coordinator runs (at most MAX_OVERVIEWS, named when there are several, sharing out the
    pairs needing a hand), and a line for the `more_programmes` left out. A coordinator in
    no pair sees only the overviews. `calendar` is the person's private feed link.
    """
    blocks: list[Block] = []
    sections: list[tuple[str | None, DigestFigures]] = (
        [(None, overview)] if overview is not None else list(overviews)
    )
    if sections:
        if today is None:
            raise ValueError("the overview needs today's date for 'last met N days ago'")
        shown = sections[:MAX_OVERVIEWS]
        more = more_programmes + len(sections) - len(shown)
        each = max(1, MAX_ATTENTION_SHOWN // len(shown))
        for index, (name, figures) in enumerate(shown):
            blocks += overview_blocks(
                figures,
                today=today,
                note=note if index == 0 else None,
                programme=name if len(sections) > 1 or more else None,
                attention_shown=each,
            )
        if more:
            blocks.append(context(render.text("home_more_programmes", more=more)))
        if not pairs:
            return _view(blocks)
        blocks.append(divider())
    blocks += _own_pairs(
        person_user_id, pairs, budget=MAX_BLOCKS_VIEW - len(blocks), calendar=calendar
    )
    return _view(blocks)


def _own_pairs(
    person_user_id: str, pairs: PersonPairs, *, budget: int, calendar: str | None
) -> list[Block]:
    """The person's pairs in at most `budget` blocks: whole pairs only, the rest counted."""
    blocks: list[Block] = []
    shown = 0
    for pair, me, goals, *agreement in pairs[:MAX_PAIRS_SHOWN]:
        pair_blocks = _pair_blocks(pair, me, goals, agreement[0] if agreement else None)
        if 1 + len(blocks) + len(pair_blocks) + _TRAILING_BLOCKS > budget:
            break
        blocks += pair_blocks
        shown += 1
    hidden_pairs = len(pairs) - shown
    parts = render.parts(
        "home",
        user=person_user_id,
        count=len(pairs),
        hidden_pairs=hidden_pairs,
        calendar=calendar,
    )
    blocks.insert(0, header(parts["title"]))
    if not pairs:
        blocks.append(section(parts["empty"]))
    if hidden_pairs:
        blocks.append(context(parts["more_pairs"]))
    if calendar and pairs:
        blocks.append(context(parts["calendar"]))
    blocks.append(context(parts["footer"]))
    return blocks


def _pair_blocks(
    pair: Pair, me: Person, goals: list[Goal], agreement: AgreementShown | None
) -> list[Block]:
    shown = goals[:MAX_GOALS_PER_PAIR]
    partner = pair.partner_of(me)
    pair_parts = render.parts(
        "home_pair",
        partner=partner.slack_user_id,
        role=pair.role_of(me),
        status=pair.status.value,
        hidden=len(goals) - len(shown),
        **_agreement_words(pair, me, partner, agreement),
    )
    blocks: list[Block] = [divider(), section(pair_parts["summary"])]
    if pair_parts["hopes"]:  # their own block, one element each: escaped, they may be long
        blocks.append(context(*pair_parts["hopes"].splitlines()))
    blocks += [section(render.text("goal_line", goal=goal)) for goal in shown]
    if not goals:
        blocks.append(section(pair_parts["no_goals"]))
    elif len(goals) > len(shown):
        blocks.append(context(pair_parts["more_goals"]))
    return blocks


_AGREEMENT_WORDS = (
    "terms",
    "pencilled",
    "set_by",
    "agreed_by",
    "proposed_by",
    "agreed_on",
    "next_on",
    "next_terms",
    "waiting_terms",
    "waiting_for_me",
    "my_hope",
    "partner_hope",
)


def _agreement_words(
    pair: Pair, me: Person, partner: Person, agreement: AgreementShown | None
) -> dict[str, object]:
    """The agreement's parts of a pair's summary, times in the reader's zone."""
    if agreement is None:
        terms = wording.summary(Terms(pair.cadence, pair.weekday), time=None)
        return dict.fromkeys(_AGREEMENT_WORDS) | {"terms": terms}

    def said(terms: Terms, day: dt.date) -> render.Mrkdwn:
        first = first_weekday_on_or_after(day, terms.weekday)  # the clock of that day
        at = wording.time_for(me.tz, pair.mentee.tz, first, terms.meets_at)
        return wording.summary(terms, time=at)

    standing, today = agreement.standing, agreement.today
    row, waiting = standing.agreed, standing.waiting
    words: dict[str, object] = {
        "terms": said(standing.terms, today),
        "pencilled": row is None,
        "set_by": row.agreed_by if row and row.agreed_by == row.proposed_by else None,
        "agreed_by": row.agreed_by if row else None,
        "proposed_by": row.proposed_by if row else None,
        "agreed_on": row.agreed_at.date() if row and row.agreed_at else None,
        "next_on": standing.next_change[0] if standing.next_change else None,
        "next_terms": said(*reversed(standing.next_change)) if standing.next_change else None,
        "waiting_terms": said(terms_of(waiting), today) if waiting else None,
        "waiting_for_me": waiting is not None and waiting.proposed_by != me.slack_user_id,
        "my_hope": agreement.hopes.get(me.id),
        "partner_hope": agreement.hopes.get(partner.id),
    }
    assert set(words) == set(_AGREEMENT_WORDS)
    return words


def _view(blocks: list[Block]) -> dict[str, Any]:
    if len(blocks) > MAX_BLOCKS_VIEW:
        raise ValueError(f"{len(blocks)} blocks, more than a view's {MAX_BLOCKS_VIEW}")
    return View(type="home", blocks=blocks).to_dict()
