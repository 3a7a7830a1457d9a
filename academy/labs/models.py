"""Sandbox markets in the database: the market row, its firms, events, snapshots, receipts.

The event table is the source of truth: a market's state is the fold of its events.
Snapshots only save replay time and may be deleted at any moment. See
``docs/labs-persistence.md`` for the locking and idempotency rules.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.catalog.models import Lesson
from academy.db import Base, UTCDateTime, str_enum, utcnow
from academy.learning.models import SchoolClass


class MarketKind(enum.StrEnum):
    CLASS_MARKET = "class_market"
    PRIVATE_LAB = "private_lab"
    EXAM = "exam"


class MarketStatus(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class SandboxMarket(Base):
    """One running sandbox world: a class market, a student's private lab or an exam.

    ``last_seq`` and ``sim_day`` mirror the end of the event log so lists and pages need
    not read it; they change only in the transaction that appends the events.
    """

    __tablename__ = "sandbox_markets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MarketKind] = mapped_column(
        str_enum(MarketKind, "sandbox_market_kind"),
        nullable=False,
    )
    name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
        default="",
    )
    scenario: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    seed: Mapped[int] = mapped_column(
        sa.BigInteger,
        nullable=False,
    )
    buyers: Mapped[int] = mapped_column(
        nullable=False,
    )
    status: Mapped[MarketStatus] = mapped_column(
        str_enum(MarketStatus, "sandbox_market_status"),
        nullable=False,
        default=MarketStatus.RUNNING,
    )
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    last_seq: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    sim_day: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    snapshot_seq: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    # The lesson of a private lab market (null for class markets and exams).
    lesson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    # The clock's schedule: a sim-day every ``tick_minutes`` (null: advanced by hand).
    tick_minutes: Mapped[int | None] = mapped_column(
        nullable=True,
    )
    next_tick_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    # The token of the form that created the market: a double-clicked "create" makes one.
    creation_key: Mapped[str | None] = mapped_column(
        sa.String(80),
        nullable=True,
        unique=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    school_class: Mapped[SchoolClass | None] = relationship()
    owner: Mapped[User | None] = relationship()
    lesson: Mapped[Lesson | None] = relationship()
    firms: Mapped[list[MarketFirm]] = relationship(
        back_populates="market", order_by="MarketFirm.firm_id"
    )

    __table_args__ = (
        sa.CheckConstraint("buyers >= 0", name="buyers_not_negative"),
        sa.CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),
        sa.CheckConstraint("snapshot_seq <= last_seq", name="snapshot_not_ahead"),
        sa.CheckConstraint("tick_minutes IS NULL OR tick_minutes >= 1", name="tick_positive"),
    )

    @property
    def engine_market_id(self) -> str:
        """The ``market_id`` recorded in the market's ``MarketOpened`` event."""
        return f"market{self.id}"

    @property
    def is_running(self) -> bool:
        return self.status == MarketStatus.RUNNING


class MarketFirm(Base):
    """A firm in a market, played by a student (``user_id``) or a bot (``bot``)."""

    __tablename__ = "market_firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
    )
    firm_id: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    bot: Mapped[str | None] = mapped_column(
        sa.String(40),
        nullable=True,
    )
    display_name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    market: Mapped[SandboxMarket] = relationship(back_populates="firms")
    user: Mapped[User | None] = relationship()
    members: Mapped[list[FirmMember]] = relationship(
        back_populates="firm", order_by="FirmMember.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("market_id", "firm_id"),
        sa.CheckConstraint("user_id IS NULL OR bot IS NULL", name="student_or_bot"),
    )

    @property
    def is_bot(self) -> bool:
        return self.bot is not None

    @property
    def people(self) -> str:
        """Who runs the firm, for lists: the team's names, or the bot's strategy."""
        names = [member.user.display_name for member in self.members]
        if not names and self.user is not None:
            names = [self.user.display_name]
        return ", ".join(names)


class FirmMember(Base):
    """A student who acts for a firm. A firm run by a team has several; a student is in
    at most one firm of a market. ``MarketFirm.user_id`` is the student it was founded for.
    """

    __tablename__ = "market_firm_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
    )
    market_firm_id: Mapped[int] = mapped_column(
        sa.ForeignKey("market_firms.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    joined_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    firm: Mapped[MarketFirm] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("market_id", "user_id"),)


class MarketEvent(Base):
    """One engine event of one market; append-only, keyed by (market, seq)."""

    __tablename__ = "market_events"

    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        primary_key=True,
    )
    seq: Mapped[int] = mapped_column(
        primary_key=True,
        autoincrement=False,
    )
    day: Mapped[int] = mapped_column(
        nullable=False,
    )
    type: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    version: Mapped[int] = mapped_column(
        nullable=False,
    )
    data: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (sa.CheckConstraint("seq >= 1", name="seq_positive"),)


@event.listens_for(MarketEvent, "before_update")
@event.listens_for(MarketEvent, "before_delete")
def _refuse_event_change(_mapper: Any, _connection: Any, target: MarketEvent) -> None:
    # The log is history: correcting it would break every replay and check built on it.
    raise RuntimeError(f"market events are append-only (market {target.market_id})")


class MarketSnapshot(Base):
    """The whole engine state of a market at ``seq``, zlib-compressed canonical JSON."""

    __tablename__ = "market_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
    )
    seq: Mapped[int] = mapped_column(
        nullable=False,
    )
    day: Mapped[int] = mapped_column(
        nullable=False,
    )
    state: Mapped[bytes] = mapped_column(
        sa.LargeBinary,
        nullable=False,
    )
    state_hash: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (sa.UniqueConstraint("market_id", "seq"),)


class CommandReceipt(Base):
    """Proof that a command with this idempotency key was applied once.

    Written in the same transaction as the command's events, so a retried or
    double-clicked submit finds it and gets the first result back instead of acting
    again. Rejected commands leave no receipt (they changed nothing). The receipts are
    also the per-student action log of a firm.
    """

    __tablename__ = "command_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
    )
    idempotency_key: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    firm_id: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
    )
    command: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    first_seq: Mapped[int] = mapped_column(
        nullable=False,
    )
    last_seq: Mapped[int] = mapped_column(
        nullable=False,
    )
    result: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    user: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("market_id", "idempotency_key"),)


class MarketRejection(Base):
    """A student's command the engine refused: nothing changed in the market, but the
    refusal is part of the student's record (checks such as ``max_rejections`` read it,
    teachers see it on the firm's timeline)."""

    __tablename__ = "market_rejections"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
    )
    firm_id: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    command: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    code: Mapped[str] = mapped_column(
        sa.String(60),
        nullable=False,
    )
    field: Mapped[str | None] = mapped_column(
        sa.String(60),
        nullable=True,
    )
    message: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    sim_day: Mapped[int] = mapped_column(
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    user: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_market_rejections_market_firm", "market_id", "firm_id"),)


class LabResult(Base):
    """One run of a lab lesson's check on a student's private lab market."""

    __tablename__ = "lab_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sandbox_markets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    lesson_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="CASCADE"),
        nullable=False,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )
    passed: Mapped[bool] = mapped_column(
        nullable=False,
    )
    at_seq: Mapped[int] = mapped_column(
        nullable=False,
    )
    sim_day: Mapped[int] = mapped_column(
        nullable=False,
    )
    # The check's per-criterion result: [{"key", "met", "message", "details"}, ...].
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    checked_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    market: Mapped[SandboxMarket] = relationship()

    __table_args__ = (sa.Index("ix_lab_results_lesson_user", "lesson_id", "user_id"),)
