"""Slack's 429s, kept where every process using the token can see them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models.base import Base, UTCDateTime


class SlackRateLimit(Base):
    """Slack asked us not to call `method` before `until` (a 429's Retry-After).

    One row per Web API method, shared by the web and clock processes, which use the
    same token and so the same limits. A row whose `until` has passed means nothing.
    """

    __tablename__ = "slack_rate_limit"

    method: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    until: so.Mapped[dt.datetime] = so.mapped_column(UTCDateTime())
