"""Market state: plain data folded from events by ``sandbox.engine.appliers``.

State is plain data (dicts, lists, ints, strings) so it hashes through canonical
JSON. Only the appliers mutate it; they never draw random numbers, read the clock or
consult anything but the event, so ``replay(events)`` rebuilds the same state.
Indexes (open RFQs by product, the agenda of timed work) are derived by the same
appliers and left out of the hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sandbox.ledger import Ledger
from sandbox.scenario.model import World

__all__ = ["AGENDA_KINDS", "MarketState"]


AGENDA_KINDS = (
    "rfq_deadline",
    "goods_due",
    "supplier_due",
    "customs",
    "arrival",
    "lc_exam",
    "lc_expiry",
    "receivable",
    "write_off",
    "escrow",
    "dispute",
    "rebate",
    "forward",
    "late_check",
)


class MarketState:
    """Everything a market knows; built only by applying events."""

    def __init__(self) -> None:
        self.world: World | None = None
        self.world_digest = ""
        self.market_id = ""
        self.seed = 0
        self.day = 0
        self.seq = 0
        self.fx: dict[str, int] = {}
        self.ledger = Ledger()
        self.firms: dict[str, dict[str, Any]] = {}
        self.buyers: dict[str, dict[str, Any]] = {}
        self.inquiries: dict[str, dict[str, Any]] = {}
        self.rfqs: dict[str, dict[str, Any]] = {}
        self.quotes: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, dict[str, Any]] = {}
        self.purchase_orders: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, dict[str, Any]] = {}
        self.forwards: dict[str, dict[str, Any]] = {}
        self.credit_limits: dict[str, dict[str, Any]] = {}
        self.counters: dict[str, int] = {}
        self.shocks: dict[str, dict[str, Any]] = {}
        # Derived indexes: rebuilt by the appliers, not hashed.
        self.buyer_ids: list[str] = []
        self.open_rfqs_by_product: dict[str, dict[str, None]] = {}
        self.firms_by_product: dict[str, list[str]] = {}
        self.awaiting_award: list[str] = []
        self.awaiting_departure: dict[str, None] = {}
        self.supplier_load: dict[str, int] = {}
        self.pending_inquiries: dict[str, dict[str, None]] = {}
        self.active_by_firm: dict[str, dict[str, None]] = {}
        self.open_forwards_by_firm: dict[str, dict[str, None]] = {}
        self.agenda: dict[str, dict[int, list[str]]] = {kind: {} for kind in AGENDA_KINDS}

    def next_id(self, kind: str, prefix: str, width: int = 6) -> str:
        """Return the id the next entity of ``kind`` will get (appliers advance the counter)."""
        return f"{prefix}{self.counters.get(kind, 0) + 1:0{width}d}"

    def schedule(self, kind: str, day: int, item: str) -> None:
        """Add ``item`` to the agenda of ``kind`` for ``day`` (used by appliers only)."""
        self.agenda[kind].setdefault(day, []).append(item)

    def canonical(self) -> dict[str, Any]:
        """Return the hashed part of the state as JSON-ready data.

        ``shocks`` is included only once one was injected, so the hashes of markets
        without shocks are those they always had.
        """
        data = {
            "market_id": self.market_id,
            "seed": self.seed,
            "world": self.world_digest,
            "day": self.day,
            "seq": self.seq,
            "fx": self.fx,
            "ledger": self.ledger.canonical(),
            "money_supply": self.ledger.supply,
            "firms": self.firms,
            "buyers": self.buyers,
            "inquiries": self.inquiries,
            "rfqs": self.rfqs,
            "quotes": self.quotes,
            "contracts": self.contracts,
            "purchase_orders": self.purchase_orders,
            "disputes": self.disputes,
            "forwards": self.forwards,
            "credit_limits": self.credit_limits,
            "counters": self.counters,
        }
        if self.shocks:
            data["shocks"] = self.shocks
        return data

    def state_hash(self) -> str:
        """Return the SHA-256 of the canonical JSON of the state."""
        text = json.dumps(
            self.canonical(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
