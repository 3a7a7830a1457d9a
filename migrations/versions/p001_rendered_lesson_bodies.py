"""rendered lesson bodies: HTML stored at publication, per revision and language

Revision ID: p001
Revises: s001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p001"
down_revision = "s001"
branch_labels = None
depends_on = None

#: academy.catalog.models.ASSET_URL_MARKER when this migration was written.
ASSET_URL_MARKER = "/@course-asset/"


def upgrade() -> None:
    with op.batch_alter_table("lesson_revisions") as batch:
        batch.add_column(sa.Column("body_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("body_zh_html", sa.Text(), nullable=True))
    # Revisions published before this migration are rendered by the lesson page on the
    # fly until they are rendered here: do it now for the published ones.
    from academy.markdown import render_markdown

    def resolve(path: str) -> str:
        return ASSET_URL_MARKER + path.removeprefix("images/")

    connection = op.get_bind()
    revisions = sa.table(
        "lesson_revisions",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("body", sa.Text),
        sa.column("body_zh", sa.Text),
        sa.column("body_html", sa.Text),
        sa.column("body_zh_html", sa.Text),
    )
    rows = connection.execute(
        sa.select(revisions.c.id, revisions.c.body, revisions.c.body_zh).where(
            revisions.c.status == "published"
        )
    ).all()
    for row in rows:
        connection.execute(
            revisions.update()
            .where(revisions.c.id == row.id)
            .values(
                body_html=str(render_markdown(row.body, resolve)),
                body_zh_html=str(render_markdown(row.body_zh, resolve))
                if (row.body_zh or "").strip()
                else "",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("lesson_revisions") as batch:
        batch.drop_column("body_zh_html")
        batch.drop_column("body_html")
