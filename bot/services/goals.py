"""A pair's goals: add, edit, complete, drop, list."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.errors import UserError
from bot.models import Goal, GoalStatus, Pair, Person, utcnow

MAX_GOAL_LENGTH = 300


def list_goals(session: so.Session, *, pair: Pair, include_closed: bool = False) -> list[Goal]:
    query = sa.select(Goal).where(Goal.pair_id == pair.id).order_by(Goal.number)
    if not include_closed:
        query = query.where(Goal.status == GoalStatus.OPEN)
    return list(session.scalars(query))


def add_goal(
    session: so.Session,
    *,
    pair: Pair,
    owner: Person,
    text: str,
    target_date: dt.date | None,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Goal:
    text = _checked_text(text)
    _check_target(target_date, today)
    number = (
        session.scalar(sa.select(sa.func.max(Goal.number)).where(Goal.pair_id == pair.id)) or 0
    ) + 1
    goal = Goal(pair=pair, number=number, owner=owner, text=text, target_date=target_date)
    if now is not None:
        goal.created_at = goal.updated_at = now
    session.add(goal)
    session.flush()
    return goal


def edit_goal(
    session: so.Session,
    *,
    pair: Pair,
    number: int,
    text: str,
    target_date: dt.date | None,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Goal:
    goal = _open_goal(session, pair=pair, number=number)
    goal.text = _checked_text(text)
    if target_date is not None:
        _check_target(target_date, today)
        goal.target_date = target_date
    goal.updated_at = now or utcnow()
    return goal


def set_status(
    session: so.Session,
    *,
    pair: Pair,
    number: int,
    status: GoalStatus,
    now: dt.datetime | None = None,
) -> Goal:
    goal = _open_goal(session, pair=pair, number=number)
    goal.status = status
    goal.updated_at = now or utcnow()
    return goal


def change_goal(
    session: so.Session,
    *,
    pair: Pair,
    actor: Person,
    action: str,
    number: int | None,
    text: str,
    target_date: dt.date | None,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Goal:
    """Apply one of add, edit, done, drop; `today` is the actor's local date and `now` the
    instant (the listeners' clock; the wall clock if not given)."""
    if action == "add":
        return add_goal(
            session,
            pair=pair,
            owner=actor,
            text=text,
            target_date=target_date,
            today=today,
            now=now,
        )
    assert number is not None
    if action == "edit":
        return edit_goal(
            session,
            pair=pair,
            number=number,
            text=text,
            target_date=target_date,
            today=today,
            now=now,
        )
    status = {"done": GoalStatus.DONE, "drop": GoalStatus.DROPPED}[action]
    return set_status(session, pair=pair, number=number, status=status, now=now)


def _open_goal(session: so.Session, *, pair: Pair, number: int) -> Goal:
    goal = session.scalar(sa.select(Goal).where(Goal.pair_id == pair.id, Goal.number == number))
    if goal is None:
        numbers = [g.number for g in list_goals(session, pair=pair)]
        raise UserError("no_such_goal", number=number, numbers=numbers)
    if goal.status != GoalStatus.OPEN:
        raise UserError("goal_not_open", number=number, status=goal.status.value)
    return goal


def _checked_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise UserError("goal_text_missing")
    if len(text) > MAX_GOAL_LENGTH:
        raise UserError("goal_too_long", length=len(text), limit=MAX_GOAL_LENGTH)
    return text


def _check_target(target_date: dt.date | None, today: dt.date) -> None:
    if target_date is not None and target_date < today:
        raise UserError("date_in_past", date=target_date.isoformat())
