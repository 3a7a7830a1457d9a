"""Market state and the appliers that fold events into it.

State is plain data (dicts, lists, ints, strings) so it hashes through canonical
JSON. Appliers are the only code that mutates state; they never draw random numbers,
read the clock or consult anything but the event, so ``replay(events)`` rebuilds the
same state. Indexes (open RFQs by product, the agenda of timed work) are derived in
the same appliers and left out of the hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sandbox.errors import ReplayError
from sandbox.events import Event
from sandbox.ledger import Ledger
from sandbox.scenario.model import World

__all__ = ["APPLIERS", "MarketState", "apply_event"]

#: Kinds of timed work in the agenda (each processed by one phase of ``step``).
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
        # Derived indexes: rebuilt by the appliers, not hashed.
        self.buyer_ids: list[str] = []
        self.open_rfqs_by_product: dict[str, dict[str, None]] = {}
        self.firms_by_product: dict[str, list[str]] = {}
        self.awaiting_award: list[str] = []
        self.awaiting_departure: dict[str, None] = {}
        self.supplier_load: dict[str, int] = {}
        self.pending_inquiries: dict[str, dict[str, None]] = {}
        self.active_by_firm: dict[str, dict[str, None]] = {}
        self.agenda: dict[str, dict[int, list[str]]] = {kind: {} for kind in AGENDA_KINDS}

    def next_id(self, kind: str, prefix: str, width: int = 6) -> str:
        """Return the id the next entity of ``kind`` will get (appliers advance the counter)."""
        return f"{prefix}{self.counters.get(kind, 0) + 1:0{width}d}"

    def schedule(self, kind: str, day: int, item: str) -> None:
        """Add ``item`` to the agenda of ``kind`` for ``day`` (used by appliers only)."""
        self.agenda[kind].setdefault(day, []).append(item)

    def canonical(self) -> dict[str, Any]:
        """Return the hashed part of the state as JSON-ready data."""
        return {
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

    def state_hash(self) -> str:
        """Return the SHA-256 of the canonical JSON of the state."""
        text = json.dumps(
            self.canonical(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _count(state: MarketState, kind: str) -> None:
    state.counters[kind] = state.counters.get(kind, 0) + 1


def _market_opened(state: MarketState, data: dict[str, Any]) -> None:
    state.world = World.from_dict(data["world"])
    state.world_digest = hashlib.sha256(
        json.dumps(data["world"], sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()
    state.market_id = data["market_id"]
    state.seed = data["seed"]


def _firm_registered(state: MarketState, data: dict[str, Any]) -> None:
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
    _count(state, "firm")


def _buyer_joined(state: MarketState, data: dict[str, Any]) -> None:
    state.buyers[data["buyer_id"]] = {**data, "memory": {}, "open_rfq": None}
    state.buyer_ids.append(data["buyer_id"])
    _count(state, "buyer")


def _fx_rates_set(state: MarketState, data: dict[str, Any]) -> None:
    state.fx = dict(data["rates"])


def _journal_posted(state: MarketState, data: dict[str, Any]) -> None:
    state.ledger.post(data["lines"], genesis=data["ref"] == "genesis")
    _count(state, "journal")


def _inquiry_sent(state: MarketState, data: dict[str, Any]) -> None:
    inquiry = {**data, "day": state.day, "answered_day": None}
    state.inquiries[data["inquiry_id"]] = inquiry
    state.firms[data["firm_id"]]["inquiry_log"].append([state.day, None])
    inquiry["log_index"] = len(state.firms[data["firm_id"]]["inquiry_log"]) - 1
    state.pending_inquiries.setdefault(data["firm_id"], {})[data["inquiry_id"]] = None
    _count(state, "inquiry")


def _inquiry_answered(state: MarketState, data: dict[str, Any]) -> None:
    inquiry = state.inquiries[data["inquiry_id"]]
    inquiry["answered_day"] = state.day
    state.pending_inquiries.get(data["firm_id"], {}).pop(data["inquiry_id"], None)
    state.firms[data["firm_id"]]["inquiry_log"][inquiry["log_index"]][1] = state.day
    buyer = state.buyers[inquiry["buyer_id"]]
    if state.day - inquiry["day"] <= 1:
        memory = buyer["memory"]
        memory[data["firm_id"]] = memory.get(data["firm_id"], 0) + 1


def _rfq_posted(state: MarketState, data: dict[str, Any]) -> None:
    state.rfqs[data["rfq_id"]] = {**data, "day": state.day, "quotes": [], "status": "open"}
    state.buyers[data["buyer_id"]]["open_rfq"] = data["rfq_id"]
    state.open_rfqs_by_product.setdefault(data["product_id"], {})[data["rfq_id"]] = None
    state.schedule("rfq_deadline", data["deadline_day"], data["rfq_id"])
    _count(state, "rfq")


def _quote_submitted(state: MarketState, data: dict[str, Any]) -> None:
    state.quotes[data["quote_id"]] = {**data, "day": state.day}
    rfq = state.rfqs[data["rfq_id"]]
    rfq["quotes"].append(data["quote_id"])
    firm = state.firms[data["firm_id"]]
    month = str(state.day // 30)
    firm["quotes_by_month"][month] = firm["quotes_by_month"].get(month, 0) + 1
    firm["stats"]["quotes"] += 1
    _count(state, "quote")


def _close_rfq(state: MarketState, rfq: dict[str, Any], status: str) -> None:
    rfq["status"] = status
    state.open_rfqs_by_product.get(rfq["product_id"], {}).pop(rfq["rfq_id"], None)


def _rfq_closed(state: MarketState, data: dict[str, Any]) -> None:
    rfq = state.rfqs[data["rfq_id"]]
    _close_rfq(state, rfq, "closed")
    rfq["closed_reason"] = data["reason"]
    state.awaiting_award.append(data["rfq_id"])


def _rfq_lapsed(state: MarketState, data: dict[str, Any]) -> None:
    rfq = state.rfqs[data["rfq_id"]]
    _close_rfq(state, rfq, "lapsed")
    rfq["lapsed_reason"] = data["reason"]
    state.buyers[rfq["buyer_id"]]["open_rfq"] = None
    if data["rfq_id"] in state.awaiting_award:
        state.awaiting_award.remove(data["rfq_id"])


def _contract_signed(state: MarketState, data: dict[str, Any]) -> None:
    rfq = state.rfqs[data["rfq_id"]]
    _close_rfq(state, rfq, "awarded")
    state.buyers[rfq["buyer_id"]]["open_rfq"] = None
    if data["rfq_id"] in state.awaiting_award:
        state.awaiting_award.remove(data["rfq_id"])
    state.contracts[data["contract_id"]] = {
        **data,
        "signed_day": state.day,
        "stage": "signed",
        "status": "active",
        "po_id": None,
        "freight": None,
        "declaration": None,
        "departed_day": None,
        "arrival_day": None,
        "outcome": None,
        "delay_days": 0,
        "cost": 0,
        "recognized": False,
        "revenue": 0,
        "advances_usd": 0,
        "advances_cny": 0,
        "receivable_usd": 0,
        "receivable_cny": 0,
        "paid_usd": 0,
        "receivables": [],
        "lc": None,
        "escrow_held": 0,
        "release_day": None,
        "dispute_id": None,
        "rebate": None,
        "credit_insured": False,
    }
    state.firms[data["firm_id"]]["stats"]["contracts"] += 1
    state.active_by_firm.setdefault(data["firm_id"], {})[data["contract_id"]] = None
    world = state.world
    assert world is not None
    cancel_after = int(world.events["late_shipment_cancel_days"])
    state.schedule("late_check", data["ship_by_day"] + cancel_after, data["contract_id"])
    _count(state, "contract")


def _lc_issued(state: MarketState, data: dict[str, Any]) -> None:
    state.contracts[data["contract_id"]]["lc"] = {
        "credit": data["credit"],
        "state": "issued",
        "presentations": 0,
        "amended": False,
        "pending": None,
    }
    state.schedule("lc_expiry", data["credit"]["expiry_day"] + 1, data["contract_id"])


def _lc_amended(state: MarketState, data: dict[str, Any]) -> None:
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["amended"] = True
    if data["accepted"]:
        lc["credit"] = data["credit"]
        state.schedule("lc_expiry", data["credit"]["expiry_day"] + 1, data["contract_id"])


def _purchase_order_placed(state: MarketState, data: dict[str, Any]) -> None:
    state.purchase_orders[data["po_id"]] = {**data, "day": state.day, "status": "ordered"}
    state.contracts[data["contract_id"]]["po_id"] = data["po_id"]
    supplier = data["supplier_id"]
    state.supplier_load[supplier] = state.supplier_load.get(supplier, 0) + data["quantity"]
    state.schedule("goods_due", data["due_day"], data["po_id"])
    _count(state, "po")


def _goods_received(state: MarketState, data: dict[str, Any]) -> None:
    order = state.purchase_orders[data["po_id"]]
    order["status"] = "received"
    order["received_day"] = state.day
    state.supplier_load[order["supplier_id"]] -= order["quantity"]
    stock = state.firms[order["firm_id"]]["stock"].setdefault(order["product_id"], [0, 0])
    stock[0] += order["quantity"]
    stock[1] += order["quantity"] * order["unit_cost"]
    world = state.world
    assert world is not None
    days = world.suppliers[order["supplier_id"]].payment_days
    state.schedule("supplier_due", state.day + days, data["po_id"])


def _supplier_paid(state: MarketState, data: dict[str, Any]) -> None:
    order = state.purchase_orders[data["po_id"]]
    order["status"] = "paid"
    order["paid_day"] = state.day


def _freight_booked(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["freight"] = {key: value for key, value in data.items() if key != "contract_id"}
    state.awaiting_departure[data["contract_id"]] = None


def _declaration_filed(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["declaration"] = {
        "form": data["declaration"],
        "findings": data["findings"],
        "status": "filed",
        "filed_day": state.day,
        "inspector": None,
        "penalty": 0,
    }
    state.schedule("customs", state.day, data["contract_id"])
    _count(state, "declaration")


def _inspection_ordered(state: MarketState, data: dict[str, Any]) -> None:
    declaration = state.contracts[data["contract_id"]]["declaration"]
    declaration["status"] = "inspecting"
    declaration["inspector"] = data["inspector"]
    declaration["reason"] = data["reason"]
    state.schedule("customs", data["result_day"], data["contract_id"])


def _declaration_released(state: MarketState, data: dict[str, Any]) -> None:
    declaration = state.contracts[data["contract_id"]]["declaration"]
    declaration["status"] = "released"
    declaration["released_day"] = state.day
    declaration["penalty"] = data["penalty"]
    declaration["inspected"] = data["inspected"]


def _customs_credit_changed(state: MarketState, data: dict[str, Any]) -> None:
    state.firms[data["firm_id"]]["customs_score"] = data["score"]


def _shipment_departed(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "departed"
    contract["departed_day"] = state.day
    contract["arrival_day"] = data["arrival_day"]
    contract["outcome"] = data["outcome"]
    contract["delay_days"] = data["delay_days"]
    contract["cost"] = data["cost"]
    contract["credit_insured"] = data["credit_insured"]
    if data["credit_insured"]:
        state.credit_limits[f"{contract['firm_id']}|{contract['buyer_id']}"]["used"] += contract[
            "amount"
        ]
    stock = state.firms[contract["firm_id"]]["stock"][contract["product_id"]]
    stock[0] -= contract["quantity"]
    stock[1] -= data["cost"]
    state.awaiting_departure.pop(data["contract_id"], None)
    stats = state.firms[contract["firm_id"]]["stats"]
    stats["shipped"] += 1
    if state.day <= contract["ship_by_day"]:
        stats["on_time"] += 1
    state.schedule("arrival", data["arrival_day"], data["contract_id"])


def _revenue_recognised(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["recognized"] = True
    contract["revenue"] = data["revenue"]
    contract["receivable_usd"] = contract["amount"] - contract["advances_usd"]
    contract["receivable_cny"] = data["receivable"]


def _shipment_lost(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "lost"
    contract["loss_bearer"] = data["bearer"]


def _shipment_arrived(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "arrived"
    contract["damaged"] = data["damaged"]
    contract["release_day"] = data["release_day"]
    firm = state.firms[contract["firm_id"]]
    firm["stats"]["arrived"] += 1
    memory = state.buyers[contract["buyer_id"]]["memory"]
    memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) + (
        2 if data["on_time"] else -2
    )
    if data["release_day"] is not None:
        state.schedule("escrow", data["release_day"], data["contract_id"])


def _documents_presented(state: MarketState, data: dict[str, Any]) -> None:
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "presented"
    lc["presentations"] = data["presentation"]
    lc["pending"] = {
        "documents": data["documents"],
        "presented_day": state.day,
        "signed": data["signed"],
    }
    state.schedule("lc_exam", data["examine_day"], data["contract_id"])


def _lc_examined(state: MarketState, data: dict[str, Any]) -> None:
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "honoured" if data["honoured"] else "refused"
    lc["discrepancies"] = data["discrepancies"]


def _lc_waiver_decided(state: MarketState, data: dict[str, Any]) -> None:
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "honoured" if data["waived"] else "refused"
    lc["waived"] = data["waived"]


def _receivable_scheduled(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["receivables"].append(
        {
            "part": data["part"],
            "amount": data["amount"],
            "due_day": data["due_day"],
            "pay_day": data["pay_day"],
            "status": "open",
        }
    )
    world = state.world
    assert world is not None
    if data["pay_day"] is not None:
        state.schedule("receivable", data["pay_day"], data["contract_id"])
    write_off = data["due_day"] + int(world.events["default_write_off_days"])
    state.schedule("write_off", write_off, data["contract_id"])


def _find_receivable(contract: dict[str, Any], part: str) -> dict[str, Any] | None:
    for item in contract["receivables"]:
        if item["part"] == part and item["status"] == "open":
            return item
    return None


def _settle(state: MarketState, contract: dict[str, Any], data: dict[str, Any]) -> None:
    if contract["recognized"]:
        contract["receivable_usd"] -= data["amount"] + data["fee"]
        contract["receivable_cny"] -= data["book"]
    else:
        contract["advances_usd"] += data["amount"] + data["fee"]
        contract["advances_cny"] += data["book"]
    contract["paid_usd"] += data["amount"] + data["fee"]


def _payment_received(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    _settle(state, contract, data)
    item = _find_receivable(contract, data["part"])
    if item is not None:
        item["status"] = "paid"
    if contract["credit_insured"]:
        limit = state.credit_limits[f"{contract['firm_id']}|{contract['buyer_id']}"]
        limit["used"] = max(0, limit["used"] - data["amount"] - data["fee"])
    if data["forward_id"] is not None:
        state.forwards[data["forward_id"]]["remaining"] -= data["forward_used"]


def _receivable_defaulted(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    item = _find_receivable(contract, data["part"])
    if item is not None:
        item["status"] = "defaulted"
    contract["receivable_usd"] -= data["amount"]
    contract["receivable_cny"] -= data["book"]
    contract["written_off"] = contract.get("written_off", 0) + data["book"]


def _collection_refused(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["receivable_usd"] = 0
    contract["receivable_cny"] = 0
    contract["refused"] = True
    if data["returned"]:
        stock = state.firms[contract["firm_id"]]["stock"].setdefault(contract["product_id"], [0, 0])
        stock[0] += contract["quantity"]
        stock[1] += contract["cost"]


def _credit_limit_granted(state: MarketState, data: dict[str, Any]) -> None:
    state.credit_limits[f"{data['firm_id']}|{data['buyer_id']}"] = {
        "limit": data["limit"],
        "premium_rate": data["premium_rate"],
        "used": 0,
    }


def _credit_claim_paid(state: MarketState, data: dict[str, Any]) -> None:
    state.contracts[data["contract_id"]]["credit_claim"] = data["amount_cny"]


def _dispute_opened(state: MarketState, data: dict[str, Any]) -> None:
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
    _count(state, "dispute")


def _dispute_escalated(state: MarketState, data: dict[str, Any]) -> None:
    dispute = state.disputes[data["dispute_id"]]
    dispute["status"] = "escalated"
    dispute["escalated_day"] = state.day
    state.schedule("dispute", state.day + 3, data["dispute_id"])


def _dispute_resolved(state: MarketState, data: dict[str, Any]) -> None:
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


def _escrow_funded(state: MarketState, data: dict[str, Any]) -> None:
    state.contracts[data["contract_id"]]["escrow_held"] = data["amount"]


def _escrow_released(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["escrow_held"] = 0
    _settle(state, contract, data)
    contract["escrow_fee"] = data["fee"]


def _rebate_claimed(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["rebate"] = {
        "rate": data["rate"],
        "refund": data["refund"],
        "non_refundable": data["non_refundable"],
        "status": "claimed",
    }
    state.schedule("rebate", data["pay_day"], data["contract_id"])


def _rebate_paid(state: MarketState, data: dict[str, Any]) -> None:
    state.contracts[data["contract_id"]]["rebate"]["status"] = "paid"


def _forward_booked(state: MarketState, data: dict[str, Any]) -> None:
    state.forwards[data["forward_id"]] = {**data, "remaining": data["amount"], "status": "open"}
    state.schedule("forward", data["maturity_day"], data["forward_id"])
    _count(state, "forward")


def _forward_settled(state: MarketState, data: dict[str, Any]) -> None:
    forward = state.forwards[data["forward_id"]]
    forward["status"] = "settled"
    forward["remaining"] = 0
    forward["settlement"] = data["settlement"]


def _listing_improved(state: MarketState, data: dict[str, Any]) -> None:
    state.firms[data["firm_id"]]["listing_quality"][data["product_id"]] = data["quality"]


def _contract_closed(state: MarketState, data: dict[str, Any]) -> None:
    contract = state.contracts[data["contract_id"]]
    contract["status"] = data["status"]
    if data["status"] != "completed":
        # Any escrow or advance was refunded in the journal posted with the closure.
        contract["escrow_held"] = 0
        contract["advances_usd"] = 0
        contract["advances_cny"] = 0
    if data["status"] == "cancelled_late":
        memory = state.buyers[contract["buyer_id"]]["memory"]
        memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) - 3
    state.awaiting_departure.pop(data["contract_id"], None)
    state.active_by_firm.get(contract["firm_id"], {}).pop(data["contract_id"], None)


def _day_closed(state: MarketState, data: dict[str, Any]) -> None:
    state.day = data["day"] + 1


APPLIERS = {
    "MarketOpened": _market_opened,
    "FirmRegistered": _firm_registered,
    "BuyerJoined": _buyer_joined,
    "FxRatesSet": _fx_rates_set,
    "JournalPosted": _journal_posted,
    "InquirySent": _inquiry_sent,
    "InquiryAnswered": _inquiry_answered,
    "RfqPosted": _rfq_posted,
    "QuoteSubmitted": _quote_submitted,
    "RfqClosed": _rfq_closed,
    "RfqLapsed": _rfq_lapsed,
    "ContractSigned": _contract_signed,
    "LcIssued": _lc_issued,
    "LcAmended": _lc_amended,
    "PurchaseOrderPlaced": _purchase_order_placed,
    "GoodsReceived": _goods_received,
    "SupplierPaid": _supplier_paid,
    "FreightBooked": _freight_booked,
    "DeclarationFiled": _declaration_filed,
    "InspectionOrdered": _inspection_ordered,
    "DeclarationReleased": _declaration_released,
    "CustomsCreditChanged": _customs_credit_changed,
    "ShipmentDeparted": _shipment_departed,
    "RevenueRecognised": _revenue_recognised,
    "ShipmentLost": _shipment_lost,
    "ShipmentArrived": _shipment_arrived,
    "DocumentsPresented": _documents_presented,
    "LcExamined": _lc_examined,
    "LcWaiverDecided": _lc_waiver_decided,
    "ReceivableScheduled": _receivable_scheduled,
    "PaymentReceived": _payment_received,
    "ReceivableDefaulted": _receivable_defaulted,
    "CollectionRefused": _collection_refused,
    "CreditLimitGranted": _credit_limit_granted,
    "CreditClaimPaid": _credit_claim_paid,
    "DisputeOpened": _dispute_opened,
    "DisputeEscalated": _dispute_escalated,
    "DisputeResolved": _dispute_resolved,
    "EscrowFunded": _escrow_funded,
    "EscrowReleased": _escrow_released,
    "RebateClaimed": _rebate_claimed,
    "RebatePaid": _rebate_paid,
    "ForwardBooked": _forward_booked,
    "ForwardSettled": _forward_settled,
    "ListingImproved": _listing_improved,
    "ContractClosed": _contract_closed,
    "DayClosed": _day_closed,
}


def apply_event(state: MarketState, event: Event) -> None:
    """Fold one event into the state, checking its sequence number."""
    if event.seq != state.seq + 1:
        raise ReplayError(f"expected event seq {state.seq + 1}, got {event.seq}")
    APPLIERS[event.type](state, event.data)
    state.seq = event.seq
