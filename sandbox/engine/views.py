"""What one firm may see: the read model behind a student's pages (and a fair exam).

State holds sealed facts a firm must not know in advance — the outcome of a shipment
already decided at departure, a buyer's reservation price, honesty and payment habit,
rivals' quotes. ``firm_view`` returns only what the platform, the bank, the carrier
and customs would show that firm, as plain JSON-ready data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.engine.handlers import quote_quota
from sandbox.engine.kpis import firm_kpis
from sandbox.engine.settlement import bank_calendar
from sandbox.engine.taxview import contract_tax_card
from sandbox.logistics.handling import diversion_on
from sandbox.payments.reader import read_credit_terms

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["HIDDEN_CONTRACT_FIELDS", "firm_view"]

#: Contract fields that are sealed (decided but not yet happened) or internal; buyers'
#: payment days and dispute merits are removed further down.
HIDDEN_CONTRACT_FIELDS = frozenset({"outcome", "arrival_day", "delay_days"})
#: Buyer fields a seller can learn: who they are and what they ask for.
PUBLIC_BUYER_FIELDS = ("buyer_id", "company", "contact", "city", "market", "language")


def _buyer_card(buyer: dict[str, Any]) -> dict[str, Any]:
    return {key: buyer[key] for key in PUBLIC_BUYER_FIELDS}


def _negotiations(state: Any, firm_id: str) -> dict[str, dict[str, Any]]:
    """Return the firm's own letters with buyers by RFQ (never a rival's), oldest first."""
    threads = {}
    for quote in state.quotes.values():
        if quote["firm_id"] != firm_id:
            continue
        rfq = state.rfqs[quote["rfq_id"]]
        thread = rfq.get("negotiations", {}).get(firm_id)
        if thread is None:
            continue
        threads[rfq["rfq_id"]] = {
            **{
                key: rfq[key] for key in ("rfq_id", "product_id", "quantity", "incoterm", "payment")
            },
            "rfq_status": rfq["status"],
            "buyer": _buyer_card(state.buyers[rfq["buyer_id"]]),
            **thread,
        }
    return threads


def _contract_card(m: Market, contract: dict[str, Any]) -> dict[str, Any]:
    card = {k: v for k, v in contract.items() if k not in HIDDEN_CONTRACT_FIELDS}
    lane = m.world.lanes[contract["lane_id"]]
    if contract["departed_day"] is not None and contract["stage"] == "departed":
        # The carrier quotes a window, not the sealed arrival day.
        extra = diversion_on(m.world, lane, m.world.date_of(contract["departed_day"]))
        low, high = (extra[0], extra[1]) if extra else (0, 0)
        card["expected_arrival"] = [
            contract["departed_day"] + lane.days[0] + low,
            contract["departed_day"] + lane.days[1] + high,
        ]
    declaration = contract["declaration"]
    if declaration is not None:
        # Customs does not tell a declarant what its risk engine suspects.
        card["declaration"] = {k: v for k, v in declaration.items() if k != "findings"}
        if declaration["status"] == "released" and declaration.get("inspected"):
            card["declaration"]["findings"] = declaration["findings"]
    if contract["lc"] is not None:
        card["lc"] = {k: v for k, v in contract["lc"].items() if k != "pending"}
        # The L/C reader: the same rules the examiner applies, read before shipping.
        card["lc"]["reading"] = read_credit_terms(
            contract["lc"]["credit"], bank_calendar(m.world), shipped_day=contract["departed_day"]
        )
    # When (or whether) the buyer will pay is decided already; the seller sees due dates.
    card["receivables"] = [
        {key: item[key] for key in ("part", "amount", "due_day", "status")}
        for item in contract["receivables"]
    ]
    card["buyer"] = _buyer_card(m.state.buyers[contract["buyer_id"]])
    card["tax"] = contract_tax_card(m, contract)
    return card


def firm_view(m: Market, firm_id: str) -> dict[str, Any]:
    """Return everything firm ``firm_id`` may see today.

    Args:
        m: The market.
        firm_id: The firm.

    Returns:
        Profile and KPIs, quota left, open RFQs for its products (without the buyers'
        reservation prices or rivals' quotes), its own quotes and negotiation letters
        (by RFQ), contracts (sealed
        outcomes removed), unanswered inquiries, disputes, forwards and credit limits.

    Raises:
        KeyError: If the firm does not exist.
    """
    state = m.state
    firm = state.firms[firm_id]
    open_rfqs = []
    for product_id in firm["products"]:
        for rfq_id in state.open_rfqs_by_product.get(product_id, {}):
            rfq = state.rfqs[rfq_id]
            open_rfqs.append(
                {
                    "rfq_id": rfq_id,
                    "product_id": product_id,
                    "quantity": rfq["quantity"],
                    "incoterm": rfq["incoterm"],
                    "payment": rfq["payment"],
                    "posted_day": rfq["day"],
                    "deadline_day": rfq["deadline_day"],
                    "quotes_received": len(rfq["quotes"]),
                    "quoted": any(state.quotes[q]["firm_id"] == firm_id for q in rfq["quotes"]),
                    "buyer": _buyer_card(state.buyers[rfq["buyer_id"]]),
                }
            )
    contracts = [
        _contract_card(m, contract)
        for contract in state.contracts.values()
        if contract["firm_id"] == firm_id
    ]
    disputes = [
        {key: value for key, value in dispute.items() if key != "merit"}
        for dispute in state.disputes.values()
        if state.contracts[dispute["contract_id"]]["firm_id"] == firm_id
    ]
    return {
        "day": state.day,
        "date": m.world.date_of(state.day).isoformat(),
        "firm": {
            key: firm[key]
            for key in ("id", "name", "licence_no", "products", "customs_score", "listing_quality")
        },
        "stock": firm["stock"],
        "kpis": firm_kpis(state, firm_id),
        "quote_quota_left": quote_quota(m, firm),
        "fx": state.fx,
        "open_rfqs": open_rfqs,
        "quotes": [q for q in state.quotes.values() if q["firm_id"] == firm_id],
        "negotiations": _negotiations(state, firm_id),
        "contracts": contracts,
        "inquiries": [state.inquiries[i] for i in state.pending_inquiries.get(firm_id, {})],
        "disputes": disputes,
        "forwards": [f for f in state.forwards.values() if f["firm_id"] == firm_id],
        "credit_limits": {
            key.split("|", 1)[1]: value
            for key, value in state.credit_limits.items()
            if key.startswith(f"{firm_id}|")
        },
    }
