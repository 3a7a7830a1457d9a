"""The job outbox: one row per task a request or command asked for.

A job row is written in the same transaction as the work that asked for it, so a task
exists exactly when that work committed. After the commit it is published to the
broker; a row still pending (the broker was down) is published again by the scheduler's
relay. The row is also the task's completion record: a worker marks it done in the
transaction of the task's effect, so a task delivered twice (a worker killed before it
acknowledged, a relay after a lost publish) does its work once.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Base, UTCDateTime, str_enum, utcnow


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """A task asked for by the application, with its arguments and progress."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    arguments: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="[]",
    )
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"),
        nullable=False,
        default=JobStatus.PENDING,
        index=True,
    )
    request_id: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        default="",
    )
    runs: Mapped[int] = mapped_column(
        sa.Integer,
        nullable=False,
        default=0,
    )
    last_error: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
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
    done_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
