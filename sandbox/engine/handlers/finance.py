"""Finance commands: documentary credits, forwards and credit insurance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.engine import commands as c
from sandbox.engine.flows import usd_bid
from sandbox.fx import forward_terms
from sandbox.payments import add_banking_days
from sandbox.payments.credit_terms import without_soft_clauses
from sandbox.payments.soft_clauses import credit_clauses, find_soft_clauses
from sandbox.rng import rng_for

if TYPE_CHECKING:
    from sandbox.engine.market import Market
from sandbox.engine.handlers.common import get_contract, get_firm, reject
from sandbox.engine.shocks import is_bankrupt

__all__ = [
    "CREDIT_LIMITS_USD",
    "CREDIT_PREMIUMS",
    "DOCUMENT_KEYS",
    "book_forward",
    "forward_cover",
    "insure_buyer_credit",
    "open_exposure",
    "present_documents",
    "request_lc_amendment",
    "respond_to_credit",
]


CREDIT_LIMITS_USD = {
    "AAA": 50_000_000,
    "AA": 30_000_000,
    "A": 20_000_000,
    "BBB": 10_000_000,
    "BB": 3_000_000,
}


CREDIT_PREMIUMS = {"AAA": "0.006", "AA": "0.006", "A": "0.007", "BBB": "0.009", "BB": "0.012"}


#: Optional presentation data: unit price on the invoice, other documents' descriptions.
OPTIONAL_DOCUMENT_KEYS: dict[str, tuple[type, ...]] = {
    "invoice_unit_price": (int,),
    "packing_list_description": (str,),
    "transport_description": (str,),
    "insurance_description": (str,),
}


DOCUMENT_KEYS = {
    "invoice_amount": int,
    "invoice_description": str,
    "invoice_quantity": int,
    "packing_list_quantity": int,
    "bl_port_of_loading": str,
    "documents": list,
}


def present_documents(m: Market, cmd: c.PresentDocuments) -> None:
    """Present documents to the bank; examination follows within five banking days."""
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    lc = contract["lc"]
    if lc is None:
        raise reject(
            "NOT_LC", "this contract is not paid by letter of credit", "payments.lc", "contract_id"
        )
    if contract["departed_day"] is None:
        raise reject(
            "NOT_SHIPPED",
            "documents need a bill of lading: ship first",
            "payments.lc",
            "contract_id",
        )
    if lc["state"] not in ("issued", "refused"):
        raise reject("LC_NOT_PRESENTABLE", f"credit is {lc['state']}", "payments.lc", "contract_id")
    if any(item["part"] == "credit_fallback" for item in contract["receivables"]):
        raise reject(
            "LC_EXPIRED",
            "the credit expired; the buyer now pays outside it",
            "payments.lc.expiry",
            "contract_id",
        )
    if lc["presentations"] >= 3:
        raise reject(
            "LC_TOO_MANY_PRESENTATIONS",
            "three presentations already made",
            "payments.lc",
            "contract_id",
        )
    for key, kind in DOCUMENT_KEYS.items():
        if not isinstance(cmd.documents.get(key), kind):
            raise reject(
                "DOCUMENTS_MALFORMED", f"{key} must be {kind.__name__}", "payments.lc", key
            )
    insurance = cmd.documents.get("insurance_amount")
    if insurance is not None and type(insurance) is not int:
        raise reject(
            "DOCUMENTS_MALFORMED",
            "insurance_amount must be int or null",
            "payments.lc",
            "insurance_amount",
        )
    documents = {key: cmd.documents[key] for key in DOCUMENT_KEYS}
    documents["insurance_amount"] = insurance
    for key, kinds in OPTIONAL_DOCUMENT_KEYS.items():
        value = cmd.documents.get(key)
        if value is not None and type(value) not in kinds:
            raise reject("DOCUMENTS_MALFORMED", f"{key} has the wrong type", "payments.lc", key)
        if value is not None:
            documents[key] = value
    number = lc["presentations"] + 1
    rng = rng_for(m.state.seed, "lc_presentation", cmd.contract_id, number)
    withheld = applicant_withholds(m, contract)
    examine_on = add_banking_days(m.world.date_of(m.state.day), rng.randint(1, 5))
    m.emit(
        "DocumentsPresented",
        {
            "contract_id": cmd.contract_id,
            "presentation": number,
            "documents": documents,
            "examine_day": (examine_on - m.world.start_date).days,
            "signed": bool(soft_clauses_of(lc["credit"]))
            and "applicant_inspection" not in withheld,
            "withheld": withheld,
        },
    )


def soft_clauses_of(credit: dict[str, Any]) -> list[str]:
    """Return the kinds of soft clause in a credit's text, in order."""
    return [hit["kind"] for hit in find_soft_clauses(credit_clauses(credit))]


