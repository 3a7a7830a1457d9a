"""Appliers for the market, firms, buyers, the platform and the ledger."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sandbox.engine.state import MarketState
from sandbox.scenario.model import World

__all__ = [
    "buyer_joined",
    "close_rfq",
    "count",
    "day_closed",
    "dispute_escalated",
    "dispute_opened",
    "dispute_resolved",
    "firm_registered",
    "fx_rates_set",
    "inquiry_answered",
    "inquiry_sent",
    "journal_posted",
    "listing_improved",
    "market_opened",
    "quote_edited",
    "quote_submitted",
    "rfq_closed",
    "rfq_lapsed",
    "rfq_posted",
]


def count(state: MarketState, kind: str) -> None:
    """Advance the id counter of ``kind`` (ids are derived from counters, so replay reproduces them)."""
    state.counters[kind] = state.counters.get(kind, 0) + 1


def market_opened(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``MarketOpened``: a market starts from a resolved scenario."""
    state.world = World.from_dict(data["world"])
    state.world_digest = hashlib.sha256(
        json.dumps(data["world"], sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()
    state.market_id = data["market_id"]
    state.seed = data["seed"]


def firm_registered(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``FirmRegistered``: a firm joins the market."""
    world = state.world
    assert world is not None
    state.firms[data["firm_id"]] = {
        "id": data["firm_id"],
        "name": data["name"],
        "licence_no": data["licence_no"],
        "products": list(data["products"]),
        "bot": data["bot"],
        "customs_score": int(world.customs["initial_credit_score"]),
        "listing_quality": {pid: 30 for pid in data["products"]},  # tenths of a point, 0-50
        "stock": {},
        "inquiry_log": [],
        "quotes_by_month": {},
        "stats": {
            "quotes": 0,
            "contracts": 0,
            "shipped": 0,
            "on_time": 0,
            "arrived": 0,
            "disputes": 0,
        },
    }
    for pid in data["products"]:
        state.firms_by_product.setdefault(pid, []).append(data["firm_id"])
    count(state, "firm")


def buyer_joined(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``BuyerJoined``: a synthetic buyer appears (Faker data stored, so replays never re-run Faker)."""
    state.buyers[data["buyer_id"]] = {**data, "memory": {}, "open_rfq": None}
    state.buyer_ids.append(data["buyer_id"])
    count(state, "buyer")


def fx_rates_set(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``FxRatesSet``: the day's mid rates, CNY per unit x 10**8."""
    state.fx = dict(data["rates"])


def journal_posted(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``JournalPosted``: one balanced double-entry journal."""
    state.ledger.post(data["lines"], genesis=data["ref"] == "genesis")
    count(state, "journal")


def inquiry_sent(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``InquirySent``: a buyer asks a firm."""
    inquiry = {**data, "day": state.day, "answered_day": None}
    state.inquiries[data["inquiry_id"]] = inquiry
    state.firms[data["firm_id"]]["inquiry_log"].append([state.day, None])
    inquiry["log_index"] = len(state.firms[data["firm_id"]]["inquiry_log"]) - 1
    state.pending_inquiries.setdefault(data["firm_id"], {})[data["inquiry_id"]] = None
    count(state, "inquiry")


def inquiry_answered(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``InquiryAnswered``: a firm replies to an inquiry."""
    inquiry = state.inquiries[data["inquiry_id"]]
    inquiry["answered_day"] = state.day
    state.pending_inquiries.get(data["firm_id"], {}).pop(data["inquiry_id"], None)
    state.firms[data["firm_id"]]["inquiry_log"][inquiry["log_index"]][1] = state.day
    buyer = state.buyers[inquiry["buyer_id"]]
    if state.day - inquiry["day"] <= 1:
        memory = buyer["memory"]
        memory[data["firm_id"]] = memory.get(data["firm_id"], 0) + 1


def rfq_posted(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RfqPosted``: a buyer posts a request for quotation."""
    state.rfqs[data["rfq_id"]] = {**data, "day": state.day, "quotes": [], "status": "open"}
    state.buyers[data["buyer_id"]]["open_rfq"] = data["rfq_id"]
    state.open_rfqs_by_product.setdefault(data["product_id"], {})[data["rfq_id"]] = None
    state.schedule("rfq_deadline", data["deadline_day"], data["rfq_id"])
    count(state, "rfq")


def quote_submitted(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``QuoteSubmitted``: a firm quotes an RFQ (USD cents per unit)."""
    state.quotes[data["quote_id"]] = {**data, "day": state.day}
    rfq = state.rfqs[data["rfq_id"]]
    rfq["quotes"].append(data["quote_id"])
    firm = state.firms[data["firm_id"]]
    month = str(state.day // 30)
    firm["quotes_by_month"][month] = firm["quotes_by_month"].get(month, 0) + 1
    firm["stats"]["quotes"] += 1
    count(state, "quote")


def quote_edited(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``QuoteEdited``: a firm uses its one edit of a quote."""
    quote = state.quotes[data["quote_id"]]
    quote["unit_price"] = data["unit_price"]
    quote["edited"] = True


def close_rfq(state: MarketState, rfq: dict[str, Any], status: str) -> None:
    """Mark an RFQ closed and drop it from the open index."""
    rfq["status"] = status
    state.open_rfqs_by_product.get(rfq["product_id"], {}).pop(rfq["rfq_id"], None)


def rfq_closed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RfqClosed``: an RFQ stops taking quotes (10 quotes or deadline)."""
    rfq = state.rfqs[data["rfq_id"]]
    close_rfq(state, rfq, "closed")
    rfq["closed_reason"] = data["reason"]
    state.awaiting_award.append(data["rfq_id"])


def rfq_lapsed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RfqLapsed``: an RFQ ends without an award."""
    rfq = state.rfqs[data["rfq_id"]]
    close_rfq(state, rfq, "lapsed")
    rfq["lapsed_reason"] = data["reason"]
    state.buyers[rfq["buyer_id"]]["open_rfq"] = None
    if data["rfq_id"] in state.awaiting_award:
        state.awaiting_award.remove(data["rfq_id"])


def dispute_opened(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DisputeOpened``: a buyer complains after receipt."""
    contract = state.contracts[data["contract_id"]]
    state.disputes[data["dispute_id"]] = {**data, "day": state.day, "status": "negotiating"}
    contract["dispute_id"] = data["dispute_id"]
    state.firms[contract["firm_id"]]["stats"]["disputes"] += 1
    memory = state.buyers[contract["buyer_id"]]["memory"]
    memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) - 3
    world = state.world
    assert world is not None
    for offset in (
        int(world.platform["dispute_buyer_escalation_day"]),
        int(world.platform["dispute_auto_escalation_day"]),
    ):
        state.schedule("dispute", state.day + offset, data["dispute_id"])
    count(state, "dispute")


def dispute_escalated(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DisputeEscalated``: a dispute goes to platform arbitration."""
    dispute = state.disputes[data["dispute_id"]]
    dispute["status"] = "escalated"
    dispute["escalated_day"] = state.day
    state.schedule("dispute", state.day + 3, data["dispute_id"])


def dispute_resolved(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DisputeResolved``: a dispute ends with a refund (USD cents); book in CNY fen."""
    dispute = state.disputes[data["dispute_id"]]
    dispute["status"] = "resolved"
    dispute["refund"] = data["refund"]
    dispute["resolved_by"] = data["by"]
    contract = state.contracts[dispute["contract_id"]]
    contract["refunded"] = contract.get("refunded", 0) + data["refund"]
    if data["book"]:
        contract["receivable_usd"] -= data["refund"]
        contract["receivable_cny"] -= data["book"]
    if contract["escrow_held"]:
        contract["escrow_held"] -= min(contract["escrow_held"], data["refund"])
        state.schedule("escrow", state.day, dispute["contract_id"])


def listing_improved(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ListingImproved``: a listing's quality score rises."""
    state.firms[data["firm_id"]]["listing_quality"][data["product_id"]] = data["quality"]


def shock_injected(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ShockInjected``: an operator injects an event; the phases read it from here."""
    state.shocks[data["shock_id"]] = dict(data)
    count(state, "shock")


def day_closed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DayClosed``: the sim-day ends."""
    state.day = data["day"] + 1
