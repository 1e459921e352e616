"""Requests saved before Slack is answered and finished after it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, OptionalTimestamp, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import Cadence


class PairRequest(Base):
    """A coordinator's `/mentor-pair`: saved, and Slack answered, before anyone is looked
    up; finished after the acknowledgement (both people looked up, their conversation
    opened, the pair stored with its welcome owed), or by the clock's next pass if the
    process stopped first. A request is deleted in the transaction that stores its pair
    (or when it is refused), so it is finished once, and a row here is one unfinished."""

    __tablename__ = "pair_request"

    id: so.Mapped[intpk]
    programme_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE")
    )
    team_id: so.Mapped[SlackId]
    coordinator: so.Mapped[SlackId]
    mentor: so.Mapped[SlackId]
    mentee: so.Mapped[SlackId]
    cadence: so.Mapped[Cadence | None] = so.mapped_column(str_enum(Cadence))
    weekday: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    response_url: so.Mapped[str | None] = so.mapped_column(sa.String(512))
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    claimed_at: so.Mapped[OptionalTimestamp] = so.mapped_column(index=True)
    created_at: so.Mapped[Timestamp]
