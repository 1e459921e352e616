"""reflection pair and last reflection

A reflection now names its pair, and its meeting only when it is about one: the last
reflection, offered when a pair closes, is about the whole time in the pair (which may
never have met). `pair_id` is backfilled from each reflection's meeting.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:05:12.596445
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LAST = sa.text("meeting_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pair_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE reflection SET pair_id ="
        " (SELECT meeting.pair_id FROM meeting WHERE meeting.id = reflection.meeting_id)"
    )
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.alter_column("pair_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("meeting_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_reflection_pair_id_pair"),
            "pair",
            ["pair_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_reflection_pair_id"), ["pair_id"], unique=False)
        batch_op.create_index(
            "uq_reflection_last",
            ["pair_id", "author_id"],
            unique=True,
            sqlite_where=LAST,
            postgresql_where=LAST,
        )


def downgrade() -> None:
    # Last reflections have no meeting to hang on; the old schema cannot hold them.
    op.execute("DELETE FROM reflection WHERE meeting_id IS NULL")
    with op.batch_alter_table("reflection", schema=None) as batch_op:
        batch_op.drop_index("uq_reflection_last", sqlite_where=LAST, postgresql_where=LAST)
        batch_op.drop_index(batch_op.f("ix_reflection_pair_id"))
        batch_op.drop_constraint(batch_op.f("fk_reflection_pair_id_pair"), type_="foreignkey")
        batch_op.alter_column("meeting_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("pair_id")
