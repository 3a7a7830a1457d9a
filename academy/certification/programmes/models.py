"""Exam programmes: the blueprint of one level's exam (theory, practical, judged parts).

The blueprint is kept as three JSON lists on the programme; once published it never
changes (a new blueprint is a new programme), so every sitting of a programme examines
the same profile.

* ``theory_rules``: ``[{"unit", "difficulty", "count"}]`` drawn from ``bank`` by the
  question's topic (the unit code) and difficulty; each candidate gets different items
  with the same counts per unit × difficulty.
* ``practical_tasks``: ``[{"key", "unit", "title", "title_zh", "check": {...}, "points"}]``
  graded from the candidate's private market's event log by the lab-check registry;
  the points are shared out over the check's criteria.
* ``judged_parts``: ``[{"key", "unit", "title", "title_zh", "prompt", "prompt_zh",
  "max_marks"}]`` marked by two examiners blind; the rubric is the unit's.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.assessment.models import QuestionBank, Quiz
from academy.auth.models import Organisation
from academy.certification.standards.models import Standard, StandardLevel
from academy.db import Base, UTCDateTime, str_enum, utcnow


class ProgrammeStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"

    # The member's label in the reader's language, shown by the templates as ``.title``;
    # it deliberately replaces str.title(), which nothing calls on these members.
    @property
    def title(self) -> str:  # type: ignore[override]
        from flask_babel import gettext as _

        return _("draft") if self is ProgrammeStatus.DRAFT else _("published")


class Programme(Base):
    __tablename__ = "certification_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_standards.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    level_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_standard_levels.id", ondelete="RESTRICT"),
        nullable=False,
    )
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    status: Mapped[ProgrammeStatus] = mapped_column(
        str_enum(ProgrammeStatus, "programme_status"),
        nullable=False,
        default=ProgrammeStatus.DRAFT,
    )
    bank_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_banks.id", ondelete="RESTRICT"),
        nullable=True,
    )
    theory_rules: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    theory_minutes: Mapped[int] = mapped_column(
        nullable=False,
        default=60,
    )
    scenario: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
        default="",
    )
    seed: Mapped[int | None] = mapped_column(
        sa.BigInteger,
        nullable=True,
    )
    bots: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    practical_tasks: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    judged_parts: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    # Two blind marks further apart than this go to a third marker.
    tolerance: Mapped[int] = mapped_column(
        nullable=False,
        default=2,
    )
    # The theory quiz made from the rules when the programme is published.
    quiz_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quizzes.id", ondelete="SET NULL"),
        nullable=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    published_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    organisation: Mapped[Organisation] = relationship()
    standard: Mapped[Standard] = relationship()
    level: Mapped[StandardLevel] = relationship()
    bank: Mapped[QuestionBank | None] = relationship()
    quiz: Mapped[Quiz | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("tolerance >= 0", name="tolerance_not_negative"),
        sa.CheckConstraint("theory_minutes >= 1", name="theory_minutes_positive"),
    )

    @property
    def is_published(self) -> bool:
        return self.status == ProgrammeStatus.PUBLISHED

    def judged_part(self, key: str) -> dict[str, Any] | None:
        return next((part for part in self.judged_parts if part["key"] == key), None)

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.title!r}>"
