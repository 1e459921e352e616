"""A pair's periods, meetings and reflections."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import MeetingSource, PeriodAnswer, PulseAnswer
from bot.models.pairs import Pair
from bot.models.people import Person


class Period(Base):
    """One cadence interval of a pair, stored once the pair has said something about it."""

    __tablename__ = "period"
    __table_args__ = (sa.UniqueConstraint("pair_id", "starts_on"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    starts_on: so.Mapped[dt.date]
    meeting_day: so.Mapped[dt.date | None]  # set when rescheduled; else the pair's weekday
    answer: so.Mapped[PeriodAnswer] = so.mapped_column(str_enum(PeriodAnswer))
    reschedules: so.Mapped[int] = so.mapped_column(default=0)
    answered_by: so.Mapped[SlackId | None]
    updated_at: so.Mapped[Timestamp]


class Meeting(Base):
    """A confirmed meeting: at most one per pair per day."""

    __tablename__ = "meeting"
    __table_args__ = (sa.UniqueConstraint("pair_id", "held_on"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    held_on: so.Mapped[dt.date]
    source: so.Mapped[MeetingSource] = so.mapped_column(str_enum(MeetingSource))
    recorded_by: so.Mapped[SlackId]
    created_at: so.Mapped[Timestamp]

    pair: so.Mapped[Pair] = so.relationship()


class Reflection(Base):
    """One member's answers to the three after-action questions about one meeting.

    Private to the author unless `shared`; coordinators never see the text.
    """

    __tablename__ = "reflection"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "author_id"),)

    id: so.Mapped[intpk]
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"))
    worked: so.Mapped[str] = so.mapped_column(sa.Text)
    did_not_work: so.Mapped[str] = so.mapped_column(sa.Text)
    differently: so.Mapped[str] = so.mapped_column(sa.Text)
    shared: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[Timestamp]
    updated_at: so.Mapped[Timestamp]

    meeting: so.Mapped[Meeting] = so.relationship()
    author: so.Mapped[Person] = so.relationship()


class Pulse(Base):
    """One member's answer to the 30- or 90-day "how is it going?". The note is private."""

    __tablename__ = "pulse"
    __table_args__ = (sa.UniqueConstraint("pair_id", "person_id", "day"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"))
    day: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    answer: so.Mapped[PulseAnswer] = so.mapped_column(str_enum(PulseAnswer))
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    answered_at: so.Mapped[Timestamp]
