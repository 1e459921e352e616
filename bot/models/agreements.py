"""The pair's agreement: what one member proposes and the other agrees (or a coordinator
sets), and what each member hopes to get out of the pairing."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, OptionalTimestamp, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import AgreementStatus, Cadence, MeetingWay, ReplySpeed

MAX_WAY_WORDS = 60
MAX_HOPE = 500


class Agreement(Base):
    """A proposal of the pair's terms; once the partner agrees (or a coordinator sets
    them), the pair's agreement for the periods from `starts_on`. The latest agreed row
    starting on or before a period holds that period's terms; its cadence and day are
    also the pair's rhythm then (bot.services.rhythms keeps those segments)."""

    __tablename__ = "agreement"

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("pair.id", ondelete="CASCADE"), index=True
    )
    cadence: so.Mapped[Cadence] = so.mapped_column(str_enum(Cadence))
    weekday: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    # The usual time of day, in the mentee's zone; None: any time that day.
    meets_at: so.Mapped[dt.time | None]
    # How long they usually meet, in minutes; None: not said.
    meets_for: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    meets_by: so.Mapped[MeetingWay | None] = so.mapped_column(str_enum(MeetingWay))
    # A few words of the pair's own for how they meet, instead of `meets_by`.
    meets_by_words: so.Mapped[str | None] = so.mapped_column(sa.String(MAX_WAY_WORDS))
    answers_within: so.Mapped[ReplySpeed | None] = so.mapped_column(str_enum(ReplySpeed))
    status: so.Mapped[AgreementStatus] = so.mapped_column(
        str_enum(AgreementStatus), default=AgreementStatus.PROPOSED
    )
    proposed_by: so.Mapped[SlackId]
    proposed_at: so.Mapped[Timestamp]
    agreed_by: so.Mapped[SlackId | None]
    agreed_at: so.Mapped[OptionalTimestamp]
    starts_on: so.Mapped[dt.date | None]


class Hope(Base):
    """What one member hopes to get out of the pairing: the pair's to read, nobody else's."""

    __tablename__ = "hope"
    __table_args__ = (sa.UniqueConstraint("pair_id", "person_id"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"))
    text: so.Mapped[str] = so.mapped_column(sa.String(MAX_HOPE))
    updated_at: so.Mapped[Timestamp]
