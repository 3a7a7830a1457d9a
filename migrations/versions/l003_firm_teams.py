"""firm teams: the students who act for a firm

Revision ID: l003
Revises: l002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "l003"
down_revision = "l002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "market_firm_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("market_firm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["market_firm_id"],
            ["market_firms.id"],
            name=op.f("fk_market_firm_members_market_firm_id_market_firms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_market_firm_members_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_market_firm_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_firm_members")),
        sa.UniqueConstraint(
            "market_id", "user_id", name=op.f("uq_market_firm_members_market_id_user_id")
        ),
    )
    with op.batch_alter_table("market_firm_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_firm_members_market_firm_id"), ["market_firm_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_market_firm_members_user_id"), ["user_id"], unique=False
        )

    # Every firm founded for a student so far is a team of one.
    op.execute(
        "INSERT INTO market_firm_members (market_id, market_firm_id, user_id, joined_dt) "
        "SELECT market_id, id, user_id, created_dt FROM market_firms WHERE user_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("market_firm_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_firm_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_market_firm_members_market_firm_id"))

    op.drop_table("market_firm_members")
