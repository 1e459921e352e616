"""What listeners need besides Slack's own arguments: settings and the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import orm as so

from bot.models import Programme, utcnow
from bot.rhythm import outbox
from bot.rhythm.pacing import Pace
from bot.rhythm.passes import alert_coordinators
from bot.settings import Settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: so.sessionmaker[so.Session]
    programme_id: int
    # The outbox's own client: no sleeping on 429 inside a request Slack wants answered in
    # 3 s, and no blind re-post after a timeout (see bot.rhythm.outbox).
    outbox_client: WebClient
    # What time it is for the listeners: the wall clock, or `mentorbot demo`'s simulated one.
    clock: Callable[[], dt.datetime] = utcnow

    def deliver(self, keys: list[str]) -> outbox.DeliveryReport:
        """Send at once what a flow just owed (whatever is due of it); what Slack does not
        take now (a 429, a timeout) stays owed for the next pass. No Retry-After is waited
        out here: Slack wants the listener's answer within 3 s."""
        now = self.now()
        return outbox.deliver(
            self.sessions,
            self.outbox_client,
            now,
            hours=self.settings.hours,
            keys=keys,
            on_failure=alert_coordinators(now),
            pace=Pace(concurrency=self.settings.delivery_concurrency, max_wait=0),
        )

    def is_coordinator(self, user_id: str) -> bool:
        return user_id in self.settings.coordinators

    def programme(self, session: so.Session) -> Programme:
        return session.get_one(Programme, self.programme_id)

    def now(self) -> dt.datetime:
        return self.clock()
