"""A student's attempts at a quiz and the items (pinned question versions) of each."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.assessment.models.questions import QuestionVersion
from academy.assessment.models.quizzes import Quiz
from academy.auth.models import User
from academy.db import Base, UTCDateTime, str_enum, utcnow


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Attempt(Base):
    """One sitting of a quiz by one student; its questions are drawn once, at start."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quizzes.id", ondelete="CASCADE"),
        nullable=False,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    number: Mapped[int] = mapped_column(
        nullable=False,
    )
    seed: Mapped[str] = mapped_column(
        sa.String(32),
        nullable=False,
    )
    # Shown to markers instead of the student's name.
    anonymous_code: Mapped[str] = mapped_column(
        sa.String(16),
        nullable=False,
        unique=True,
    )
    status: Mapped[AttemptStatus] = mapped_column(
        str_enum(AttemptStatus, "attempt_status"),
        nullable=False,
        default=AttemptStatus.IN_PROGRESS,
    )
    started_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    deadline_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    saved_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    submitted_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    points: Mapped[float | None] = mapped_column(
        nullable=True,
    )
    max_points: Mapped[float] = mapped_column(
        nullable=False,
        default=0.0,
    )
    is_fully_marked: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    has_manual_items: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt",
        order_by="AttemptItem.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "user_id", "number"),
        sa.Index("ix_attempts_quiz_id_status", "quiz_id", "status"),
    )

    @property
    def percent(self) -> float | None:
        if self.points is None or not self.max_points:
            return None
        return 100.0 * self.points / self.max_points

    def __repr__(self) -> str:
        return f"<Attempt {self.id} quiz={self.quiz_id} user={self.user_id} #{self.number}>"


class AttemptItem(Base):
    """One question of an attempt: the pinned version, what was drawn, the answer, the mark."""

    __tablename__ = "attempt_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"),
        nullable=False,
    )
    position: Mapped[int] = mapped_column(
        nullable=False,
    )
    question_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_versions.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    instance: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    response: Mapped[Any | None] = mapped_column(
        sa.JSON(none_as_null=True),
        nullable=True,
    )
    saved_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    max_points: Mapped[float] = mapped_column(
        nullable=False,
    )
    auto_points: Mapped[float | None] = mapped_column(
        nullable=True,
    )
    points: Mapped[float | None] = mapped_column(
        nullable=True,
    )
    detail: Mapped[dict[str, Any] | None] = mapped_column(
        sa.JSON(none_as_null=True),
        nullable=True,
    )
    is_manual: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    is_disputed: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    # The student's "flag for later" mark while taking the attempt.
    is_flagged: Mapped[bool] = mapped_column(nullable=False, default=False)
    dispute_note: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    rubric_levels: Mapped[list[int] | None] = mapped_column(
        sa.JSON(none_as_null=True),
        nullable=True,
    )
    feedback: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    marked_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question_version: Mapped[QuestionVersion] = relationship(lazy="joined")
    marked_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    @property
    def question(self) -> dict[str, Any]:
        return {**self.question_version.spec, **self.instance}
