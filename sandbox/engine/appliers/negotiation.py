"""Appliers for negotiation by letter between a firm and the buyer of an RFQ.

An RFQ gains a ``negotiations`` entry (by firm) only when a firm first writes, so the
state of markets without negotiation hashes as it always did.
"""

from __future__ import annotations

from typing import Any

from sandbox.engine.state import MarketState

__all__ = ["negotiation_answered", "negotiation_proposed"]

TERMS = ("unit_price", "incoterm", "payment", "lead_days")


def negotiation_proposed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``NegotiationProposed``: a firm writes to the buyer with new terms."""
    rfq = state.rfqs[data["rfq_id"]]
    thread = rfq.setdefault("negotiations", {}).setdefault(
        data["firm_id"],
        {"quote_id": data["quote_id"], "status": "open", "counter": None, "rounds": []},
    )
    thread["rounds"].append(
        {
            "round": data["round"],
            "day": state.day,
            **{key: data[key] for key in TERMS},
            "message": data["message"],
            "answer": None,
        }
    )


def negotiation_answered(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``NegotiationAnswered``: the buyer accepts, counters or declines.

    An acceptance writes the agreed terms onto the firm's quote (the contract that
    follows is signed on them); a counter-offer stands until the next proposal.
    """
    rfq = state.rfqs[data["rfq_id"]]
    thread = rfq["negotiations"][data["firm_id"]]
    thread["rounds"][-1]["answer"] = {
        "decision": data["decision"],
        "reason": data["reason"],
        "terms": data["terms"],
        "claim": data["claim"],
        "day": state.day,
    }
    decision = data["decision"]
    thread["counter"] = data["terms"] if decision == "counter" else None
    if decision == "accept":
        thread["status"] = "accepted"
        quote = state.quotes[thread["quote_id"]]
        quote.update({key: data["terms"][key] for key in TERMS})
        quote["negotiated"] = True
    elif decision == "decline":
        thread["status"] = "declined"
