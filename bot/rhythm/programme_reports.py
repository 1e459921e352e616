"""The end-of-programme report, owed through the outbox once the wrap-up week is over
(every pair has chosen, or been closed): a week after the end date, at the programme's
digest time in its zone, in its channel (or to the admins by DM, without the chart). Its
key makes it once; one not posted within LATE_BY of its time is dropped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import zone
from bot.models import OutboxMessage, Programme
from bot.rhythm import outbox
from bot.rhythm.alerts import to_coordinators
from bot.rhythm.outbox import Owed
from bot.rhythm.planning import WRAP_UP_ANSWER

LATE_BY = dt.timedelta(days=14)


def ended_programmes(session: so.Session, now: dt.datetime) -> list[int]:
    """Programmes whose report may be due: ended within the last few weeks."""
    recent = (now - WRAP_UP_ANSWER - LATE_BY - dt.timedelta(days=2)).date()
    return list(
        session.scalars(
            sa.select(Programme.id)
            .where(Programme.ends_on.is_not(None), Programme.ends_on >= recent)
            .order_by(Programme.id)
        )
    )


def plan_end_report(
    session: so.Session, now: dt.datetime, programme_id: int, admins: Iterable[str]
) -> int:
    """Owe the programme's end report once its time has come; returns the rows owed."""
    from bot.messages.programme_reports import end_chart, end_report  # draws: load on use
    from bot.services.programme_reports import end_figures

    programme = session.get_one(Programme, programme_id)
    if programme.ends_on is None:
        return 0
    day = programme.ends_on + WRAP_UP_ANSWER
    due = dt.datetime.combine(day, programme.digest_time, tzinfo=zone(programme.digest_tz))
    due = due.astimezone(dt.UTC)
    if not due <= now < due + LATE_BY:
        return 0
    key = f"programme_report:{programme.id}:{programme.ends_on.isoformat()}"
    if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key.startswith(key))):
        return 0
    figures = end_figures(session, programme)
    expires = due + LATE_BY
    owed = to_coordinators(
        programme,
        admins,
        key=key,
        message=end_report(figures),
        now=due,
        pair_id=None,
        expires_at=expires,
    )
    if programme.coordinator_channel_id:  # a file needs a channel: DMs get the figures only
        owed.append(
            Owed(
                f"programme_report_chart:{programme.id}:{programme.ends_on.isoformat()}",
                "digest_chart",
                programme.coordinator_channel_id,
                end_chart(figures),
                due,
                expires_at=expires,
            )
        )
    return outbox.enqueue(session, owed)
