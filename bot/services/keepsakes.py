"""What a member keeps when their pair closes: how long, how often they met, the goals
they finished, and the lessons (their own "do differently" answers, and the ones their
partner shared). Only ever shown to that member: their own pair's words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Goal, GoalStatus, Meeting, Pair, Person, Reflection

MAX_LISTED = 10  # goals, and lessons of each kind


@dataclass(frozen=True)
class Keepsake:
    weeks: int
    meetings: int
    goals_done: list[str]
    lessons: list[str]
    partner_lessons: list[str]


def keepsake_for(session: so.Session, *, pair: Pair, member: Person, now: dt.datetime) -> Keepsake:
    partner = pair.partner_of(member)
    meetings = session.scalar(
        sa.select(sa.func.count()).select_from(Meeting).where(Meeting.pair_id == pair.id)
    )
    goals = session.scalars(
        sa.select(Goal.text)
        .where(Goal.pair_id == pair.id, Goal.status == GoalStatus.DONE)
        .order_by(Goal.number)
        .limit(MAX_LISTED)
    ).all()
    return Keepsake(
        weeks=max(1, (now - pair.created_at).days // 7),
        meetings=meetings or 0,
        goals_done=list(goals),
        lessons=_lessons(session, pair, member, shared_only=False),
        partner_lessons=_lessons(session, pair, partner, shared_only=True),
    )


def _lessons(session: so.Session, pair: Pair, author: Person, *, shared_only: bool) -> list[str]:
    query = sa.select(Reflection.differently).where(
        Reflection.pair_id == pair.id,
        Reflection.author_id == author.id,
        Reflection.differently != "",
    )
    if shared_only:
        query = query.where(Reflection.shared.is_(True))
    return list(session.scalars(query.order_by(Reflection.created_at).limit(MAX_LISTED)))
