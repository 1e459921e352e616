"""Values the model stores as words."""

from __future__ import annotations

import enum


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class PairStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    AT_RISK = "at_risk"
    DORMANT = "dormant"
    CLOSED = "closed"


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class PeriodAnswer(enum.StrEnum):
    """What the pair said about a period's meeting day."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    RESCHEDULED = "rescheduled"
    SKIPPED = "skipped"
    MISSED = "missed"


class MeetingSource(enum.StrEnum):
    REACTION = "reaction"
    BUTTON = "button"
    COMMAND = "command"


class PulseAnswer(enum.StrEnum):
    GOING_WELL = "going_well"
    COULD_BE_BETTER = "could_be_better"
    NOT_WORKING = "not_working"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# What a person may type for a meeting weekday: `tue` or `tuesday`, Monday is 0.
WEEKDAY_WORDS = {
    **{day: index for index, day in enumerate(WEEKDAYS)},
    **{name.lower(): index for index, name in enumerate(WEEKDAY_NAMES[:5])},
}


class MeetingWay(enum.StrEnum):
    """How a pair meets, when it says (or its own words instead)."""

    VIDEO = "video"
    IN_PERSON = "in_person"
    PHONE = "phone"
    WALK = "walk"


class ReplySpeed(enum.StrEnum):
    """How fast the two answer each other between meetings."""

    SAME_DAY = "same_day"
    TWO_DAYS = "two_days"
    WEEK = "week"


class AgreementStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    OVERTAKEN = "overtaken"  # a later proposal, agreement or coordinator's setting came first
