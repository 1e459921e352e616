"""pair agreements and hopes

What a member proposes for the pair (rhythm, time, how they meet, how fast they answer)
and who agreed it when; and what each member hopes to get out of the pairing. Every
change of rhythm already made (0008's rows after a pair's first) becomes an agreement,
so pairs that agreed one are not shown as pencilled, nor reminded to agree.

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

    _agreements_from_rhythm_changes()


def _agreements_from_rhythm_changes() -> None:
    change = sa.table(
        "rhythm_change",
        sa.column("id", sa.Integer),
        sa.column("pair_id", sa.Integer),
        sa.column("starts_on", sa.Date),
        sa.column("cadence", sa.String),
        sa.column("weekday", sa.SmallInteger),
        sa.column("set_by", sa.String),
        sa.column("proposed_by", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    agreement = sa.table(
        "agreement",
        sa.column("pair_id", sa.Integer),
        sa.column("cadence", sa.String),
        sa.column("weekday", sa.SmallInteger),
        sa.column("status", sa.String),
        sa.column("proposed_by", sa.String),
        sa.column("proposed_at", sa.DateTime(timezone=True)),
        sa.column("agreed_by", sa.String),
        sa.column("agreed_at", sa.DateTime(timezone=True)),
        sa.column("starts_on", sa.Date),
    )
    connection = op.get_bind()
    first = (
        sa.select(sa.func.min(change.c.starts_on))
        .where(change.c.pair_id == sa.literal_column("outer_change.pair_id"))
        .scalar_subquery()
    )
    outer = change.alias("outer_change")
    rows = connection.execute(
        sa.select(
            outer.c.pair_id,
            outer.c.cadence,
            outer.c.weekday,
            outer.c.set_by,
            outer.c.proposed_by,
            outer.c.created_at,
            outer.c.starts_on,
        )
        .where(outer.c.starts_on > first)
        .order_by(outer.c.pair_id, outer.c.starts_on)
    ).all()
    if rows:
        connection.execute(
            agreement.insert(),
            [
                {
                    "pair_id": pair_id,
                    "cadence": cadence,
                    "weekday": weekday,
                    "status": "agreed",
                    "proposed_by": proposed_by or set_by,
                    "proposed_at": created_at,
                    "agreed_by": set_by,
                    "agreed_at": created_at,
                    "starts_on": starts_on,
                }
                for pair_id, cadence, weekday, set_by, proposed_by, created_at, starts_on in rows
            ],
        )


def downgrade() -> None:
    op.drop_table("hope")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_pair_id"))

    op.drop_table("agreement")
