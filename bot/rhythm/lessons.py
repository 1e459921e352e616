"""Lessons carried forward: a member's answer to "what would you do differently next
time?" comes back to them, privately, in the reminder DM before their next meeting, once.

The lesson is the member's latest reflection on a meeting of the pair whose third answer
is not empty; it is carried by the first reminder owed to them after they wrote it (a
reminder owed since then, and not dropped as expired or refused by Slack, means it has
been shown, or will be). Only the author's own DM ever
carries it: the partner, the pair's conversation and the coordinators never do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import OutboxMessage, OutboxStatus, Person, Reflection

Lessons = dict[tuple[int, str], str]  # (pair id, the author's Slack user ID) -> the lesson


def lessons_to_carry(session: so.Session, pair_ids: Sequence[int]) -> Lessons:
    """Every lesson waiting for its author's next reminder, in the pairs `pair_ids`."""
    if not pair_ids:
        return {}
    written: dict[tuple[int, str], tuple[dt.datetime, str]] = {}
    for pair_id, user_id, differently, created_at in session.execute(
        sa.select(
            Reflection.pair_id, Person.slack_user_id, Reflection.differently, Reflection.created_at
        )
        .join(Person, Person.id == Reflection.author_id)
        .where(
            Reflection.pair_id.in_(pair_ids),
            Reflection.meeting_id.is_not(None),
            Reflection.differently != "",
        )
        .order_by(Reflection.created_at, Reflection.id)
    ):
        written[(pair_id, user_id)] = (created_at, differently)
    reminded = {
        (pair_id, channel): latest
        for pair_id, channel, latest in session.execute(
            sa.select(
                OutboxMessage.pair_id, OutboxMessage.channel, sa.func.max(OutboxMessage.created_at)
            )
            .where(
                OutboxMessage.pair_id.in_(pair_ids),
                OutboxMessage.kind == "reminder",
                OutboxMessage.status.not_in((OutboxStatus.CANCELLED, OutboxStatus.FAILED)),
            )
            .group_by(OutboxMessage.pair_id, OutboxMessage.channel)
        )
    }
    return {
        key: lesson
        for key, (created_at, lesson) in written.items()
        if key not in reminded or reminded[key] < created_at
    }
