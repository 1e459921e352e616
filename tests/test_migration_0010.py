"""Migration 0010 turns every change of rhythm already made into an agreement, so a pair
that agreed one before the upgrade is neither shown as pencilled nor reminded to agree."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from bot.schema import alembic_config
from tests.test_migration_0005 import insert
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

NOW = dt.datetime(2026, 10, 5, 8, tzinfo=dt.UTC)


def test_changes_of_rhythm_become_agreements(empty_database_url):  # noqa: F811
    config = alembic_config(empty_database_url)
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    command.upgrade(config, "0009")
    with engine.begin() as connection:
        programme = insert(connection, "programme", name="default", default_cadence="weekly",
                           default_weekday=1, created_at=NOW)  # fmt: skip
        mentor, mentee, other = (
            insert(connection, "person", team_id="T1", slack_user_id=user, tz="UTC",
                   active=True, created_at=NOW)
            for user in ("UMENTOR", "UMENTEE", "UOTHER")
        )  # fmt: skip
        changed, untouched = (
            insert(connection, "pair", programme_id=programme, mentor_id=mentor,
                   mentee_id=someone, cadence="weekly", weekday=1, status="active",
                   status_changed_at=NOW, created_by="UCOORD", created_at=NOW)
            for someone in (mentee, other)
        )  # fmt: skip
        for starts_on, cadence, set_by, proposed_by in (
            (dt.date(2026, 10, 5), "weekly", "UCOORD", None),  # the rhythm it replaced
            (dt.date(2026, 10, 12), "monthly", "UMENTOR", "UMENTEE"),
            (dt.date(2026, 11, 1), "biweekly", "UCOORD", None),  # a coordinator's
        ):
            insert(connection, "rhythm_change", pair_id=changed, starts_on=starts_on,
                   cadence=cadence, weekday=3, set_by=set_by, proposed_by=proposed_by,
                   created_at=NOW)  # fmt: skip

    command.upgrade(config, "0010")

    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT pair_id, cadence, status, proposed_by, agreed_by, starts_on"
                " FROM agreement ORDER BY starts_on"
            )
        ).all()
    assert [tuple(str(v) for v in row) for row in rows] == [
        (str(changed), "monthly", "agreed", "UMENTEE", "UMENTOR", "2026-10-12"),
        (str(changed), "biweekly", "agreed", "UCOORD", "UCOORD", "2026-11-01"),
    ]
    assert untouched not in {row[0] for row in rows}
    engine.dispose()
