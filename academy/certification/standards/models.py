"""Talent standards: a versioned standard, its levels and its units of competency.

A standard is imported from a file in the repository (``standards/<code>/standard.toml``).
Each import whose content differs from the newest version adds a version; a version
is never changed afterwards, so a programme (and every sitting of it) keeps pointing
at the units and weights its candidates were examined against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation
from academy.db import Base, UTCDateTime, utcnow


class Standard(Base):
    """One version of an association's talent standard."""

    __tablename__ = "certification_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    code: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    version: Mapped[int] = mapped_column(
        nullable=False,
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
    description: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    description_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # The digest of the file's content, so importing the same file again adds nothing.
    digest: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    imported_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    organisation: Mapped[Organisation] = relationship()
    levels: Mapped[list[StandardLevel]] = relationship(
        back_populates="standard",
        order_by="StandardLevel.position",
        cascade="all, delete-orphan",
    )
    units: Mapped[list[StandardUnit]] = relationship(
        back_populates="standard",
        order_by="StandardUnit.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "code", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    def level(self, code: str) -> StandardLevel | None:
        return next((level for level in self.levels if level.code == code), None)

    def unit(self, code: str) -> StandardUnit | None:
        return next((unit for unit in self.units if unit.code == code), None)

    def __repr__(self) -> str:
        return f"<Standard {self.code} v{self.version}>"


class StandardLevel(Base):
    """A level of a standard (elementary, intermediate, advanced) and what passing needs."""

    __tablename__ = "certification_standard_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_standards.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    code: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    position: Mapped[int] = mapped_column(
        nullable=False,
    )
    name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    name_zh: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
        default="",
    )
    description: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    description_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # A candidate reaches the level with this share of the weighted total ...
    pass_percent: Mapped[int] = mapped_column(
        nullable=False,
    )
    # ... and at least this share in every unit the level weighs.
    unit_pass_percent: Mapped[int] = mapped_column(
        nullable=False,
    )

    standard: Mapped[Standard] = relationship(back_populates="levels")

    __table_args__ = (
        sa.UniqueConstraint("standard_id", "code"),
        sa.CheckConstraint("pass_percent BETWEEN 0 AND 100", name="pass_percent_range"),
        sa.CheckConstraint("unit_pass_percent BETWEEN 0 AND 100", name="unit_pass_percent_range"),
    )


class StandardUnit(Base):
    """A unit of competency: code, description, weights per level, evidence, lessons."""

    __tablename__ = "certification_standard_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_standards.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    code: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    position: Mapped[int] = mapped_column(
        nullable=False,
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
    description: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    description_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # {level code: weight in percent of that level's exam}
    weights: Mapped[dict[str, int]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    # Kinds of evidence the unit needs: "knowledge", "practical", "portfolio".
    evidence: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    # Lessons and labs that teach the unit: "course-slug/lesson-slug".
    lessons: Mapped[list[str]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    # Rubric descriptors for judged evidence: [{"marks": n, "descriptor": ..., "descriptor_zh": ...}]
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )

    standard: Mapped[Standard] = relationship(back_populates="units")

    __table_args__ = (sa.UniqueConstraint("standard_id", "code"),)

    def __repr__(self) -> str:
        return f"<StandardUnit {self.code}>"
