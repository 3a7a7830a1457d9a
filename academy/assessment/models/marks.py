"""Marks entered by hand (offline marks) and the audit log of every mark change."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.db import Base, UTCDateTime, utcnow


class OfflineMark(Base):
    """A mark entered in the gradebook for a quiz sat on paper (percent of the points)."""

    __tablename__ = "offline_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="CASCADE"),
        nullable=False,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )
    quiz_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quizzes.id", ondelete="CASCADE"),
        nullable=False,
    )
    percent: Mapped[float] = mapped_column(
        nullable=False,
    )
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    entered_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (
        sa.UniqueConstraint("class_id", "user_id", "quiz_id"),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )


class MarkChange(Base):
    """The audit log: every mark set or changed, by whom, when, from what to what."""

    __tablename__ = "mark_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempt_items.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    )
    offline_mark_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offline_marks.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    )
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    changed_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    old_points: Mapped[float | None] = mapped_column(
        nullable=True,
    )
    new_points: Mapped[float | None] = mapped_column(
        nullable=True,
    )
    reason: Mapped[str] = mapped_column(
        sa.String(32),
        nullable=False,
    )
    note: Mapped[str] = mapped_column(
        sa.String(500),
        nullable=False,
        default="",
    )

    changed_by: Mapped[User | None] = relationship()
