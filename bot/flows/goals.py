"""Goals: `/mentor-goals` lists them, or adds, edits, completes or drops one."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.calendar import local_date
from bot.db import transaction
from bot.deps import Deps
from bot.messages.blocks import Message
from bot.messages.goals import goal_change, goals_list, praise_nudge
from bot.rhythm.outbox import Owed, enqueue
from bot.services import goals as goal_service
from bot.services.pairs import pair_for
from bot.services.people import find_person

ATTEMPTS = 3


def goals(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    partner: str | None,
    action: str,
    number: int | None = None,
    text: str = "",
    target_date: dt.date | None = None,
) -> Message:
    """The pair's open goals (`list`), or one change, said in the pair's conversation so
    both see it; returns what the person who typed it is shown.

    Two goals added to one pair at the same instant would take the same number: the one
    that loses the race is rolled back whole and done again, with the next number."""
    for attempt in range(ATTEMPTS):
        try:
            return _goals(deps, team_id, user_id, partner, action, number, text, target_date)
        except sa.exc.IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _goals(
    deps: Deps,
    team_id: str,
    user_id: str,
    partner: str | None,
    action: str,
    number: int | None,
    text: str,
    target_date: dt.date | None,
) -> Message:
    now = deps.now()
    with transaction(deps.sessions) as session:
        person = find_person(session, team_id=team_id, user_id=user_id)
        pair = pair_for(session, person=person, partner_user_id=partner)
        assert person is not None  # pair_for refuses a person it does not know
        if action == "list":
            return goals_list(pair, person, goal_service.list_goals(session, pair=pair))
        goal = goal_service.change_goal(
            session,
            pair=pair,
            actor=person,
            action=action,
            number=number,
            text=text,
            target_date=target_date,
            today=local_date(person.tz, now),
            now=now,
        )
        posted, confirmation = goal_change(
            goal, action=action, actor=user_id, partner=pair.partner_of(person).slack_user_id
        )
        key = f"goal_changed:{pair.id}:{goal.number}:{action}:{now.isoformat()}"
        channel = pair.conversation_id or ""
        owed = [Owed(key, "goal_changed", channel, posted, now, pair.id)]
        if action == "done":  # and the mentor, privately: say what went well, specifically
            mentor, mentee = pair.mentor.slack_user_id, pair.mentee.slack_user_id
            praise = praise_nudge(goal, mentee=mentee)
            owed.append(
                Owed(f"praise:{pair.id}:{goal.number}", "praise", mentor, praise, now, pair.id)
            )
        enqueue(session, owed)
    deps.deliver([item.key for item in owed])
    return confirmation
