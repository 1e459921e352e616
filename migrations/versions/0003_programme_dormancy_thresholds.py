"""programme dormancy thresholds

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:55:36.368137
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("at_risk_periods", sa.SmallInteger(), server_default="2", nullable=False)
        )
        batch_op.add_column(
            sa.Column("dormant_periods", sa.SmallInteger(), server_default="3", nullable=False)
        )
        batch_op.add_column(
            sa.Column("dormant_days", sa.SmallInteger(), server_default="45", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("dormant_days")
        batch_op.drop_column("dormant_periods")
        batch_op.drop_column("at_risk_periods")
