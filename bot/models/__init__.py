"""The data model. Import models from here so Alembic sees every table."""

from bot.models.base import Base, utcnow
from bot.models.enums import Cadence, GoalStatus, PairStatus
from bot.models.pairs import Goal, Pair
from bot.models.people import Person, Programme

__all__ = [
    "Base",
    "Cadence",
    "Goal",
    "GoalStatus",
    "Pair",
    "PairStatus",
    "Person",
    "Programme",
    "utcnow",
]
