"""Appliers for credits, receivables, escrow, insurance, rebates and forwards."""

from __future__ import annotations

from typing import Any

from sandbox.engine.appliers.platform import count
from sandbox.engine.state import MarketState

__all__ = [
    "collection_refused",
    "credit_claim_paid",
    "credit_limit_granted",
    "documents_presented",
    "escrow_funded",
    "escrow_released",
    "find_receivable",
    "forward_booked",
    "forward_settled",
    "lc_amended",
    "lc_examined",
    "lc_issued",
    "lc_responded",
    "lc_waiver_decided",
    "payment_received",
    "rebate_claimed",
    "rebate_paid",
    "receivable_defaulted",
    "receivable_scheduled",
    "settle",
]


def lc_issued(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``LcIssued``: the issuing bank opens a documentary credit."""
    state.contracts[data["contract_id"]]["lc"] = {
        "credit": data["credit"],
        "state": "issued",
        "presentations": 0,
        "amended": False,
        "pending": None,
    }
    state.schedule("lc_expiry", data["credit"]["expiry_day"] + 1, data["contract_id"])


def lc_amended(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``LcAmended``: an amendment request is answered."""
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["amended"] = True
    if data["accepted"]:
        lc["credit"] = data["credit"]
        state.schedule("lc_expiry", data["credit"]["expiry_day"] + 1, data["contract_id"])


def documents_presented(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DocumentsPresented``: documents presented under a credit."""
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "presented"
    lc["presentations"] = data["presentation"]
    lc["pending"] = {
        "documents": data["documents"],
        "presented_day": state.day,
        "signed": data["signed"],
        # v1 events knew only the inspection certificate: withheld is read from "signed".
        "withheld": data.get("withheld"),
    }
    state.schedule("lc_exam", data["examine_day"], data["contract_id"])


def lc_examined(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``LcExamined``: bank examination result."""
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "honoured" if data["honoured"] else "refused"
    lc["discrepancies"] = data["discrepancies"]
    if data.get("notes"):
        lc["notes"] = data["notes"]


def lc_responded(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``LcResponded``: the beneficiary accepts or refuses the credit as issued.

    Refusing a credit without a soft clause costs the firm the buyer's goodwill;
    refusing a credit that carried one is a sound business decision and costs nothing.
    """
    contract = state.contracts[data["contract_id"]]
    contract["lc"]["response"] = data["decision"]
    if data["decision"] == "refuse" and not data["soft_clauses"]:
        memory = state.buyers[contract["buyer_id"]]["memory"]
        memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) - 1


def lc_waiver_decided(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``LcWaiverDecided``: the applicant waives discrepancies or not."""
    lc = state.contracts[data["contract_id"]]["lc"]
    lc["state"] = "honoured" if data["waived"] else "refused"
    lc["waived"] = data["waived"]


def receivable_scheduled(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ReceivableScheduled``: a buyer's obligation falls due; pay_day is null for a default."""
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


def find_receivable(contract: dict[str, Any], part: str) -> dict[str, Any] | None:
    """Return the open receivable called ``part`` on a contract, if any."""
    for item in contract["receivables"]:
        if item["part"] == part and item["status"] == "open":
            return item
    return None


def settle(state: MarketState, contract: dict[str, Any], data: dict[str, Any]) -> None:
    """Reduce the receivable (or grow the advances) by a payment's gross USD and book value."""
    if contract["recognized"]:
        contract["receivable_usd"] -= data["amount"] + data["fee"]
        contract["receivable_cny"] -= data["book"]
    else:
        contract["advances_usd"] += data["amount"] + data["fee"]
        contract["advances_cny"] += data["book"]
    contract["paid_usd"] += data["amount"] + data["fee"]


def payment_received(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``PaymentReceived``: a buyer pays (USD cents); the bank credits the firm in CNY."""
    contract = state.contracts[data["contract_id"]]
    settle(state, contract, data)
    item = find_receivable(contract, data["part"])
    if item is not None:
        item["status"] = "paid"
    if contract["credit_insured"]:
        limit = state.credit_limits[f"{contract['firm_id']}|{contract['buyer_id']}"]
        limit["used"] = max(0, limit["used"] - data["amount"] - data["fee"])
    if data["forward_id"] is not None:
        state.forwards[data["forward_id"]]["remaining"] -= data["forward_used"]


def receivable_defaulted(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ReceivableDefaulted``: an unpaid receivable is written off."""
    contract = state.contracts[data["contract_id"]]
    item = find_receivable(contract, data["part"])
    if item is not None:
        item["status"] = "defaulted"
    contract["receivable_usd"] -= data["amount"]
    contract["receivable_cny"] -= data["book"]
    contract["written_off"] = contract.get("written_off", 0) + data["book"]


def collection_refused(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``CollectionRefused``: a D/P buyer refuses the documents; goods come back to stock if not lost."""
    contract = state.contracts[data["contract_id"]]
    contract["receivable_usd"] = 0
    contract["receivable_cny"] = 0
    contract["refused"] = True
    if data["returned"]:
        stock = state.firms[contract["firm_id"]]["stock"].setdefault(contract["product_id"], [0, 0])
        stock[0] += contract["quantity"]
        stock[1] += contract["cost"]


def credit_limit_granted(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``CreditLimitGranted``: the credit insurer covers a buyer."""
    state.credit_limits[f"{data['firm_id']}|{data['buyer_id']}"] = {
        "limit": data["limit"],
        "premium_rate": data["premium_rate"],
        "used": 0,
    }


def credit_claim_paid(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``CreditClaimPaid``: the credit insurer indemnifies."""
    state.contracts[data["contract_id"]]["credit_claim"] = data["amount_cny"]


def escrow_funded(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``EscrowFunded``: the buyer pays the order into platform escrow (plus the card fee)."""
    state.contracts[data["contract_id"]]["escrow_held"] = data["amount"]


def escrow_released(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``EscrowReleased``: escrow funds go to the seller, less the platform fee."""
    contract = state.contracts[data["contract_id"]]
    contract["escrow_held"] = 0
    settle(state, contract, data)
    contract["escrow_fee"] = data["fee"]


def rebate_claimed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RebateClaimed``: an export VAT rebate claim is filed."""
    contract = state.contracts[data["contract_id"]]
    contract["rebate"] = {
        "rate": data["rate"],
        "refund": data["refund"],
        "non_refundable": data["non_refundable"],
        "status": "claimed",
    }
    state.schedule("rebate", data["pay_day"], data["contract_id"])


def rebate_paid(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RebatePaid``: the tax office pays a rebate."""
    state.contracts[data["contract_id"]]["rebate"]["status"] = "paid"


def forward_booked(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ForwardBooked``: a firm sells USD forward."""
    state.forwards[data["forward_id"]] = {**data, "remaining": data["amount"], "status": "open"}
    state.schedule("forward", data["maturity_day"], data["forward_id"])
    state.open_forwards_by_firm.setdefault(data["firm_id"], {})[data["forward_id"]] = None
    count(state, "forward")


def forward_settled(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ForwardSettled``: a forward matures (net settled)."""
    forward = state.forwards[data["forward_id"]]
    forward["status"] = "settled"
    state.open_forwards_by_firm.get(forward["firm_id"], {}).pop(data["forward_id"], None)
    forward["remaining"] = 0
    forward["settlement"] = data["settlement"]
