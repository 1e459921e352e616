"""The weekly coordinator digest, owed through the outbox like every other message.

Each pass asks, per programme with a coordinator channel, whether this week's digest is
owed yet, by the programme's own day, time and zone (one indexed lookup of its key). Once
its time has come, the figures are counted, the chart drawn, and two rows written: the
digest (`digest:{programme}:{week}`) and its chart (`digest_chart:{programme}:{week}`),
each programme's in a transaction of its own. The keys make it once a week however
many passes or clock processes run, and a digest not posted within `LATE_BY` of its
time (the clock was down) is dropped rather than posted days late.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.calendar import DigestSchedule, local_date
from bot.models import OutboxMessage, Pair, Programme
from bot.rhythm import outbox
from bot.rhythm.outbox import Owed
from bot.services.programmes import schedule_of

LATE_BY = dt.timedelta(days=2)


def digest_programmes(session: so.Session) -> list[int]:
    """The programmes with a coordinator channel: the ones a digest is owed to."""
    return list(
        session.scalars(
            sa.select(Programme.id)
            .where(Programme.coordinator_channel_id.is_not(None))
            .order_by(Programme.id)
        )
    )


def plan_digest(session: so.Session, now: dt.datetime, programme_id: int) -> int:
    """Owe the programme's digest of this week to its coordinator channel once its time
    has come, by its own schedule; returns how many rows were new."""
    programme = session.get_one(Programme, programme_id)
    if not programme.coordinator_channel_id:
        return 0
    schedule = schedule_of(programme)
    due = schedule.latest(now)
    if now - due >= LATE_BY:
        return 0
    week_start, week_end = schedule.week_reported(due)
    week = local_date(schedule.zone, week_start).isoformat()  # the week's first local day
    key = f"digest:{programme.id}:{week}"
    if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)):
        return 0
    paired = sa.select(Pair.id).where(Pair.programme_id == programme.id, Pair.created_at < week_end)
    if not session.scalar(paired.limit(1)):
        return 0  # no pair yet in the week it would report: nothing to say
    return _owe(session, programme, week, week_start, week_end, due, schedule)


def _owe(
    session: so.Session,
    programme: Programme,
    week: str,
    week_start: dt.datetime,
    week_end: dt.datetime,
    due: dt.datetime,
    schedule: DigestSchedule,
) -> int:
    # matplotlib is loaded only when a digest is drawn, not on every pass.
    from bot.messages.digest import chart_upload, digest_message
    from bot.services.digest import digest_figures

    figures = digest_figures(
        session, programme_id=programme.id, week_start=week_start, week_end=week_end
    )
    channel = programme.coordinator_channel_id or ""
    expires = due + LATE_BY
    return outbox.enqueue(
        session,
        [
            Owed(
                f"digest:{programme.id}:{week}",
                "digest",
                channel,
                digest_message(figures, today=schedule.today(due)),
                due,
                expires_at=expires,
            ),
            Owed(
                f"digest_chart:{programme.id}:{week}",
                "digest_chart",
                channel,
                chart_upload(figures),
                due,
                expires_at=expires,
            ),
        ],
    )
