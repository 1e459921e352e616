"""What listeners need besides Slack's own arguments: settings and the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import orm as so

from bot.models import Programme
from bot.settings import Settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: so.sessionmaker[so.Session]
    programme_id: int

    def is_coordinator(self, user_id: str) -> bool:
        return user_id in self.settings.coordinators

    def programme(self, session: so.Session) -> Programme:
        return session.get_one(Programme, self.programme_id)

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)
