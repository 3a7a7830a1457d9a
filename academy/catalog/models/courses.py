"""Courses, their partner organisations and their teams.

Structure and settings live on the rows themselves and are changed by the course
team directly.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation, User
from academy.db import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:  # lessons.py imports this module
    from academy.catalog.models.lessons import Lesson, Module


class CourseLevel(enum.StrEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class PartnerRole(enum.StrEnum):
    LEAD = "lead"
    PARTNER = "partner"


class TeamRole(enum.StrEnum):
    """A person's part in writing one course."""

    OWNER = "owner"
    CO_AUTHOR = "co_author"
    REVIEWER = "reviewer"


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
        unique=True,
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
    level: Mapped[CourseLevel] = mapped_column(
        str_enum(CourseLevel, "course_level"),
        nullable=False,
        default=CourseLevel.INTRODUCTORY,
    )
    tags: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    # The Chinese names of ``tags``, position by position (empty: show the tag).
    tags_zh: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
        server_default="[]",
    )
    is_open: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    is_listed: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    # Four eyes: off, a change is approved by someone other than its author.
    allow_self_approval: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
        server_default=sa.false(),
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    partners: Mapped[list[CoursePartner]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="CoursePartner.position",
    )
    team: Mapped[list[CourseTeamMember]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="CourseTeamMember.id",
    )
    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="Module.position",
    )
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        order_by="Lesson.position",
        overlaps="module,lessons",
    )

    def team_role(self, user: Any) -> TeamRole | None:
        for member in self.team:
            if member.user_id == getattr(user, "id", None):
                return member.role
        return None

    @property
    def lead_organisation(self) -> Organisation | None:
        for partner in self.partners:
            if partner.role == PartnerRole.LEAD:
                return partner.organisation
        return self.partners[0].organisation if self.partners else None

    def tag_pairs(self) -> list[tuple[str, str]]:
        """Each tag with its Chinese name ("" where the course gives none)."""
        names = list(self.tags_zh or [])
        return [(tag, names[i] if i < len(names) else "") for i, tag in enumerate(self.tags)]

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CoursePartner(Base):
    """An organisation credited as co-developer of a course."""

    __tablename__ = "course_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    role: Mapped[PartnerRole] = mapped_column(
        str_enum(PartnerRole, "partner_role"),
        nullable=False,
        default=PartnerRole.PARTNER,
    )
    contribution: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    contribution_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    position: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )

    course: Mapped[Course] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (sa.UniqueConstraint("course_id", "organisation_id"),)


class CourseTeamMember(Base):
    __tablename__ = "course_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    role: Mapped[TeamRole] = mapped_column(
        str_enum(TeamRole, "team_role"),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    course: Mapped[Course] = relationship(back_populates="team")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("course_id", "user_id"),)
