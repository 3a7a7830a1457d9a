"""sandbox markets, firms, events, snapshots and command receipts

Revision ID: l001
Revises: c001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "l001"
down_revision = "c001"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "sandbox_markets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("sandbox_market_kind", "class_market", "private_lab", "exam"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scenario", sa.String(length=80), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum("sandbox_market_status", "running", "paused", "finished"),
            nullable=False,
        ),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("sim_day", sa.Integer(), nullable=False),
        sa.Column("snapshot_seq", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("buyers >= 0", name=op.f("ck_sandbox_markets_buyers_not_negative")),
        sa.CheckConstraint("last_seq >= 0", name=op.f("ck_sandbox_markets_last_seq_not_negative")),
        sa.CheckConstraint(
            "snapshot_seq <= last_seq", name=op.f("ck_sandbox_markets_snapshot_not_ahead")
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["classes.id"],
            name=op.f("fk_sandbox_markets_class_id_classes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_sandbox_markets_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_markets")),
    )
    with op.batch_alter_table("sandbox_markets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sandbox_markets_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sandbox_markets_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "market_firms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("bot", sa.String(length=40), nullable=True),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "user_id IS NULL OR bot IS NULL", name=op.f("ck_market_firms_student_or_bot")
        ),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_market_firms_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_market_firms_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_firms")),
        sa.UniqueConstraint("market_id", "firm_id", name=op.f("uq_market_firms_market_id_firm_id")),
    )
    with op.batch_alter_table("market_firms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_firms_user_id"), ["user_id"], unique=False)

    # The event log: the primary key (market_id, seq) is the uniqueness guarantee.
    op.create_table(
        "market_events",
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_market_events_seq_positive")),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_market_events_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("market_id", "seq", name=op.f("pk_market_events")),
    )

    op.create_table(
        "market_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_market_snapshots_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_snapshots")),
        sa.UniqueConstraint("market_id", "seq", name=op.f("uq_market_snapshots_market_id_seq")),
    )

    op.create_table(
        "command_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("firm_id", sa.String(length=20), nullable=False),
        sa.Column("command", sa.String(length=40), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_command_receipts_market_id_sandbox_markets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_command_receipts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_receipts")),
        sa.UniqueConstraint(
            "market_id",
            "idempotency_key",
            name=op.f("uq_command_receipts_market_id_idempotency_key"),
        ),
    )
    with op.batch_alter_table("command_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_command_receipts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("command_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_command_receipts_user_id"))
    op.drop_table("command_receipts")
    op.drop_table("market_snapshots")
    op.drop_table("market_events")
    with op.batch_alter_table("market_firms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_firms_user_id"))
    op.drop_table("market_firms")
    with op.batch_alter_table("sandbox_markets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_markets_owner_id"))
        batch_op.drop_index(batch_op.f("ix_sandbox_markets_class_id"))
    op.drop_table("sandbox_markets")
