"""Question banks, versioned questions, quizzes, attempts, marks and their audit log.

A bank belongs to an organisation. A question keeps a stable ``key`` (the ``id`` of
the question file) and a row per version; an edit adds a version and never changes
an old one, so an attempt that pinned a version always shows what the student saw.
The tags used by quiz draws (topic, competency, difficulty) sit on the question and
follow its newest version.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation, User
from academy.catalog.models import Lesson
from academy.db import Base, UTCDateTime, str_enum, utcnow


class QuestionBank(Base):
    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    slug: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    name: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    organisation: Mapped[Organisation] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="bank",
        order_by="Question.key",
        cascade="all, delete-orphan",
    )

    __table_args__ = (sa.UniqueConstraint("organisation_id", "slug"),)

    def __repr__(self) -> str:
        return f"<QuestionBank {self.slug}>"


class Question(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_banks.id", ondelete="CASCADE"),
        nullable=False,
    )
    key: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    type: Mapped[str] = mapped_column(
        sa.String(32),
        nullable=False,
    )
    topic: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    competency: Mapped[str | None] = mapped_column(
        sa.String(64),
        nullable=True,
    )
    difficulty: Mapped[int] = mapped_column(
        nullable=False,
        default=2,
    )
    version_count: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    is_retired: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    # The question file it came from in a course package (``questions/incoterms.toml``).
    source_file: Mapped[str | None] = mapped_column(
        sa.String(120),
        nullable=True,
    )

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question",
        order_by="QuestionVersion.number",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.UniqueConstraint("bank_id", "key"),
        sa.Index("ix_questions_bank_id_topic_difficulty", "bank_id", "topic", "difficulty"),
        sa.CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty_range"),
    )

    @property
    def latest(self) -> QuestionVersion:
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"<Question {self.key}>"


class QuestionVersion(Base):
    """One immutable version of a question: the whole spec as JSON."""

    __tablename__ = "question_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"),
        nullable=False,
    )
    number: Mapped[int] = mapped_column(
        nullable=False,
    )
    spec: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    spec_digest: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )

    question: Mapped[Question] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("question_id", "number"),)

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.question_id} v{self.number}>"


class ReviewPolicy(enum.StrEnum):
    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class GradeKept(enum.StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    AVERAGE = "average"


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


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
