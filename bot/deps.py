"""What listeners need besides Slack's own arguments: settings and the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import orm as so

from bot.background import Background
from bot.models import Programme, utcnow
from bot.rhythm import outbox
from bot.rhythm.pacing import Pace
from bot.rhythm.passes import alert_coordinators
from bot.services.programmes import coordinated_ids
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
    # Where the Slack calls that follow a request run, once Slack has its answer.
    background: Background = field(default_factory=Background)

    def deliver(self, keys: list[str]) -> None:
        """Send what a flow just owed (whatever is due of it) right after the request is
        answered; it is in the outbox already, so a process that stops first loses nothing:
        the next pass sends it."""
        if keys:
            self.after(self.deliver_now, keys)

    def after(self, task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run `task` on the background pool, so it never holds up Slack's answer (see
        bot.background); what it does must already be owed in the database, or be
        something a person can do again (open a modal, redraw a message)."""
        self.background.run(task, *args, **kwargs)

    def open_modal_after(self, task: Callable[..., Any], *args: Any) -> None:
        """Like `after`, for a call that opens a modal: its trigger id lives 3 seconds, so
        it runs on threads that slow deliveries cannot keep busy."""
        self.background.run(task, *args, urgent=True)

    def deliver_now(self, keys: list[str]) -> outbox.DeliveryReport:
        """Send what is owed under `keys` (whatever is due of it) now, in this thread; what
        Slack does not take now (a 429, a timeout) stays owed for the next pass, which
        waits out a short Retry-After (this does not: see bot.rhythm.pacing)."""
        now = self.now()
        return outbox.deliver(
            self.sessions,
            self.outbox_client,
            now,
            hours=self.settings.hours,
            keys=keys,
            on_failure=alert_coordinators(now, self.settings.coordinators),
            pace=Pace(concurrency=self.settings.delivery_concurrency, max_wait=0),
        )

    def is_admin(self, user_id: str) -> bool:
        """The installation's admins (MENTORBOT_COORDINATORS) act on every programme."""
        return user_id in self.settings.coordinators

    def is_coordinator(self, user_id: str) -> bool:
        """An admin, or a coordinator of some programme."""
        if self.is_admin(user_id):
            return True
        with self.sessions() as session:
            return bool(coordinated_ids(session, user_id, self.settings.coordinators))

    def coordinated(self, session: so.Session, user_id: str) -> list[int]:
        """The programmes `user_id` may act on as a coordinator (every one for an admin)."""
        return coordinated_ids(session, user_id, self.settings.coordinators)

    def programme(self, session: so.Session) -> Programme:
        return session.get_one(Programme, self.programme_id)

    def now(self) -> dt.datetime:
        return self.clock()
