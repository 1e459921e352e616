"""Programmes and the people in them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, OptionalTimestamp, SlackId, Timestamp, intpk, str_enum
from bot.models.enums import Cadence

MAX_NAME = 80


class Programme(Base):
    """A mentoring programme: its coordinators and their channel, the defaults for its
    pairs, its digest's day, time and zone, and when it starts and ends. The settings keep
    the default one (`is_default`) in step on every start."""

    __tablename__ = "programme"
    __table_args__ = (
        sa.Index(
            "uq_programme_default",
            "is_default",
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        ),
    )

    id: so.Mapped[intpk]
    # A short name people type: lowercase letters, digits and dashes (bot.services.programmes).
    handle: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    is_default: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
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
    # The weekly digest: on this weekday (0 Monday), at this time, in this zone.
    digest_weekday: so.Mapped[int] = so.mapped_column(
        sa.SmallInteger, default=0, server_default="0"
    )
    digest_time: so.Mapped[dt.time] = so.mapped_column(
        default=dt.time(9, 0), server_default="09:00:00"
    )
    digest_tz: so.Mapped[str] = so.mapped_column(sa.String(64), default="UTC", server_default="UTC")
    starts_on: so.Mapped[dt.date | None]
    ends_on: so.Mapped[dt.date | None]
    created_at: so.Mapped[Timestamp]

    coordinators: so.Mapped[list[ProgrammeCoordinator]] = so.relationship(
        cascade="all, delete-orphan", order_by="ProgrammeCoordinator.id"
    )


class ProgrammeCoordinator(Base):
    """Someone who coordinates one programme (the installation's admins, from the
    settings, act on every programme without a row here)."""

    __tablename__ = "programme_coordinator"
    __table_args__ = (sa.UniqueConstraint("programme_id", "slack_user_id"),)

    id: so.Mapped[intpk]
    programme_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE")
    )
    slack_user_id: so.Mapped[SlackId]


class Person(Base):
    """A Slack user the bot knows, with the time zone it decides their hours in."""

    __tablename__ = "person"
    __table_args__ = (sa.UniqueConstraint("team_id", "slack_user_id"),)

    id: so.Mapped[intpk]
    team_id: so.Mapped[SlackId]
    slack_user_id: so.Mapped[SlackId]
    # The name Slack shows for them (display name, else real name), for places a mention
    # cannot go: calendar events. Kept fresh with the zone; None until Slack has said.
    name: so.Mapped[str | None] = so.mapped_column(sa.String(MAX_NAME))
    tz: so.Mapped[str] = so.mapped_column(sa.String(64), default="UTC")
    tz_refreshed_at: so.Mapped[OptionalTimestamp]
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Since when they have said, after a pair closed, that they would like another one.
    wants_pair_since: so.Mapped[OptionalTimestamp]
    created_at: so.Mapped[Timestamp]


class CalendarFeed(Base):
    """A person's private calendar feed. Its token is never stored: it is derived from the
    installation's secret and `nonce` (so the link can be shown again), and looked up by
    its hash. A new nonce (`/mentor-calendar reset`) revokes the old link."""

    __tablename__ = "calendar_feed"

    id: so.Mapped[intpk]
    person_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    nonce: so.Mapped[str] = so.mapped_column(sa.String(32))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[Timestamp]
