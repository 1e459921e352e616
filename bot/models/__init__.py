"""The data model. Import models from here so Alembic sees every table."""

from bot.models.base import Base, utcnow
from bot.models.enums import (
    Cadence,
    GoalStatus,
    MeetingSource,
    OutboxStatus,
    PairStatus,
    PeriodAnswer,
    PulseAnswer,
)
from bot.models.outbox import OutboxMessage
from bot.models.pairs import Goal, Pair, RhythmChange
from bot.models.people import Person, Programme
from bot.models.rate_limits import SlackRateLimit
from bot.models.requests import PairRequest
from bot.models.rhythm import Meeting, Period, Pulse, Reflection

__all__ = [
    "Base",
    "Cadence",
    "Goal",
    "GoalStatus",
    "Meeting",
    "MeetingSource",
    "OutboxMessage",
    "OutboxStatus",
    "Pair",
    "PairRequest",
    "PairStatus",
    "Period",
    "PeriodAnswer",
    "Person",
    "Programme",
    "Pulse",
    "PulseAnswer",
    "Reflection",
    "RhythmChange",
    "SlackRateLimit",
    "utcnow",
]
