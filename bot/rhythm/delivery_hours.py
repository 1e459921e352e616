"""Whose working hours a message waits for, decided when it is delivered.

A message is owed with a `not_before`, often the start of someone's working hours; but
whatever owed it, and however late the pass that delivers it runs, it is posted only
inside its recipient's working hours, checked at delivery. This module owns the rule:
one table from the outbox row's `kind` to whose hours apply, and one query per batch of
rows for the zones (from data already in the database: `Person.tz`, kept fresh by the
passes and `user_change` events).

- `RECIPIENT`: a DM to one person (the row's channel is their user ID): their zone.
- `MENTEE`: a scheduled message in the pair's conversation: the pair's mentee's zone, as
  planning times them (the energy comes from the mentee).
- `None`: no hours: the coordinator channel (alerts; the digest keeps its own schedule
  and expiry), and an answer in the conversation a member just acted in, or the welcome
  a coordinator just asked for, which they expect to see at once.

A kind missing from the table is a DM's if its channel is a user ID, else has no hours.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Pair, Person


class Whose(enum.Enum):
    RECIPIENT = "recipient"
    MENTEE = "mentee"


WHOSE_HOURS: dict[str, Whose | None] = {
    # DMs to one member
    "reminder": Whose.RECIPIENT,
    "pulse": Whose.RECIPIENT,
    "reflection_prompt": Whose.RECIPIENT,
    "closed": Whose.RECIPIENT,
    "praise": Whose.RECIPIENT,
    "partner_left": Whose.RECIPIENT,
    # scheduled, in the pair's conversation
    "nudge": Whose.MENTEE,
    "agreement_reminder": Whose.MENTEE,
    "programme_heads_up": Whose.MENTEE,
    "programme_wrap_up": Whose.MENTEE,
    "checkin": Whose.MENTEE,
    "at_risk": Whose.MENTEE,
    "renudge": Whose.MENTEE,
    # the coordinator channel
    "alert": None,
    "digest": None,
    "digest_chart": None,
    # at once, where someone just acted
    "meeting_recorded": None,
    "reschedule": None,
    "reflection_shared": None,
    "reflection_saved": None,
    "welcome": None,
    "pair_request_answer": None,
    "goal_changed": None,
    "rhythm": None,
    "paused": None,
    "resumed": None,
}


def is_user_id(channel: str) -> bool:
    return channel.startswith(("U", "W"))


def whose_hours(kind: str, channel: str) -> Whose | None:
    if kind in WHOSE_HOURS:
        return WHOSE_HOURS[kind]
    return Whose.RECIPIENT if is_user_id(channel) else None


@dataclass(frozen=True)
class Addressed:
    """What the rule needs of an outbox row."""

    id: int
    kind: str
    channel: str
    pair_id: int | None


def zones(session: so.Session, rows: Iterable[Addressed]) -> dict[int, str]:
    """The zone whose working hours each row waits for, by row id (in one query); rows
    without hours, or whose person is unknown, are left out."""
    by_pair: dict[int, list[int]] = {}
    by_user: dict[str, list[int]] = {}
    for row in rows:
        whose = whose_hours(row.kind, row.channel)
        if whose is Whose.MENTEE and row.pair_id is not None:
            by_pair.setdefault(row.pair_id, []).append(row.id)
        elif whose is Whose.RECIPIENT and is_user_id(row.channel):
            by_user.setdefault(row.channel, []).append(row.id)
    queries = []
    if by_pair:
        queries.append(
            sa.select(
                sa.literal("pair", sa.String).label("by"),
                sa.cast(Pair.id, sa.String).label("ref"),
                Person.tz,
            )
            .join(Person, Person.id == Pair.mentee_id)
            .where(Pair.id.in_(by_pair))
        )
    if by_user:
        queries.append(
            sa.select(
                sa.literal("user", sa.String).label("by"),
                Person.slack_user_id.label("ref"),
                Person.tz,
            ).where(Person.slack_user_id.in_(by_user))
        )
    if not queries:
        return {}
    statement = queries[0] if len(queries) == 1 else sa.union_all(*queries)
    found: dict[int, str] = {}
    for by, ref, tz in session.execute(statement):
        ids = by_pair.get(int(ref), []) if by == "pair" else by_user.get(ref, [])
        for row_id in ids:
            found[row_id] = tz
    return found
