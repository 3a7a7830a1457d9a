"""How a quiz lesson runs: its questions or draws, timing, attempts, grading and review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.assessment.models.questions import QuestionBank
from academy.catalog.models import Lesson
from academy.db import Base, UTCDateTime, str_enum


class ReviewPolicy(enum.StrEnum):
    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class GradeKept(enum.StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    AVERAGE = "average"


class Quiz(Base):
    """How a quiz lesson runs: its questions or draws, timing, attempts and review."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    )
    bank_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_banks.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    title_zh: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
        default="",
        server_default="",
    )
    # Keys of the questions every attempt gets, in order.
    question_keys: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    # Random draws: [{"topic": ..., "count": n, "difficulty": d?}, ...]
    draw: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    pass_mark: Mapped[float] = mapped_column(
        nullable=False,
        default=60.0,
    )
    time_limit_minutes: Mapped[int | None] = mapped_column(
        nullable=True,
    )
    max_attempts: Mapped[int | None] = mapped_column(
        nullable=True,
    )
    grade_kept: Mapped[GradeKept] = mapped_column(
        str_enum(GradeKept, "grade_kept"),
        nullable=False,
        default=GradeKept.HIGHEST,
    )
    is_shuffling_questions: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    is_shuffling_options: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    review: Mapped[ReviewPolicy] = mapped_column(
        str_enum(ReviewPolicy, "review_policy"),
        nullable=False,
        default=ReviewPolicy.AFTER_SUBMIT,
    )
    open_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    close_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    is_anonymous_marking: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    marks_released_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    weight: Mapped[float] = mapped_column(
        nullable=False,
        default=1.0,
    )

    bank: Mapped[QuestionBank] = relationship()
    lesson: Mapped[Lesson | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
        sa.CheckConstraint("weight >= 0", name="weight_not_negative"),
    )

    def __repr__(self) -> str:
        return f"<Quiz {self.id} {self.title!r}>"
