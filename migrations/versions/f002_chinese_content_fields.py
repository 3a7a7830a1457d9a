"""Chinese content fields: quiz titles, organisation descriptions, course topic tags

Revision ID: f002
Revises: f001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f002"
down_revision = "f001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_zh", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description_zh", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tags_zh", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("tags_zh")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("description_zh")
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_column("title_zh")
