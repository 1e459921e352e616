"""pairs meeting on their own

After its programme ends, a pair may keep meeting on its own: still open, no longer
nudged nor counted for health.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:33:16.504592
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_own_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pair", schema=None) as batch_op:
        batch_op.drop_column("on_own_since")
