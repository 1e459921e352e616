"""The weekly coordinator digest, owed through the outbox like every other message.

Each pass asks, per programme with a coordinator channel, whether this week's digest is
owed yet (one indexed lookup of its key). Once its time has come, the figures are
counted, the chart drawn, and two rows written: the digest (`digest:{programme}:{week}`)
and its chart (`digest_chart:{programme}:{week}`). The keys make it once a week however
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

LATE_BY = dt.timedelta(days=2)


def plan_digests(session: so.Session, now: dt.datetime, schedule: DigestSchedule) -> int:
    """Owe this week's digest to each programme's coordinator channel once its time has
    come; returns how many rows were new."""
    due = schedule.latest(now)
    if now - due >= LATE_BY:
        return 0
    week_start, week_end = schedule.week_reported(due)
    week = local_date(schedule.zone, week_start).isoformat()  # the week's first local day
    owed = 0
    for programme in session.scalars(
        sa.select(Programme).where(Programme.coordinator_channel_id.is_not(None))
    ):
        key = f"digest:{programme.id}:{week}"
        if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)):
            continue
        paired = sa.select(Pair.id).where(
            Pair.programme_id == programme.id, Pair.created_at < week_end
        )
        if not session.scalar(paired.limit(1)):
            continue  # no pair yet in the week it would report: nothing to say
        owed += _owe(session, programme, week, week_start, week_end, due, schedule)
    return owed


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
