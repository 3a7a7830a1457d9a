"""assignment rubric levels: the level a teacher chose for each criterion

Revision ID: g001
Revises: s002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "g001"
down_revision = "s002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignment_submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rubric_levels", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignment_submissions", schema=None) as batch_op:
        batch_op.drop_column("rubric_levels")
