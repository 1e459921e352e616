"""Migration 0011 makes programmes data: the existing programme gets a handle from its
name and becomes the default one; its pairs, their meetings and its settings stay."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from bot.schema import alembic_config
from tests.test_migration_0005 import insert
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

NOW = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)


def test_the_programme_gets_a_handle_and_keeps_its_pairs(empty_database_url):  # noqa: F811
    config = alembic_config(empty_database_url)
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    command.upgrade(config, "0010")
    with engine.begin() as connection:
        programme = insert(connection, "programme", name="Mentoring programme",
                           coordinator_channel_id="C0COORDS", default_cadence="weekly",
                           default_weekday=2, created_at=NOW)  # fmt: skip
        other = insert(connection, "programme", name="2027 cohort!", default_cadence="monthly",
                       default_weekday=1, created_at=NOW)  # fmt: skip
        mentor, mentee = (
            insert(connection, "person", team_id="T1", slack_user_id=user, tz="UTC",
                   active=True, created_at=NOW)
            for user in ("UMENTOR", "UMENTEE")
        )  # fmt: skip
        pair = insert(connection, "pair", programme_id=programme, mentor_id=mentor,
                      mentee_id=mentee, cadence="weekly", weekday=2, status="active",
                      status_changed_at=NOW, created_by="UCOORD", created_at=NOW)  # fmt: skip
        insert(connection, "meeting", pair_id=pair, held_on=NOW.date(), source="command",
               recorded_by="UMENTEE", created_at=NOW)  # fmt: skip

    command.upgrade(config, "0011")

    with engine.connect() as connection:
        programmes = connection.execute(
            sa.text(
                "SELECT id, handle, is_default, coordinator_channel_id, default_weekday,"
                " digest_weekday, digest_tz FROM programme ORDER BY id"
            )
        ).all()
        pairs = connection.execute(sa.text("SELECT id, programme_id FROM pair")).all()
        meetings = connection.execute(sa.text("SELECT pair_id FROM meeting")).all()
    assert [tuple(row) for row in programmes] == [
        (programme, "mentoring-programme", True, "C0COORDS", 2, 0, "UTC"),
        (other, "programme-2", False, None, 1, 0, "UTC"),  # "2027-cohort" starts with a digit
    ]
    assert [tuple(row) for row in pairs] == [(pair, programme)]
    assert [tuple(row) for row in meetings] == [(pair,)]
    engine.dispose()
