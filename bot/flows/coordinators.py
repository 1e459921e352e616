"""What coordinators do: the digest and the list of pairs on demand, and the one-click
actions on an alert, the digest or their Home tab (nudge again, pause, close)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.calendar import local_date
from bot.db import transaction
from bot.deps import Deps
from bot.errors import UserError
from bot.flows import closing, home
from bot.messages import health as health_messages
from bot.messages.blocks import Message
from bot.messages.overview import action_note
from bot.messages.pairs import MAX_PAIRS_LISTED, pairs_list
from bot.models import Pair, PairStatus
from bot.rhythm.outbox import Owed, enqueue
from bot.services import lifecycle, programmes
from bot.services.pairs import pair_in_programmes

log = logging.getLogger(__name__)

PAIR_FILTERS = {
    "at-risk": (PairStatus.AT_RISK,),
    "dormant": (PairStatus.DORMANT,),
    "paused": (PairStatus.PAUSED,),
    "all": (PairStatus.ACTIVE, PairStatus.AT_RISK, PairStatus.DORMANT, PairStatus.PAUSED),
}


def digest(deps: Deps, *, user_id: str, handle: str | None = None) -> Message:
    """This week's digest so far of a programme the coordinator runs (the one named, or
    theirs), to them (the chart comes weekly)."""
    from bot.messages.digest import digest_message  # draws with matplotlib: load on use
    from bot.services.digest import week_so_far

    now = deps.now()
    with deps.sessions() as session:
        programme = programmes.chosen(session, user_id, deps.settings.coordinators, handle)
        schedule = programmes.schedule_of(programme)
        figures = week_so_far(session, programme_id=programme.id, now=now, schedule=schedule)
    return digest_message(figures, today=schedule.today(now))


def pairs(deps: Deps, *, user_id: str, which: str, handle: str | None = None) -> Message:
    """A programme's pairs in one state (or all open ones): who, state, last meeting; the
    programme named, or the coordinator's own."""
    if which not in PAIR_FILTERS:
        raise UserError("pairs_unknown_filter", word=which)
    from bot.services.agreements import standings_by_id
    from bot.services.digest import pairs_in, ready_again

    with deps.sessions() as session:
        programme = programmes.chosen(
            session,
            user_id,
            deps.settings.coordinators,
            handle,
            mistyped=UserError("pairs_unknown_filter", word=handle),
        )
        rows = pairs_in(
            session,
            programme_id=programme.id,
            statuses=PAIR_FILTERS[which],
            limit=MAX_PAIRS_LISTED + 1,
        )
        ready = ready_again(session, programme_id=programme.id)
        today = deps.now().date()
        stood = standings_by_id(session, [row.pair_id for row in rows], today)
    return pairs_list(
        rows, which=which, today=today, limit=MAX_PAIRS_LISTED, ready_again=ready, standings=stood
    )


def act(
    deps: Deps,
    client: WebClient,
    *,
    kind: str,
    user_id: str,
    team_id: str,
    pair_id: int,
    on_home: bool,
) -> Message | None:
    """Nudge again, pause or close a pair of the programme; coordinators only, and never
    about a closed pair. Pressed on the Home tab, the tab is drawn again with what was
    done (returns None); elsewhere, returns the note shown under the message."""
    if not deps.is_coordinator(user_id):
        raise UserError("coordinator_only")
    now = deps.now()
    with transaction(deps.sessions) as session:
        pair = pair_in_programmes(
            session, pair_id=pair_id, programme_ids=deps.coordinated(session, user_id)
        )
        lifecycle.ensure_open(pair)
        members = {"mentor": pair.mentor.slack_user_id, "mentee": pair.mentee.slack_user_id}
        if kind == "nudged":
            keys = _nudge_again(session, deps, pair)
        elif kind == "paused":
            lifecycle.pause(pair, until=None, today=local_date(pair.mentee.tz, now), now=now)
            keys = []
        else:
            keys = closing.close(session, deps, pair)
    deps.deliver(keys)
    if on_home:
        note = action_note(kind, user=user_id, **members)
        deps.after(_redraw_home, deps, client, team_id=team_id, user_id=user_id, note=note)
        return None
    return health_messages.coordinator_action(kind, user=user_id)


def _redraw_home(deps: Deps, client: WebClient, *, team_id: str, user_id: str, note: str) -> None:
    try:
        home.publish(deps, client, team_id=team_id, user_id=user_id, note=note)
    except SlackApiError as error:  # done all the same; only the redrawn tab is missed
        log.warning("home tab not redrawn: %s", error.response.get("error"))


def _nudge_again(session, deps: Deps, pair: Pair) -> list[str]:
    """The gentle word to the pair once more, at most once a day."""
    now, hours = deps.now(), deps.settings.hours
    today = local_date(pair.mentee.tz, now)
    message = health_messages.at_risk(
        mentee=pair.mentee.slack_user_id, mentor=pair.mentor.slack_user_id
    )
    key = f"renudge:{pair.id}:{today.isoformat()}"
    at = hours.next_open(pair.mentee.tz, now)
    enqueue(session, [Owed(key, "renudge", pair.conversation_id or "", message, at, pair.id)])
    return [key]
