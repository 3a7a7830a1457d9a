"""Who learns what: classes, enrollments, lesson progress, completions, submissions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation, User
from academy.catalog.models import Course, Lesson
from academy.db import Base, UTCDateTime, str_enum, utcnow


class ProgressStatus(enum.StrEnum):
    STARTED = "started"
    COMPLETED = "completed"


class SchoolClass(Base):
    """A group of students taking one course with a teacher, joined by a code."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    term: Mapped[str] = mapped_column(
        sa.String(60),
        nullable=False,
        default="",
    )
    join_code: Mapped[str] = mapped_column(
        sa.String(16),
        nullable=False,
        unique=True,
    )
    is_archived: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    course: Mapped[Course] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    owner: Mapped[User | None] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="school_class")


class Enrollment(Base):
    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    enrolled_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    last_activity_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    last_lesson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="SET NULL"),
        nullable=True,
    )
    completed_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    school_class: Mapped[SchoolClass | None] = relationship(back_populates="enrollments")
    last_lesson: Mapped[Lesson | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)


class LessonProgress(Base):
    __tablename__ = "lesson_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )
    lesson_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    status: Mapped[ProgressStatus] = mapped_column(
        str_enum(ProgressStatus, "progress_status"),
        nullable=False,
        default=ProgressStatus.STARTED,
    )
    seconds_spent: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    score_percent: Mapped[float | None] = mapped_column(
        sa.Float,
        nullable=True,
    )
    started_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    completed_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    lesson: Mapped[Lesson] = relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "lesson_id"),)


class CourseCompletion(Base):
    """Issued once a learner has met a course's completion rules."""

    __tablename__ = "course_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    code: Mapped[str] = mapped_column(
        sa.String(24),
        nullable=False,
        unique=True,
    )
    completed_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()

    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)


class AssignmentSubmission(Base):
    """A learner's work for an assignment lesson, and the teacher's grade."""

    __tablename__ = "assignment_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    text: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    file_name: Mapped[str | None] = mapped_column(
        sa.String(200),
        nullable=True,
    )
    file_type: Mapped[str | None] = mapped_column(
        sa.String(80),
        nullable=True,
    )
    file_data: Mapped[bytes | None] = mapped_column(
        sa.LargeBinary,
        nullable=True,
    )
    submitted_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    points: Mapped[float | None] = mapped_column(
        sa.Float,
        nullable=True,
    )
    feedback: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # With a rubric: the level chosen for each criterion, in the rubric's order.
    rubric_levels: Mapped[list[int] | None] = mapped_column(
        sa.JSON,
        nullable=True,
    )
    graded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    graded_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    lesson: Mapped[Lesson] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (sa.UniqueConstraint("lesson_id", "user_id"),)
