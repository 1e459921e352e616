"""People the bot knows and the programme they belong to."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Person, utcnow


def get_or_create_person(
    session: so.Session,
    *,
    team_id: str,
    user_id: str,
    tz: str | None = None,
    name: str | None = None,
) -> Person:
    """The person with this Slack ID, created if new; `tz` refreshes their zone and `name`
    the name Slack shows for them, each when given."""
    person = session.scalar(
        sa.select(Person).where(Person.team_id == team_id, Person.slack_user_id == user_id)
    )
    if person is None:
        person = Person(team_id=team_id, slack_user_id=user_id, tz=tz or "UTC")
        session.add(person)
    if tz:
        person.tz = tz
        person.tz_refreshed_at = utcnow()
    if name:
        person.name = name
    session.flush()
    return person


def find_person(session: so.Session, *, team_id: str, user_id: str) -> Person | None:
    return session.scalar(
        sa.select(Person).where(Person.team_id == team_id, Person.slack_user_id == user_id)
    )
