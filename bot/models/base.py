"""Declarative base and the column types every model shares."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy import orm as so

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in Python, whatever the database keeps (SQLite has no zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def str_enum(enum_class: type[enum.StrEnum]) -> sa.Enum:
    """A VARCHAR + CHECK enum stored by value, the same on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=16,
        name=enum_class.__name__.lower(),
        values_callable=lambda members: [m.value for m in members],
    )


intpk = Annotated[int, so.mapped_column(primary_key=True)]
SlackId = Annotated[str, so.mapped_column(sa.String(32))]
Timestamp = Annotated[dt.datetime, so.mapped_column(UTCDateTime(), default=utcnow)]
OptionalTimestamp = Annotated[dt.datetime | None, so.mapped_column(UTCDateTime())]


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
