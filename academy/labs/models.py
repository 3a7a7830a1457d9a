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
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    school_class: Mapped[SchoolClass | None] = relationship()
    owner: Mapped[User | None] = relationship()
    firms: Mapped[list[MarketFirm]] = relationship(
        back_populates="market", order_by="MarketFirm.firm_id"
    )

    __table_args__ = (
        sa.CheckConstraint("buyers >= 0", name="buyers_not_negative"),
        sa.CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),
        sa.CheckConstraint("snapshot_seq <= last_seq", name="snapshot_not_ahead"),
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

    __table_args__ = (
        sa.UniqueConstraint("market_id", "firm_id"),
        sa.CheckConstraint("user_id IS NULL OR bot IS NULL", name="student_or_bot"),
    )

    @property
    def is_bot(self) -> bool:
        return self.bot is not None


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
