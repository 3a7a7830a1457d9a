"""Sittings: a programme's exam at a time and place, its candidates and incidents."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.assessment.models import Attempt
from academy.auth.models import Organisation, User
from academy.certification.programmes.models import Programme
from academy.db import Base, UTCDateTime, str_enum, utcnow


class CandidateStatus(enum.StrEnum):
    REGISTERED = "registered"
    CHECKED_IN = "checked_in"
    SITTING = "sitting"
    FINISHED = "finished"

    # The member's label in the reader's language, shown by the templates as ``.title``;
    # it deliberately replaces str.title(), which nothing calls on these members.
    @property
    def title(self) -> str:  # type: ignore[override]
        from flask_babel import gettext as _

        return {
            CandidateStatus.REGISTERED: _("registered"),
            CandidateStatus.CHECKED_IN: _("checked in"),
            CandidateStatus.SITTING: _("sitting the exam"),
            CandidateStatus.FINISHED: _("finished"),
        }[self]


class Sitting(Base):
    """One exam session of a programme: window, place, seats, rules and release."""

    __tablename__ = "certification_sittings"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_programmes.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    starts_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
    )
    ends_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
    )
    # A room ("Building B, room 204") or empty for an online sitting.
    room: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
        default="",
    )
    seats: Mapped[int] = mapped_column(
        nullable=False,
    )
    # A candidate may start up to this many minutes after the start ...
    late_start_minutes: Mapped[int] = mapped_column(
        nullable=False,
        default=30,
    )
    # ... and may not finish in the first minutes of the sitting.
    earliest_finish_minutes: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    is_self_registration: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    # Self-registration needs: {"completed_course": slug} and/or {"member_of": org slug}.
    eligibility: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    appeal_days: Mapped[int] = mapped_column(
        nullable=False,
        default=14,
    )
    released_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    programme: Mapped[Programme] = relationship()
    candidates: Mapped[list[Candidate]] = relationship(
        back_populates="sitting",
        order_by="Candidate.number",
    )

    __table_args__ = (
        sa.CheckConstraint("ends_dt > starts_dt", name="ends_after_start"),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("late_start_minutes >= 0", name="late_start_not_negative"),
        sa.CheckConstraint("earliest_finish_minutes >= 0", name="earliest_finish_not_negative"),
        sa.CheckConstraint("appeal_days >= 0", name="appeal_days_not_negative"),
    )

    @property
    def is_online(self) -> bool:
        return not self.room

    @property
    def is_released(self) -> bool:
        return self.released_dt is not None

    @property
    def organisation(self) -> Organisation:
        return self.programme.organisation

    def has_started(self, now: datetime) -> bool:
        return now >= self.starts_dt

    def appeals_close_dt(self) -> datetime | None:
        if self.released_dt is None:
            return None
        return self.released_dt + timedelta(days=self.appeal_days)

    def __repr__(self) -> str:
        return f"<Sitting {self.id} {self.title!r}>"


class Candidate(Base):
    """A person registered for a sitting, known to markers only by ``number``."""

    __tablename__ = "certification_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_sittings.id", ondelete="CASCADE"),
        nullable=False,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    # The school that registered the candidate (its teachers see the results).
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    number: Mapped[str] = mapped_column(
        sa.String(16),
        nullable=False,
        unique=True,
    )
    status: Mapped[CandidateStatus] = mapped_column(
        str_enum(CandidateStatus, "candidate_status"),
        nullable=False,
        default=CandidateStatus.REGISTERED,
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    registered_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    extra_minutes: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    checked_in_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    checked_in_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    seat_number: Mapped[str] = mapped_column(
        sa.String(16),
        nullable=False,
        default="",
    )
    started_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    deadline_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    finished_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="SET NULL"),
        nullable=True,
    )
    market_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="SET NULL"),
        nullable=True,
    )
    # The browser session allowed to sit: a login elsewhere replaces it.
    session_key: Mapped[str | None] = mapped_column(
        sa.String(64),
        nullable=True,
    )
    # The practical's verdict: [{"key", "unit", "points", "max_points", "criteria": [...]}]
    practical: Mapped[list[dict[str, Any]] | None] = mapped_column(
        sa.JSON(none_as_null=True),
        nullable=True,
    )

    sitting: Mapped[Sitting] = relationship(back_populates="candidates")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    school: Mapped[Organisation | None] = relationship()
    attempt: Mapped[Attempt | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("sitting_id", "user_id"),
        sa.CheckConstraint("extra_minutes >= 0", name="extra_minutes_not_negative"),
        sa.Index("ix_certification_candidates_sitting_id_status", "sitting_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<Candidate {self.number}>"


class Incident(Base):
    """Something an invigilator noted during a sitting (append-only)."""

    __tablename__ = "certification_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_sittings.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    candidate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certification_candidates.id", ondelete="SET NULL"),
        nullable=True,
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    recorded_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    description: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
    )

    candidate: Mapped[Candidate | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
