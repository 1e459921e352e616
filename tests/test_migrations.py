"""Migrations go up and down one revision at a time and build exactly what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory

from bot.models import Base
from bot.schema import alembic_config, current_revision, head_revision
from tests.conftest import TEST_DATABASE_URL, _normalised, reset_postgres
from tests.helpers_cli import run_mentorbot

MODEL_TABLES = frozenset(Base.metadata.tables)
VERSION_TABLE = "alembic_version"

Snapshot = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with no tables: a new SQLite file, or the suite's PostgreSQL reset.

    On PostgreSQL the session's `migrated_template` may already point at this database,
    and later tests only truncate its tables, so it is handed back at head, whatever
    state the test left it in.
    """
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'walk.db'}"
        return
    url = _normalised(TEST_DATABASE_URL)
    reset_postgres(url)
    try:
        yield url
    finally:
        reset_postgres(url)
        command.upgrade(alembic_config(url), "head")


def linear_history() -> list[Script]:
    """Every revision, oldest first. The one-step walk assumes no branches or merges."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"more than one head: {script.get_heads()}"
    revisions = list(reversed(list(script.walk_revisions("base", "heads"))))
    merges = [r.revision for r in revisions if isinstance(r.down_revision, tuple | list)]
    assert not merges, f"merge revisions break the one-step walk: {merges}"
    return revisions


def snapshot(engine: sa.Engine) -> Snapshot:
    """Each table's columns and index names, as the database reports them."""
    inspector = sa.inspect(engine)
    return {
        table: (
            tuple(sorted(c["name"] for c in inspector.get_columns(table))),
            tuple(sorted(str(i["name"]) for i in inspector.get_indexes(table))),
        )
        for table in inspector.get_table_names()
    }


def test_history_walks_up_and_down_one_revision_at_a_time(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    revisions = linear_history()
    assert revisions, "no migrations found"
    assert set(snapshot(engine)) == set()

    on_the_way_up: dict[str, Snapshot] = {}
    for revision in revisions:
        command.upgrade(config, revision.revision)
        assert current_revision(engine) == revision.revision
        on_the_way_up[revision.revision] = snapshot(engine)

    at_head = on_the_way_up[revisions[-1].revision]
    assert revisions[-1].revision == head_revision()
    assert set(at_head) == MODEL_TABLES | {VERSION_TABLE}
    for table in Base.metadata.sorted_tables:
        assert at_head[table.name][0] == tuple(sorted(c.name for c in table.columns)), table.name

    for revision in reversed(revisions):
        assert snapshot(engine) == on_the_way_up[revision.revision], (
            f"schema at {revision.revision} differs on the way down from on the way up"
        )
        command.downgrade(config, revision.down_revision or "base")
        assert current_revision(engine) == revision.down_revision

    assert set(snapshot(engine)) <= {VERSION_TABLE}
    engine.dispose()


def test_models_and_migrations_agree_at_head(empty_database_url: str) -> None:
    command.upgrade(alembic_config(empty_database_url), "head")
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], "models and migrations differ; autogenerate would emit:\n" + "\n".join(
        map(repr, diff)
    )


def test_migrate_command_brings_a_new_database_to_head(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    url = f"sqlite:///{path}"

    result = run_mentorbot("migrate", cwd=tmp_path, env={"DATABASE_URL": url})

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"database is at revision {head_revision()}" in result.stdout
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    assert current_revision(engine) == head_revision()
    assert set(sa.inspect(engine).get_table_names()) >= MODEL_TABLES
    engine.dispose()


def test_migrate_command_is_a_no_op_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = {"DATABASE_URL": url}

    first = run_mentorbot("migrate", cwd=tmp_path, env=env)
    second = run_mentorbot("migrate", cwd=tmp_path, env=env)

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    assert current_revision(engine) == head_revision()
    engine.dispose()
