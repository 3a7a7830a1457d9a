"""Judged responses, their independent marks, the decisions taken on them, appeals.

Nothing here is ever updated in place except ``JudgedResponse.final_marks`` (a cache
of the newest ``MarkDecision``): marks and decisions are only ever added, so a re-mark
after an appeal sits beside the marks it reconsidered.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.certification.sittings.models import Candidate
from academy.db import Base, UTCDateTime, str_enum, utcnow


class MarkRound(enum.IntEnum):
    FIRST = 1
    SECOND = 2
    THIRD = 3  # a third marker or the chief examiner, when the first two disagree


class DecisionRule(enum.StrEnum):
    """How a final mark came about (recorded with every decision)."""

    MEAN_WITHIN_TOLERANCE = "within_tolerance"
    THIRD_MARKER_CLOSEST = "third_marker"
    CHIEF_EXAMINER = "chief_examiner"
    APPEAL_REMARK = "appeal_remark"

    # The member's label in the reader's language, shown by the templates as ``.title``;
    # it deliberately replaces str.title(), which nothing calls on these members.
    @property
    def title(self) -> str:  # type: ignore[override]
        from flask_babel import gettext as _

        return {
            DecisionRule.MEAN_WITHIN_TOLERANCE: _(
                "the two blind marks were within tolerance: their mean"
            ),
            DecisionRule.THIRD_MARKER_CLOSEST: _(
                "the marks differed beyond tolerance: the third mark with the closer blind mark"
            ),
            DecisionRule.CHIEF_EXAMINER: _(
                "the marks differed beyond tolerance: the chief examiner's mark"
            ),
            DecisionRule.APPEAL_REMARK: _("re-marked on appeal by the chief examiner"),
        }[self]


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    REMARKED = "remarked"
    DISMISSED = "dismissed"


class JudgedResponse(Base):
    """A candidate's answer to a judged part (an essay, a letter)."""

    __tablename__ = "certification_judged_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_candidates.id", ondelete="CASCADE"),
        nullable=False,
    )
    part_key: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    unit_code: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    max_marks: Mapped[int] = mapped_column(
        nullable=False,
    )
    text: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    saved_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    final_marks: Mapped[int | None] = mapped_column(
        nullable=True,
    )
    needs_third_mark: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )

    candidate: Mapped[Candidate] = relationship()
    marks: Mapped[list[Mark]] = relationship(
        back_populates="response",
        order_by="Mark.id",
    )
    decisions: Mapped[list[MarkDecision]] = relationship(
        back_populates="response",
        order_by="MarkDecision.id",
    )

    __table_args__ = (sa.UniqueConstraint("candidate_id", "part_key"),)

    def mark_of_round(self, round_: int) -> Mark | None:
        return next((mark for mark in self.marks if mark.round == round_), None)


class Mark(Base):
    """One examiner's mark of a response; the unique round makes each blind mark once."""

    __tablename__ = "certification_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_judged_responses.id", ondelete="CASCADE"),
        nullable=False,
    )
    # 1 and 2: the blind marks; 3: third marker or chief examiner; 4 and on: re-marks.
    round: Mapped[int] = mapped_column(
        nullable=False,
    )
    marker_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    marks: Mapped[int] = mapped_column(
        nullable=False,
    )
    comment: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    marked_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    response: Mapped[JudgedResponse] = relationship(back_populates="marks")
    marker: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("response_id", "round"),
        sa.CheckConstraint("marks >= 0", name="marks_not_negative"),
        sa.CheckConstraint("round >= 1", name="round_positive"),
    )


class MarkDecision(Base):
    """A final mark and the rule that produced it; a later decision supersedes it."""

    __tablename__ = "certification_mark_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_judged_responses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    marks: Mapped[int] = mapped_column(
        nullable=False,
    )
    rule: Mapped[DecisionRule] = mapped_column(
        str_enum(DecisionRule, "mark_decision_rule"),
        nullable=False,
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    decided_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    response: Mapped[JudgedResponse] = relationship(back_populates="decisions")


class Appeal(Base):
    """A candidate's appeal against a released result, and what came of it."""

    __tablename__ = "certification_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_candidates.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    reason: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
    )
    status: Mapped[AppealStatus] = mapped_column(
        str_enum(AppealStatus, "appeal_status"),
        nullable=False,
        default=AppealStatus.OPEN,
    )
    lodged_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    decided_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    outcome: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )

    candidate: Mapped[Candidate] = relationship()
