"""Migration 0005 keeps every reflection: each gets its meeting's pair; a last reflection
(no meeting) is one per author per pair; going back drops only the last reflections."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from bot.schema import alembic_config
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

NOW = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)


def insert(connection: sa.Connection, table: str, **values: object) -> int:
    target = sa.Table(table, sa.MetaData(), autoload_with=connection)
    return connection.execute(target.insert().values(**values).returning(target.c.id)).scalar_one()


def two_pairs_with_reflections(connection: sa.Connection) -> tuple[int, int, int]:
    """Pairs 1 and 2 (a second mentee), a meeting each, one reflection on each meeting."""
    programme = insert(
        connection,
        "programme",
        name="default",
        default_cadence="weekly",
        default_weekday=1,
        created_at=NOW,
    )
    mentor, *mentees = (
        insert(connection, "person", team_id="T1", slack_user_id=user, tz="UTC", active=True,
               created_at=NOW)
        for user in ("UMENTOR", "UMENTEE1", "UMENTEE2")
    )  # fmt: skip
    pairs = [
        insert(connection, "pair", programme_id=programme, mentor_id=mentor, mentee_id=mentee,
               cadence="weekly", weekday=1, status="active", status_changed_at=NOW,
               created_by="UCOORD", created_at=NOW)
        for mentee in mentees
    ]  # fmt: skip
    for pair, mentee in zip(pairs, mentees, strict=True):
        meeting = insert(connection, "meeting", pair_id=pair, held_on=NOW.date(),
                         source="command", recorded_by="UMENTOR", created_at=NOW)  # fmt: skip
        insert(connection, "reflection", meeting_id=meeting, author_id=mentee, worked="w",
               did_not_work="d", differently="x", shared=False, created_at=NOW,
               updated_at=NOW)  # fmt: skip
    return pairs[0], pairs[1], mentor


def test_reflections_get_their_pair_and_last_ones_are_one_per_author(empty_database_url):  # noqa: F811
    config = alembic_config(empty_database_url)
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    command.upgrade(config, "0004")
    with engine.begin() as connection:
        first, second, mentor = two_pairs_with_reflections(connection)

    command.upgrade(config, "0005")
    with engine.begin() as connection:
        rows = connection.execute(
            sa.text("SELECT r.pair_id, m.pair_id FROM reflection r JOIN meeting m"
                    " ON m.id = r.meeting_id ORDER BY r.id")
        ).all()  # fmt: skip
        assert [tuple(row) for row in rows] == [(first, first), (second, second)]
        last = {"meeting_id": None, "author_id": mentor, "worked": "w", "did_not_work": "d",
                "differently": "x", "shared": False, "created_at": NOW, "updated_at": NOW}  # fmt: skip
        insert(connection, "reflection", pair_id=first, **last)
        insert(connection, "reflection", pair_id=second, **last)  # another pair: fine
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        insert(connection, "reflection", pair_id=first, **last)

    command.downgrade(config, "0004")
    with engine.begin() as connection:
        kept = connection.execute(sa.text("SELECT meeting_id FROM reflection")).scalars().all()
    assert len(kept) == 2 and None not in kept
    engine.dispose()
