"""Messages about a pair: registering it, the list coordinators see, pausing and resuming
it, and a member leaving the workspace."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextObject,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.messages import ids, render
from bot.messages import terms as wording
from bot.messages.blocks import Message, context, message, section
from bot.messages.rhythms import rhythm_button
from bot.models import Pair
from bot.services.agreements import Standing


def _rhythm(pair: Pair) -> dict[str, object]:
    return {
        "mentor": pair.mentor.slack_user_id,
        "mentee": pair.mentee.slack_user_id,
        "cadence": pair.cadence.value,
        "weekday": pair.weekday,
    }


def welcome(pair: Pair) -> Message:
    """Posted in the pair's conversation: agree your rhythm, mentee shares goals."""
    parts = render.parts("welcome", **_rhythm(pair))
    return message(
        parts["fallback"],
        [
            section(parts["text"]),
            section(parts["rhythm"]),
            rhythm_button(pair_id=pair.id),
            context(parts["goals"]),
        ],
    )


def pair_requested(*, mentor: str, mentee: str) -> Message:
    """The coordinator's answer to `/mentor-pair` while Slack is asked the rest."""
    text = render.text("pair_requested", mentor=mentor, mentee=mentee)
    return message(text, [section(text)])


def pair_created(
    pair: Pair, *, welcome_error: str | None = None, welcome_waiting: bool = False
) -> Message:
    """The coordinator's ephemeral confirmation, saying whether the welcome was posted."""
    parts = render.parts(
        "pair_created",
        welcome_error=welcome_error,
        welcome_waiting=welcome_waiting,
        **_rhythm(pair),
    )
    return message(parts["text"], [section(parts["text"])])


MAX_PAIRS_LISTED = 40  # one section each, within a message's 50 blocks


def pairs_list(
    rows: list,
    *,
    which: str,
    today: dt.date,
    limit: int,
    ready_again: list[str] = (),
    standings: dict[int, Standing] | None = None,
) -> Message:
    """`/mentor-pairs`: one line per pair (IDs, state, rhythm and how they meet, last
    meeting), no private text; then who would like another pair."""
    standings = standings or {}
    parts = render.parts(
        "pairs_list",
        which=which,
        count=len(rows[:limit]),
        more=len(rows) > limit,
        ready_again=list(ready_again),
    )
    blocks = [section(parts["heading"])]
    blocks += [
        section(
            render.text(
                "pair_line",
                pair=row,
                days=(today - row.last_met).days if row.last_met else None,
                **_rhythm_for_coordinators(standings.get(row.pair_id)),
            )
        )
        for row in rows[:limit]
    ]
    if not rows:
        blocks.append(section(parts["empty"]))
    if len(rows) > limit:
        blocks.append(context(parts["more_text"]))
    if parts["ready"]:
        blocks.append(context(parts["ready"]))
    return message(parts["heading"], blocks)


def _rhythm_for_coordinators(standing: Standing | None) -> dict[str, object]:
    """The rhythm and the way they meet, as coordinators may see them: never the hopes, and
    never the pair's own words for how they meet."""
    if standing is None:
        return {"terms": None, "agreed": False, "next_on": None, "next_terms": None}
    terms = replace(standing.terms, meets_by_words=None)
    later = standing.next_change
    return {
        "terms": wording.summary(terms, time=None),
        "agreed": standing.agreed is not None,
        "next_on": later[0] if later else None,
        "next_terms": wording.summary(replace(later[1], meets_by_words=None), time=None)
        if later
        else None,
    }


def paused(*, user: str, until: dt.date | None) -> tuple[Message, Message]:
    parts = render.parts("paused", user=user, until=until)
    return (
        message(parts["posted"], [section(parts["posted"])]),
        message(parts["confirmation"], [section(parts["confirmation"])]),
    )


def resumed(*, user: str, weekday: int) -> tuple[Message, Message]:
    parts = render.parts("resumed", user=user, weekday=weekday)
    return (
        message(parts["posted"], [section(parts["posted"])]),
        message(parts["confirmation"], [section(parts["confirmation"])]),
    )


def partner_left(*, user: str) -> Message:
    """A kind DM to the one who stays when their partner leaves the workspace."""
    text = render.text("partner_left", user=user)
    return message(text, [section(text)])


def member_left(*, pair_id: int, user: str, partner: str) -> Message:
    """To the coordinators: a member left; *Pair them with someone new* for the one who
    stays."""
    parts = render.parts("member_left", user=user, partner=partner, role="")
    button = ButtonElement(text=parts["button"], action_id=ids.REPAIR_OPEN, value=str(pair_id))
    return message(
        parts["text"],
        [section(parts["text"]), ActionsBlock(block_id=f"repair:{pair_id}", elements=[button])],
    )


def repair_modal(*, pair_id: int, partner: str, role: str) -> dict[str, Any]:
    """The coordinator's form: who the member who stays (`partner`) is paired with now, in
    the `role` the one who left had."""
    parts = render.parts("member_left", user="", partner=partner, role=role)
    view = View(
        type="modal",
        callback_id=ids.REPAIR_MODAL,
        private_metadata=json.dumps({"pair_id": pair_id}),
        title=PlainTextObject(text=parts["title"]),
        submit=PlainTextObject(text=parts["submit"]),
        blocks=[
            section(parts["intro"]),
            InputBlock(
                block_id=ids.REPAIR_USER,
                label=parts["picker"],
                element=UserSelectElement(action_id=ids.REPAIR_USER),
            ),
        ],
    )
    return view.to_dict()
