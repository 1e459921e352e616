"""pair requests

A `/mentor-pair` is saved as a request and acknowledged before Slack is asked anything;
the request is finished (people looked up, conversation opened, pair stored, request
deleted) after the acknowledgement, or by the next pass if the process stopped first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:46:22.440380
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pair_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("coordinator", sa.String(length=32), nullable=False),
        sa.Column("mentor", sa.String(length=32), nullable=False),
        sa.Column("mentee", sa.String(length=32), nullable=False),
        sa.Column(
            "cadence",
            sa.Enum(
                "weekly",
                "biweekly",
                "monthly",
                name="cadence",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("weekday", sa.SmallInteger(), nullable=True),
        sa.Column("response_url", sa.String(length=512), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_pair_request_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_request")),
    )
    with op.batch_alter_table("pair_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pair_request_claimed_at"), ["claimed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pair_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pair_request_claimed_at"))

    op.drop_table("pair_request")
