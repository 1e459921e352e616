"""programmes as data

A programme gets a handle people type, its own coordinators, its digest's day, time and
zone, a start and an end; the oldest programme becomes the default one the settings keep
in step, and every existing pair stays where it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:05:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _handle(name: str, taken: set[str], programme_id: int) -> str:
    """A handle from a programme's name: lowercase words joined by dashes."""
    handle = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:32].strip("-")
    if not handle or not handle[0].isalpha() or handle in taken:
        handle = f"programme-{programme_id}"
    return handle


def upgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handle", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest_weekday", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest_time", sa.Time(), server_default="09:00:00", nullable=False)
        )
        batch_op.add_column(
            sa.Column("digest_tz", sa.String(length=64), server_default="UTC", nullable=False)
        )
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))

    programme = sa.table(
        "programme",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("handle", sa.String),
        sa.column("is_default", sa.Boolean),
    )
    connection = op.get_bind()
    taken: set[str] = set()
    rows = connection.execute(sa.select(programme.c.id, programme.c.name).order_by(programme.c.id))
    for index, (programme_id, name) in enumerate(rows.all()):
        handle = _handle(name, taken, programme_id)
        taken.add(handle)
        connection.execute(
            programme.update()
            .where(programme.c.id == programme_id)
            .values(handle=handle, is_default=index == 0)
        )

    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.alter_column("handle", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_programme_handle"), ["handle"])
        batch_op.create_index(
            "uq_programme_default",
            ["is_default"],
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )

    op.create_table(
        "programme_coordinator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_coordinator_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_coordinator")),
        sa.UniqueConstraint(
            "programme_id",
            "slack_user_id",
            name=op.f("uq_programme_coordinator_programme_id_slack_user_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("programme_coordinator")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index("uq_programme_default")
        batch_op.drop_constraint(batch_op.f("uq_programme_handle"), type_="unique")
        for column in (
            "ends_on",
            "starts_on",
            "digest_tz",
            "digest_time",
            "digest_weekday",
            "is_default",
            "handle",
        ):
            batch_op.drop_column(column)
