"""slack rate limits

A 429's Retry-After, per Web API method, shared by every process using the token: the
outbox's senders check it before they call the method.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_rate_limit",
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method", name=op.f("pk_slack_rate_limit")),
    )


def downgrade() -> None:
    op.drop_table("slack_rate_limit")
