"""An export a user asked for: its kind, its parameters, and the file once built."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.db import Base, UTCDateTime, str_enum, utcnow


class ExportStatus(enum.StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class ExportFile(Base):
    """A CSV file built in the background for its owner."""

    __tablename__ = "export_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    # The registered builder, e.g. "gradebook" or "class_progress".
    kind: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    # What the builder needs, as plain JSON values (e.g. {"class_id": 4}).
    params: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    # What the owner sees in the list, e.g. "Gradebook · Export practice 2026".
    title: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    filename: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    status: Mapped[ExportStatus] = mapped_column(
        str_enum(ExportStatus, "export_status"),
        nullable=False,
        default=ExportStatus.PENDING,
    )
    content: Mapped[str | None] = mapped_column(
        sa.Text,
        nullable=True,
    )
    rows: Mapped[int | None] = mapped_column(
        nullable=True,
    )
    # The queued job that builds it (None when it was built inline).
    job_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("jobs.id", ondelete="SET NULL"),
        nullable=True,
    )
    requested_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    ready_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    owner: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ExportFile {self.id} {self.kind} {self.status.value}>"
