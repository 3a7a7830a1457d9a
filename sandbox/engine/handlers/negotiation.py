"""Negotiation by letter: a firm proposes new terms to the buyer of an RFQ it quoted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.buyers.negotiation import answer_proposal, effective_cost
from sandbox.engine import commands as c
from sandbox.engine.handlers.common import get_firm, reject
from sandbox.engine.parties import buyer_party
from sandbox.logistics import MODES
from sandbox.payments import PAYMENT_METHODS
from sandbox.trade import INCOTERMS

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["MESSAGE_MAX_CHARS", "propose_terms"]

#: The longest letter a firm may send with a proposal.
MESSAGE_MAX_CHARS = 1000


def _thread(m: Market, cmd: c.ProposeTerms) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the RFQ and the firm's quote on it, or reject."""
    get_firm(m, cmd.firm_id)
    rfq = m.state.rfqs.get(cmd.rfq_id)
    if rfq is None:
        raise reject("RFQ_NOT_FOUND", f"no RFQ {cmd.rfq_id!r}", "platform.rfq", "rfq_id")
    if rfq["status"] != "open":
        raise reject("RFQ_CLOSED", "the RFQ no longer takes quotes", "platform.rfq", "rfq_id")
    quote = next(
        (m.state.quotes[q] for q in rfq["quotes"] if m.state.quotes[q]["firm_id"] == cmd.firm_id),
        None,
    )
    if quote is None:
        raise reject(
            "NEGOTIATION_NO_QUOTE",
            "quote the RFQ before negotiating its terms",
            "platform.negotiation",
            "rfq_id",
        )
    thread = rfq.get("negotiations", {}).get(cmd.firm_id)
    if thread is not None and thread["status"] != "open":
        raise reject(
            "NEGOTIATION_CLOSED",
            f"the buyer has {thread['status']} already",
            "platform.negotiation",
            "rfq_id",
        )
    return rfq, quote


def _check_terms(m: Market, cmd: c.ProposeTerms, quote: dict[str, Any]) -> None:
    """Reject a proposal whose terms are malformed or do not fit the quote's lane."""
    if type(cmd.unit_price) is not int or cmd.unit_price <= 0:
        raise reject(
            "PRICE_INVALID",
            "unit price must be a positive integer of USD cents",
            "trade.quote",
            "unit_price",
        )
    term = INCOTERMS.get(cmd.incoterm)
    if term is None:
        raise reject(
            "INCOTERM_UNKNOWN", f"unknown Incoterm {cmd.incoterm!r}", "trade.incoterms", "incoterm"
        )
    if term.sea_only and not MODES[m.world.lanes[quote["lane_id"]].mode].sea:
        raise reject(
            "INCOTERM_MODE_MISMATCH",
            f"{term.code} is for sea transport only; use FCA/CPT/CIP",
            "trade.incoterms",
            "incoterm",
        )
    if cmd.payment not in PAYMENT_METHODS:
        raise reject(
            "PAYMENT_UNKNOWN", f"unknown payment method {cmd.payment!r}", "payments", "payment"
        )
    if type(cmd.lead_days) is not int or not 1 <= cmd.lead_days <= 120:
        raise reject(
            "LEAD_TIME_INVALID", "lead time must be 1 to 120 days", "trade.quote", "lead_days"
        )
    if not isinstance(cmd.message, str):
        raise reject("FIELD_TYPE", "the letter must be text", "platform.negotiation", "message")
    if len(cmd.message) > MESSAGE_MAX_CHARS:
        raise reject(
            "MESSAGE_TOO_LONG",
            f"a letter has at most {MESSAGE_MAX_CHARS} characters",
            "platform.negotiation",
            "message",
        )


TERMS = ("unit_price", "incoterm", "payment", "lead_days")


def _rival_costs(
    m: Market, rfq: dict[str, Any], firm_id: str, scores: dict[str, float]
) -> list[int]:
    """Return the effective costs to the buyer of the other firms' offers on the RFQ."""
    state = m.state
    buyer = state.buyers[rfq["buyer_id"]]
    return [
        effective_cost(
            m.world,
            buyer=buyer,
            rfq=rfq,
            offer=state.quotes[q],
            firm_score=scores.get(state.quotes[q]["firm_id"], 0.5),
            fx=state.fx,
        )
        for q in rfq["quotes"]
        if state.quotes[q]["firm_id"] != firm_id
    ]


def propose_terms(m: Market, cmd: c.ProposeTerms) -> None:
    """Send a counter-proposal; the buyer answers at once and may sign the contract."""
    # The day's phases import the handlers (settlement), so the award helpers come late.
    from sandbox.engine.daily import firm_scores, sign_contract

    state = m.state
    rfq, quote = _thread(m, cmd)
    _check_terms(m, cmd, quote)
    thread = rfq.get("negotiations", {}).get(cmd.firm_id)
    rounds = thread["rounds"] if thread else []
    proposal = {"firm_id": cmd.firm_id, "lane_id": quote["lane_id"]}
    proposal.update({key: getattr(cmd, key) for key in TERMS})
    if rounds and all(rounds[-1][key] == proposal[key] for key in TERMS):
        raise reject(
            "NEGOTIATION_UNCHANGED",
            "the proposal repeats the last one",
            "platform.negotiation",
            "unit_price",
        )
    scores = firm_scores(m)
    answer = answer_proposal(
        m.world,
        buyer=state.buyers[rfq["buyer_id"]],
        rfq=rfq,
        proposal=proposal,
        round_no=len(rounds) + 1,
        rivals=_rival_costs(m, rfq, cmd.firm_id, scores),
        firm_score=scores.get(cmd.firm_id, 0.5),
        fx=state.fx,
        counter=thread["counter"] if thread else None,
    )
    decision, reason, agreed = answer.decision, answer.reason, answer.terms
    amount = cmd.unit_price * rfq["quantity"]
    if decision == "accept" and state.ledger.cash(buyer_party(rfq["buyer_id"]), "USD") < amount:
        decision, reason, agreed = "decline", "buyer_funds", None
    base = {"rfq_id": cmd.rfq_id, "firm_id": cmd.firm_id, "round": len(rounds) + 1}
    m.emit(
        "NegotiationProposed",
        {
            **base,
            "quote_id": quote["quote_id"],
            **{key: proposal[key] for key in TERMS},
            "message": cmd.message,
        },
    )
    m.emit(
        "NegotiationAnswered",
        {**base, "decision": decision, "reason": reason, "terms": agreed, "claim": answer.claim},
    )
    if decision == "accept":
        sign_contract(m, rfq, state.quotes[quote["quote_id"]], amount)
