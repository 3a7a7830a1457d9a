"""lab lessons, clock schedule, creation key, rejected commands

Revision ID: l002
Revises: l001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "l002"
down_revision = "l001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("at_seq", sa.Integer(), nullable=False),
        sa.Column("sim_day", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("checked_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lab_results_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_lab_results_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_lab_results_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
    )
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.create_index("ix_lab_results_lesson_user", ["lesson_id", "user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lab_results_market_id"), ["market_id"], unique=False)

    op.create_table(
        "market_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("command", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sim_day", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_market_rejections_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_market_rejections_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_rejections")),
    )
    with op.batch_alter_table("market_rejections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_market_rejections_market_firm", ["market_id", "firm_id"], unique=False
        )

    with op.batch_alter_table("sandbox_markets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lesson_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tick_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_tick_dt", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("creation_key", sa.String(length=80), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_sandbox_markets_lesson_id"), ["lesson_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_sandbox_markets_creation_key"), ["creation_key"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sandbox_markets_lesson_id_lessons"),
            "lessons",
            ["lesson_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_sandbox_markets_tick_positive"),
            "tick_minutes IS NULL OR tick_minutes >= 1",
        )


def downgrade() -> None:
    with op.batch_alter_table("sandbox_markets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sandbox_markets_tick_positive"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_sandbox_markets_lesson_id_lessons"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_sandbox_markets_creation_key"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_sandbox_markets_lesson_id"))
        batch_op.drop_column("creation_key")
        batch_op.drop_column("next_tick_dt")
        batch_op.drop_column("tick_minutes")
        batch_op.drop_column("lesson_id")

    with op.batch_alter_table("market_rejections", schema=None) as batch_op:
        batch_op.drop_index("ix_market_rejections_market_firm")

    op.drop_table("market_rejections")
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_results_market_id"))
        batch_op.drop_index("ix_lab_results_lesson_user")

    op.drop_table("lab_results")
