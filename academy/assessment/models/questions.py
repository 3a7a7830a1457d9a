"""Question banks and versioned questions.

A bank belongs to an organisation. A question keeps a stable ``key`` (the ``id`` of
the question file) and a row per version; an edit adds a version and never changes
an old one, so an attempt that pinned a version always shows what the student saw.
The tags used by quiz draws (topic, competency, difficulty) sit on the question and
follow its newest version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation, User
from academy.db import Base, UTCDateTime, utcnow


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
