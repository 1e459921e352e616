"""Programmes and the people in them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, OptionalTimestamp, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import Cadence


class Programme(Base):
    """Coordinators' channel and defaults for the pairs in it."""

    __tablename__ = "programme"

    id: so.Mapped[intpk]
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    coordinator_channel_id: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    default_cadence: so.Mapped[Cadence] = so.mapped_column(str_enum(Cadence))
    default_weekday: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    # A pair is at risk after this many periods without a meeting, and dormant after
    # `dormant_periods` periods and at least `dormant_days` days without one.
    at_risk_periods: so.Mapped[int] = so.mapped_column(
        sa.SmallInteger, default=2, server_default="2"
    )
    dormant_periods: so.Mapped[int] = so.mapped_column(
        sa.SmallInteger, default=3, server_default="3"
    )
    dormant_days: so.Mapped[int] = so.mapped_column(
        sa.SmallInteger, default=45, server_default="45"
    )
    created_at: so.Mapped[Timestamp]


class Person(Base):
    """A Slack user the bot knows, with the time zone it decides their hours in."""

    __tablename__ = "person"
    __table_args__ = (sa.UniqueConstraint("team_id", "slack_user_id"),)

    id: so.Mapped[intpk]
    team_id: so.Mapped[SlackId]
    slack_user_id: so.Mapped[SlackId]
    tz: so.Mapped[str] = so.mapped_column(sa.String(64), default="UTC")
    tz_refreshed_at: so.Mapped[OptionalTimestamp]
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Since when they have said, after a pair closed, that they would like another one.
    wants_pair_since: so.Mapped[OptionalTimestamp]
    created_at: so.Mapped[Timestamp]
