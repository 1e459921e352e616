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
    """One member's answers to the three after-action questions, about one meeting, or, with
    no meeting, about their whole time in the pair: the last reflection, offered when the
    pair closes (a pair may close without ever having met). One of each per author.

    Private to the author unless `shared`; coordinators never see the text.
    """

    __tablename__ = "reflection"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "author_id"),
        # The constraint above treats NULL meeting_ids as distinct, so the last reflection
        # needs its own: at most one per author per pair.
        sa.Index(
            "uq_reflection_last",
            "pair_id",
            "author_id",
            unique=True,
            sqlite_where=sa.text("meeting_id IS NULL"),
            postgresql_where=sa.text("meeting_id IS NULL"),
        ),
    )

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("pair.id", ondelete="CASCADE"), index=True
    )
    # NULL for the last reflection, which is about the pair rather than one meeting.
    meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE")
    )
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"))
    worked: so.Mapped[str] = so.mapped_column(sa.Text)
    did_not_work: so.Mapped[str] = so.mapped_column(sa.Text)
    differently: so.Mapped[str] = so.mapped_column(sa.Text)
    shared: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[Timestamp]
    updated_at: so.Mapped[Timestamp]

    pair: so.Mapped[Pair] = so.relationship()
    meeting: so.Mapped[Meeting | None] = so.relationship()
    author: so.Mapped[Person] = so.relationship()

    @so.validates("meeting")
    def _in_the_meetings_pair(self, _key: str, meeting: Meeting | None) -> Meeting | None:
        """A reflection on a meeting belongs to the meeting's pair, unless told otherwise."""
        if meeting is not None and self.pair_id is None and self.pair is None:
            if meeting.pair is not None:
                self.pair = meeting.pair
            else:
                self.pair_id = meeting.pair_id
        return meeting


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
