"""Modules, lessons, their revisions and the files a course package ships.

Lesson *content* (titles and bodies in both languages) lives in ``LessonRevision``
rows: learners see the lesson's published revision; every other revision is a draft,
a proposal awaiting review, or one sent back. Published revisions are never deleted,
so the history is complete.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.catalog.models.courses import Course
from academy.db import Base, UTCDateTime, str_enum, utcnow


class LessonKind(enum.StrEnum):
    READING = "reading"
    QUIZ = "quiz"
    LAB = "lab"
    ASSIGNMENT = "assignment"


class RevisionStatus(enum.StrEnum):
    DRAFT = "draft"  # being written; only its team sees it
    PROPOSED = "proposed"  # waiting for a reviewer
    RETURNED = "returned"  # sent back with comments; its author may edit and propose again
    PUBLISHED = "published"  # approved; the newest published revision is what learners see
    WITHDRAWN = "withdrawn"  # abandoned by its author, kept for the record


class Module(Base):
    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    slug: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    position: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    title_zh: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
        default="",
    )
    summary: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    summary_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    is_required: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    release_date: Mapped[date | None] = mapped_column(
        sa.Date,
        nullable=True,
    )
    # "module-slug/lesson-slug" of a lesson to complete first; kept as written in the
    # package so that modules and lessons can be created in any order.
    prerequisite: Mapped[str | None] = mapped_column(
        sa.String(170),
        nullable=True,
    )

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module",
        order_by="Lesson.position",
        overlaps="lessons,course",
    )

    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    slug: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    # Order within the whole course (modules first, then lessons), so next/previous
    # and the syllabus need no nested sort.
    position: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    kind: Mapped[LessonKind] = mapped_column(
        str_enum(LessonKind, "lesson_kind"),
        nullable=False,
        default=LessonKind.READING,
    )
    duration_minutes: Mapped[int] = mapped_column(
        nullable=False,
        default=10,
    )
    is_required: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    release_date: Mapped[date | None] = mapped_column(
        sa.Date,
        nullable=True,
    )
    prerequisite: Mapped[str | None] = mapped_column(
        sa.String(170),
        nullable=True,
    )
    # Front-matter keys of the lesson's kind (quiz, lab and assignment settings).
    settings: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    published_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lesson_revisions.id", use_alter=True, ondelete="SET NULL"),
        nullable=True,
    )

    course: Mapped[Course] = relationship(back_populates="lessons", overlaps="lessons,module")
    module: Mapped[Module] = relationship(back_populates="lessons", overlaps="lessons,course")
    published_revision: Mapped[LessonRevision | None] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )
    revisions: Mapped[list[LessonRevision]] = relationship(
        back_populates="lesson",
        foreign_keys="LessonRevision.lesson_id",
        cascade="all, delete-orphan",
        order_by="LessonRevision.number",
    )

    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    @property
    def path(self) -> str:
        """The lesson's name in packages and prerequisites: ``module-slug/lesson-slug``."""
        return f"{self.module.slug}/{self.slug}"

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}:{self.slug}>"


#: Stands for the course's picture URL prefix in stored HTML (see LessonRevision.body_html).
ASSET_URL_MARKER = "/@course-asset/"


class LessonRevision(Base):
    """One version of a lesson's content in both languages."""

    __tablename__ = "lesson_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    number: Mapped[int] = mapped_column(
        nullable=False,
    )
    status: Mapped[RevisionStatus] = mapped_column(
        str_enum(RevisionStatus, "revision_status"),
        nullable=False,
        default=RevisionStatus.DRAFT,
    )
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    title_zh: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
        default="",
    )
    body: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    body_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # People credited in a package ({"name": ..., "organisation": slug}); web authors
    # are credited through ``author``.
    credits: Mapped[list[dict[str, str]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    message: Mapped[str] = mapped_column(
        sa.String(500),
        nullable=False,
        default="",
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    based_on_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lesson_revisions.id", ondelete="SET NULL"),
        nullable=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    updated_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    proposed_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    reviewed_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    review_comment: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    published_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    # The bodies as sanitised HTML, rendered once at publication (None before; "" for an
    # empty Chinese body). Course pictures are stored as ASSET_URL_MARKER + file name.
    body_html: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    body_zh_html: Mapped[str | None] = mapped_column(sa.Text, nullable=True)

    lesson: Mapped[Lesson] = relationship(back_populates="revisions", foreign_keys=[lesson_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    based_on: Mapped[LessonRevision | None] = relationship(remote_side=[id])

    __table_args__ = (sa.UniqueConstraint("lesson_id", "number"),)

    @property
    def content(self) -> tuple[str, str, str, str, list[dict[str, str]]]:
        """What a revision says; two revisions with equal content are the same text."""
        return (self.title, self.title_zh, self.body, self.body_zh, list(self.credits))


class CourseAsset(Base):
    """A picture uploaded to a course, stored in the database so every web host has it."""

    __tablename__ = "course_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    filename: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    content_type: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    size: Mapped[int] = mapped_column(
        nullable=False,
    )
    sha256: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    data: Mapped[bytes] = mapped_column(
        sa.LargeBinary,
        nullable=False,
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (sa.UniqueConstraint("course_id", "filename"),)
