"""pair agreements and hopes

What a member proposes for the pair (rhythm, time, how they meet, how fast they answer)
and who agreed it when; and what each member hopes to get out of the pairing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:29:22.494672
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
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
            nullable=False,
        ),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("meets_at", sa.Time(), nullable=True),
        sa.Column(
            "meets_by",
            sa.Enum(
                "video",
                "in_person",
                "phone",
                "walk",
                name="meetingway",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("meets_by_words", sa.String(length=60), nullable=True),
        sa.Column(
            "answers_within",
            sa.Enum(
                "same_day",
                "two_days",
                "week",
                name="replyspeed",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "agreed",
                "overtaken",
                name="agreementstatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_by", sa.String(length=32), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_agreement_pair_id_pair"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_pair_id"), ["pair_id"], unique=False)

    op.create_table(
        "hope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pair.id"], name=op.f("fk_hope_pair_id_pair"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_hope_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hope")),
        sa.UniqueConstraint("pair_id", "person_id", name=op.f("uq_hope_pair_id_person_id")),
    )


def downgrade() -> None:
    op.drop_table("hope")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_pair_id"))

    op.drop_table("agreement")