def applicant_withholds(m: Market, contract: dict[str, Any]) -> list[str]:
    """Return the soft clauses the applicant uses against the beneficiary.

    The applicant decides once per credit and clause (its own stream), so presenting
    again does not change its mind: an honest buyer approves the vessel, signs the
    certificate, makes the credit operative or returns the original it was sent.
    """
    persona = m.state.buyers[contract["buyer_id"]]["persona"]
    withheld = []
    for kind in soft_clauses_of(contract["lc"]["credit"]):
        rng = rng_for(m.state.seed, "lc_applicant", contract["contract_id"], kind)
        if rng.random() >= persona["honesty"] - 0.3:
            withheld.append(kind)
    return withheld


def respond_to_credit(m: Market, cmd: c.RespondToCredit) -> None:
    """Accept the credit as issued, or refuse it before shipment.

    Accepting keeps every clause, soft ones included (the applicant may use them at
    presentation). Refusing ends the contract: advances are refunded, goods already
    bought stay in stock, and a buyer whose credit had no soft clause thinks less of
    the firm. To ask for changes instead, use ``RequestLcAmendment``.
    """
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    lc = contract["lc"]
    if lc is None:
        raise reject(
            "NOT_LC", "this contract is not paid by letter of credit", "payments.lc", "contract_id"
        )
    if cmd.decision not in ("accept", "refuse"):
        raise reject(
            "LC_DECISION_UNKNOWN", "decide accept or refuse", "payments.lc.response", "decision"
        )
    if lc.get("response") is not None or lc["state"] != "issued":
        raise reject(
            "LC_ALREADY_ANSWERED",
            "the credit was already accepted, refused or used",
            "payments.lc.response",
            "contract_id",
        )
    if cmd.decision == "refuse" and contract["departed_day"] is not None:
        raise reject(
            "LC_REFUSE_AFTER_SHIPMENT",
            "the goods have left: present documents or ask for an amendment",
            "payments.lc.response",
            "decision",
        )
    soft = soft_clauses_of(lc["credit"])
    m.emit(
        "LcResponded",
        {"contract_id": cmd.contract_id, "decision": cmd.decision, "soft_clauses": soft},
    )
    if cmd.decision == "refuse":
        from sandbox.engine.settlement import refund_all  # settlement imports the handlers

        lines = refund_all(m, contract)
        if lines:
            m.journal("credit refused by the beneficiary: refunds", cmd.contract_id, lines)
        m.emit("ContractClosed", {"contract_id": cmd.contract_id, "status": "credit_refused"})


