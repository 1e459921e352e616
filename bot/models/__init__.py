"""The data model. Import models from here so Alembic sees every table."""

from bot.models.agreements import Agreement, Hope
from bot.models.base import Base, utcnow
from bot.models.enums import (
    AgreementStatus,
    Cadence,
    GoalStatus,
    MeetingSource,
    MeetingWay,
    OutboxStatus,
    PairStatus,
    PeriodAnswer,
    PulseAnswer,
    ReplySpeed,
)
from bot.models.outbox import OutboxMessage
from bot.models.pairs import Goal, Pair, RhythmChange
from bot.models.people import CalendarFeed, Person, Programme, ProgrammeCoordinator
from bot.models.rate_limits import SlackRateLimit
from bot.models.requests import PairRequest
from bot.models.rhythm import Meeting, Period, Pulse, Reflection

__all__ = [
    "Agreement",
    "AgreementStatus",
    "Base",
    "Cadence",
    "CalendarFeed",
    "Goal",
    "GoalStatus",
    "Hope",
    "Meeting",
    "MeetingSource",
    "MeetingWay",
    "OutboxMessage",
    "OutboxStatus",
    "Pair",
    "PairRequest",
    "PairStatus",
    "Period",
    "PeriodAnswer",
    "Person",
    "Programme",
    "ProgrammeCoordinator",
    "Pulse",
    "PulseAnswer",
    "Reflection",
    "ReplySpeed",
    "RhythmChange",
    "SlackRateLimit",
    "utcnow",
]
