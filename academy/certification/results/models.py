"""A candidate's result: points per part and unit, the level reached and why (or why not)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.certification.sittings.models import Candidate
from academy.db import Base, UTCDateTime, utcnow


class CandidateResult(Base):
    """Computed when results are released (and again after a re-mark on appeal)."""

    __tablename__ = "certification_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_candidates.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    )
    # {"theory": {"points": .., "max_points": ..}, "practical": {...}, "judged": {...}}
    parts: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    # [{"code", "title", "title_zh", "weight", "points", "max_points", "percent", "met"}]
    units: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    # The weighted total in percent, two decimals, as a string (Decimal, never float).
    total_percent: Mapped[str] = mapped_column(
        sa.String(8),
        nullable=False,
    )
    is_level_achieved: Mapped[bool] = mapped_column(
        nullable=False,
    )
    # [{"key": ..., "params": {...}}]: plain-word reasons, translated when shown.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    computed_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    candidate: Mapped[Candidate] = relationship()
