"""attempt item flags: the student's "flag for later" mark

Revision ID: u002
Revises: u001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "u002"
down_revision = "u001"
branch_labels = None
depends_on = "a002"  # attempt_items lives on the assessment branch


def upgrade() -> None:
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_flagged", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("attempt_items", schema=None) as batch_op:
        batch_op.drop_column("is_flagged")
