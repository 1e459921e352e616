"""Pairs and their goals."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, OptionalTimestamp, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import Cadence, GoalStatus, PairStatus
from bot.models.people import Person, Programme


class Pair(Base):
    """A mentor and a mentee in a programme, with their rhythm and status."""

    __tablename__ = "pair"
    __table_args__ = (
        # At most one open pair of the same two people in the same roles; the service
        # also refuses the roles swapped.
        sa.Index(
            "uq_pair_open_members",
            "programme_id",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=sa.text("status != 'closed'"),
            postgresql_where=sa.text("status != 'closed'"),
        ),
    )

    id: so.Mapped[intpk]
    programme_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("programme.id"))
    mentor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"), index=True)
    mentee_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"), index=True)
    cadence: so.Mapped[Cadence] = so.mapped_column(str_enum(Cadence))
    weekday: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    status: so.Mapped[PairStatus] = so.mapped_column(
        str_enum(PairStatus), default=PairStatus.ACTIVE
    )
    status_changed_at: so.Mapped[Timestamp]
    paused_until: so.Mapped[dt.date | None]
    # The day the pair last came back from a pause: no messages about days before it.
    resumed_on: so.Mapped[dt.date | None]
    closed_at: so.Mapped[OptionalTimestamp]
    # Since when the pair meets on its own after its programme ended: open, but the bot no
    # longer nudges it nor counts it for health.
    on_own_since: so.Mapped[dt.date | None]
    conversation_id: so.Mapped[SlackId | None]
    # When the scheduler should next look at this pair; NULL for closed pairs. Any change
    # to the pair's state sets it to now, so planning touches only pairs with work due.
    next_check_at: so.Mapped[OptionalTimestamp] = so.mapped_column(index=True)
    created_by: so.Mapped[SlackId]
    created_at: so.Mapped[Timestamp]

    programme: so.Mapped[Programme] = so.relationship()
    mentor: so.Mapped[Person] = so.relationship(foreign_keys=[mentor_id])
    mentee: so.Mapped[Person] = so.relationship(foreign_keys=[mentee_id])
    goals: so.Mapped[list[Goal]] = so.relationship(
        back_populates="pair", order_by="Goal.number", cascade="all, delete-orphan"
    )

    def partner_of(self, person: Person) -> Person:
        return self.mentee if person.id == self.mentor_id else self.mentor

    def role_of(self, person: Person) -> str:
        return "mentor" if person.id == self.mentor_id else "mentee"


class Goal(Base):
    """Something the pair works towards. `number` is stable within the pair."""

    __tablename__ = "goal"
    __table_args__ = (sa.UniqueConstraint("pair_id", "number"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    number: so.Mapped[int]
    owner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("person.id"))
    text: so.Mapped[str] = so.mapped_column(sa.String(300))
    target_date: so.Mapped[dt.date | None]
    status: so.Mapped[GoalStatus] = so.mapped_column(str_enum(GoalStatus), default=GoalStatus.OPEN)
    created_at: so.Mapped[Timestamp]
    updated_at: so.Mapped[Timestamp]

    pair: so.Mapped[Pair] = so.relationship(back_populates="goals")
    owner: so.Mapped[Person] = so.relationship()


class RhythmChange(Base):
    """One segment of a pair's rhythm: the cadence and day from `starts_on` (a period
    start) until the next change. A pair whose rhythm never changed has none (its own
    cadence and weekday are its only segment); the first change also stores the rhythm it
    replaced, from the day the pair started. The pair's own cadence and weekday are
    always the latest segment's."""

    __tablename__ = "rhythm_change"
    __table_args__ = (sa.UniqueConstraint("pair_id", "starts_on"),)

    id: so.Mapped[intpk]
    pair_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    starts_on: so.Mapped[dt.date]
    cadence: so.Mapped[Cadence] = so.mapped_column(str_enum(Cadence))
    weekday: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    # Who set it: the coordinator, or the member who agreed to `proposed_by`'s suggestion.
    set_by: so.Mapped[SlackId]
    proposed_by: so.Mapped[SlackId | None]
    created_at: so.Mapped[Timestamp]
