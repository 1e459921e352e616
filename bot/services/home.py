"""What a person's App Home shows."""

from __future__ import annotations

from sqlalchemy import orm as so

from bot.models import Goal, Pair, Person
from bot.services.goals import list_goals
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person


def home_for(
    session: so.Session, *, team_id: str, user_id: str
) -> list[tuple[Pair, Person, list[Goal]]]:
    """The person's open pairs with their open goals; empty for someone the bot has not met."""
    person = find_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        return []
    return [
        (pair, person, list_goals(session, pair=pair)) for pair in open_pairs_of(session, person)
    ]
