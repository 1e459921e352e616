"""Every scheduled message, written before it is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import (
    Base,
    OptionalTimestamp,
    SlackId,
    Timestamp,
    UTCDateTime,
    intpk,
    str_enum,
)
from bot.models.enums import OutboxStatus


class OutboxMessage(Base):
    """A message the bot owes someone. `key` is unique, so it is owed at most once.

    Delivery claims pending rows, posts them with the key in Slack message metadata,
    and records the `ts`. A row left `sending` by a crash is reconciled by looking for
    its key in the conversation before it is sent again.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_deliverable", "status", "not_before"),
        sa.Index("ix_outbox_posted", "channel", "slack_ts"),
    )

    id: so.Mapped[intpk]
    key: so.Mapped[str] = so.mapped_column(sa.String(160), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    pair_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("pair.id", ondelete="CASCADE"), index=True
    )
    channel: so.Mapped[SlackId]
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    status: so.Mapped[OutboxStatus] = so.mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    not_before: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
    expires_at: so.Mapped[OptionalTimestamp]
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    claimed_at: so.Mapped[OptionalTimestamp]
    sent_at: so.Mapped[OptionalTimestamp]
    slack_ts: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    error: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[Timestamp]
