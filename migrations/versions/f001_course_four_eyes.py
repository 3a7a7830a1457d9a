"""four eyes: a course setting that lets a reviewer approve their own changes (off)

Revision ID: f001
Revises: w001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f001"
down_revision = "w001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "allow_self_approval", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("allow_self_approval")
