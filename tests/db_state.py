"""Reading the database back in tests: what a change wrote, or that it wrote nothing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import Base


def snapshot(sessions: so.sessionmaker[so.Session]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order, for comparing before and after."""
    with sessions() as session:
        return {
            table.name: [
                tuple(row) for row in session.execute(sa.select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def count(sessions: so.sessionmaker[so.Session], model: type[Base]) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