def request_lc_amendment(m: Market, cmd: c.RequestLcAmendment) -> None:
    """Ask for an amendment; the buyer accepts or not (one request per credit)."""
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    lc = contract["lc"]
    if lc is None:
        raise reject(
            "NOT_LC", "this contract is not paid by letter of credit", "payments.lc", "contract_id"
        )
    if lc["amended"]:
        raise reject(
            "LC_AMENDMENT_USED",
            "an amendment was already requested",
            "payments.lc.amendment",
            "contract_id",
        )
    if lc["state"] != "issued":
        raise reject(
            "LC_NOT_AMENDABLE", f"credit is {lc['state']}", "payments.lc.amendment", "contract_id"
        )
    persona = m.state.buyers[contract["buyer_id"]]["persona"]
    rng = rng_for(m.state.seed, "lc_amendment", cmd.contract_id)
    accepted = (
        rng.random() < float(m.world.events["lc_amendment_accept"]) * persona["honesty"] + 0.2
    )
    credit = dict(lc["credit"])
    if accepted:
        credit = without_soft_clauses(credit)
        credit["latest_shipment_day"] += 15
        credit["expiry_day"] += 15
    m.emit("LcAmended", {"contract_id": cmd.contract_id, "accepted": accepted, "credit": credit})


def open_exposure(m: Market, firm_id: str) -> int:
    """Return the USD cents still to be paid on the firm's active contracts."""
    contracts = m.state.contracts
    return sum(
        contracts[k]["amount"] - contracts[k]["paid_usd"]
        for k in m.state.active_by_firm.get(firm_id, {})
    )


def forward_cover(m: Market, firm_id: str) -> int:
    """Return the USD cents still covered by the firm's open forwards."""
    forwards = m.state.forwards
    return sum(forwards[f]["remaining"] for f in m.state.open_forwards_by_firm.get(firm_id, {}))


def book_forward(m: Market, cmd: c.BookForward) -> None:
    """Sell USD forward against real trade exposure (open contracts not yet paid)."""
    get_firm(m, cmd.firm_id)
    if type(cmd.amount) is not int or cmd.amount <= 0:
        raise reject("AMOUNT_INVALID", "amount must be positive USD cents", "fx.forward", "amount")
    if type(cmd.days) is not int or not 7 <= cmd.days <= 180:
        raise reject("TENOR_INVALID", "forward tenor must be 7 to 180 days", "fx.forward", "days")
    exposure = open_exposure(m, cmd.firm_id)
    covered = forward_cover(m, cmd.firm_id)
    if cmd.amount > exposure - covered:
        raise reject(
            "FORWARD_EXCEEDS_EXPOSURE",
            "forwards need an underlying trade receivable",
            "fx.forward.real_trade",
            "amount",
        )
    rate = forward_terms(
        usd_bid(m),
        cmd.days,
        m.world.fx_rules.interest,
        int(m.world.money["forward_points_ppm_per_day"]),
    )["outright"]
    m.emit(
        "ForwardBooked",
        {
            "forward_id": m.state.next_id("forward", "FW", 5),
            "firm_id": cmd.firm_id,
            "amount": cmd.amount,
            "rate": rate,
            "maturity_day": m.state.day + cmd.days,
        },
    )


def insure_buyer_credit(m: Market, cmd: c.InsureBuyerCredit) -> None:
    """Ask the credit insurer for a limit on one buyer, priced by its rating."""
    get_firm(m, cmd.firm_id)
    buyer = m.state.buyers.get(cmd.buyer_id)
    if buyer is None:
        raise reject(
            "BUYER_NOT_FOUND", f"no buyer {cmd.buyer_id!r}", "insurance.credit", "buyer_id"
        )
    if f"{cmd.firm_id}|{cmd.buyer_id}" in m.state.credit_limits:
        raise reject(
            "CREDIT_LIMIT_EXISTS", "a limit already exists", "insurance.credit", "buyer_id"
        )
    rating = buyer["persona"]["credit_rating"]
    if rating not in CREDIT_LIMITS_USD or is_bankrupt(m.state, cmd.buyer_id):
        raise reject(
            "CREDIT_INSURANCE_REFUSED",
            f"the insurer does not cover {rating} buyers",
            "insurance.credit",
            "buyer_id",
        )
    m.emit(
        "CreditLimitGranted",
        {
            "firm_id": cmd.firm_id,
            "buyer_id": cmd.buyer_id,
            "limit": CREDIT_LIMITS_USD[rating],
            "premium_rate": CREDIT_PREMIUMS[rating],
        },
    )
