"""What a person's App Home shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import orm as so

from bot.calendar import local_date
from bot.models import Goal, Pair, Person
from bot.services.agreements import Standing, hopes_of, standings
from bot.services.goals import list_goals
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person


@dataclass(frozen=True)
class AgreementShown:
    """What App Home says of a pair's agreement: where it stands today, and both hopes
    (the pair's own to read)."""

    standing: Standing
    hopes: dict[int, str]  # person id -> their hope
    today: dt.date


# Each pair with its member and open goals, and (when known) its agreement.
PersonPairs = list[
    tuple[Pair, Person, list[Goal]] | tuple[Pair, Person, list[Goal], AgreementShown]
]


def home_for(session: so.Session, *, team_id: str, user_id: str, now: dt.datetime) -> PersonPairs:
    """The person's open pairs with their open goals and where their agreement stands;
    empty for someone the bot has not met."""
    person = find_person(session, team_id=team_id, user_id=user_id)
    if person is None:
        return []
    pairs = open_pairs_of(session, person)
    today = {pair.id: local_date(pair.mentee.tz, now) for pair in pairs}
    stood = {pair.id: standings(session, [pair], today[pair.id])[pair.id] for pair in pairs}
    return [
        (
            pair,
            person,
            list_goals(session, pair=pair),
            AgreementShown(stood[pair.id], hopes_of(session, pair), today[pair.id]),
        )
        for pair in pairs
    ]
