"""Alembic, driven from code: upgrade to head, and refuse to serve an old schema."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.resources import folder
from bot.settings import fail

MIGRATIONS = folder("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: sa.Engine) -> None:
    """Exit with status 2 unless the database is at the newest migration."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        fail(
            f"DATABASE_URL: the database is at revision {current or 'none'}, not {head};"
            " run `mentorbot migrate`"
        )
