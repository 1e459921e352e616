"""Closing a pair kindly: closed for good, what it was still owed dropped, and each member
told in their own working hours, with their keepsake and a last reflection offered. For
a member's or coordinator's *Close pair* and for a programme's end alike."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import orm as so

from bot.calendar import WorkingHours
from bot.messages import closing as messages
from bot.models import Pair
from bot.rhythm.outbox import Owed, drop_owed_to_closed_pair, enqueue
from bot.services import lifecycle
from bot.services.keepsakes import keepsake_for


def close_kindly(
    session: so.Session, pair: Pair, *, now: dt.datetime, hours: WorkingHours
) -> list[str]:
    """Close the pair and owe each member the kind word; the keys owed. Refuses a pair
    already closed."""
    lifecycle.close(session, pair, now)
    drop_owed_to_closed_pair(session, pair.id)
    owed = [
        Owed(
            f"closed:{pair.id}:{member.slack_user_id}",
            "closed",
            member.slack_user_id,
            messages.pair_closed(
                pair_id=pair.id,
                partner=pair.partner_of(member).slack_user_id,
                keepsake=keepsake_for(session, pair=pair, member=member, now=now),
            ),
            hours.next_open(member.tz, now),
            pair.id,
        )
        for member in (pair.mentee, pair.mentor)
    ]
    enqueue(session, owed)
    return [o.key for o in owed]
