"""Alembic environment: migrations run against the URL set by bot.db.alembic_config."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from bot.models import Base
from bot.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our column types as plain SQLAlchemy ones so migrations import nothing of ours."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = sa.create_engine(
            config.get_main_option("sqlalchemy.url"),
            poolclass=sa.pool.NullPool,
            hide_parameters=True,  # a failed data migration logs no one's words
        )
    with (
        connectable.connect()
        if isinstance(connectable, sa.Engine)
        else _same(connectable) as connection
    ):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


class _same:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sa.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        return None


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
