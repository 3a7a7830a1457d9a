"""Reads about sandbox markets: rows, firms, events and action logs (no writes)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.auth.models import User
from academy.db import db
from academy.labs.models import (
    CommandReceipt,
    FirmMember,
    MarketEvent,
    MarketFirm,
    MarketSnapshot,
    SandboxMarket,
)
from academy.labs.store import DatabaseEventStore

__all__ = [
    "firm_for_user",
    "firm_of_market",
    "firms_of_market",
    "get_market",
    "latest_snapshot_seq",
    "market_events",
    "markets_of_class",
    "markets_of_user",
    "receipts_of_firm",
]


def get_market(market_id: int) -> SandboxMarket | None:
    """Return the market row with this id, or None."""
    return db.session.get(SandboxMarket, market_id)


def markets_of_class(class_id: int) -> list[SandboxMarket]:
    """Return a class's markets, newest first."""
    return list(
        db.session.scalars(
            sa.select(SandboxMarket)
            .where(SandboxMarket.class_id == class_id)
            .order_by(SandboxMarket.created_dt.desc(), SandboxMarket.id.desc())
        )
    )


def markets_of_user(user: User) -> list[SandboxMarket]:
    """Return the markets in which ``user`` runs a firm, newest first."""
    return list(
        db.session.scalars(
            sa.select(SandboxMarket)
            .join(FirmMember, FirmMember.market_id == SandboxMarket.id)
            .where(FirmMember.user_id == user.id)
            .order_by(SandboxMarket.created_dt.desc(), SandboxMarket.id.desc())
        )
    )


def firms_of_market(market: SandboxMarket) -> list[MarketFirm]:
    """Return a market's firms in firm-id order."""
    return list(
        db.session.scalars(
            sa.select(MarketFirm)
            .where(MarketFirm.market_id == market.id)
            .options(
                selectinload(MarketFirm.user),
                selectinload(MarketFirm.members).selectinload(FirmMember.user),
            )
            .order_by(MarketFirm.firm_id)
        )
    )


def firm_of_market(market: SandboxMarket, firm_id: str) -> MarketFirm | None:
    """Return the firm ``firm_id`` of ``market``, or None."""
    return db.session.scalar(
        sa.select(MarketFirm).where(
            MarketFirm.market_id == market.id, MarketFirm.firm_id == firm_id
        )
    )


def firm_for_user(market: SandboxMarket, user: User) -> MarketFirm | None:
    """Return the firm ``user`` runs in ``market`` (alone or in a team), or None."""
    return db.session.scalar(
        sa.select(MarketFirm)
        .join(FirmMember, FirmMember.market_firm_id == MarketFirm.id)
        .where(FirmMember.market_id == market.id, FirmMember.user_id == user.id)
    )


def market_events(
    market: SandboxMarket, from_seq: int = 1, to_seq: int | None = None
) -> list[dict[str, Any]]:
    """Return events of a market as ``{"seq", "day", "type", "v", "data"}`` dicts."""
    store = DatabaseEventStore(db.session, market)
    return [event.to_dict() for event in store.read(from_seq, to_seq)]


def event_count(market: SandboxMarket) -> int:
    """Return the number of stored events of a market."""
    return int(
        db.session.scalar(sa.select(sa.func.count()).where(MarketEvent.market_id == market.id)) or 0
    )


def latest_snapshot_seq(market: SandboxMarket) -> int:
    """Return the sequence number of the market's latest snapshot (0 when none)."""
    stored = db.session.scalar(
        sa.select(sa.func.max(MarketSnapshot.seq)).where(MarketSnapshot.market_id == market.id)
    )
    return int(stored or 0)


def receipts_of_firm(market: SandboxMarket, firm_id: str) -> list[CommandReceipt]:
    """Return the commands applied for a firm with their acting student, oldest first.

    This is the per-student action log: when several students share a firm, each
    receipt says who sent the command.
    """
    return list(
        db.session.scalars(
            sa.select(CommandReceipt)
            .where(CommandReceipt.market_id == market.id, CommandReceipt.firm_id == firm_id)
            .order_by(CommandReceipt.first_seq)
        )
    )
