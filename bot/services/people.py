"""People the bot knows and the programme they belong to."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Cadence, Person, Programme, utcnow


def get_or_create_person(
    session: so.Session, *, team_id: str, user_id: str, tz: str | None = None
) -> Person:
    """The person with this Slack ID, created if new; `tz` refreshes their zone when given."""
    person = session.scalar(
        sa.select(Person).where(Person.team_id == team_id, Person.slack_user_id == user_id)
    )
    if person is None:
        person = Person(team_id=team_id, slack_user_id=user_id, tz=tz or "UTC")
        session.add(person)
    if tz:
        person.tz = tz
        person.tz_refreshed_at = utcnow()
    session.flush()
    return person


def find_person(session: so.Session, *, team_id: str, user_id: str) -> Person | None:
    return session.scalar(
        sa.select(Person).where(Person.team_id == team_id, Person.slack_user_id == user_id)
    )


def default_programme(
    session: so.Session,
    *,
    name: str,
    coordinator_channel_id: str | None,
    default_cadence: Cadence = Cadence.BIWEEKLY,
    default_weekday: int = 1,
) -> Programme:
    """The programme the settings describe, created on first use and kept in step with them."""
    programme = session.scalar(sa.select(Programme).where(Programme.name == name))
    if programme is None:
        programme = Programme(
            name=name,
            coordinator_channel_id=coordinator_channel_id,
            default_cadence=default_cadence,
            default_weekday=default_weekday,
        )
        session.add(programme)
        session.flush()
    elif programme.coordinator_channel_id != coordinator_channel_id:
        programme.coordinator_channel_id = coordinator_channel_id
    return programme
