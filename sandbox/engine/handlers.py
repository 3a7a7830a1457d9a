"""Command handlers: validate everything, then emit.

A handler raises :class:`CommandRejected` before its first ``emit`` or not at all, so
a rejected command leaves the market untouched. Randomness a command needs (a
supplier's lead time, a buyer's answer to an amendment) comes from a stream named
after the entity, never from the day's shared streams, so commands do not disturb
the rest of the world.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sandbox.customs import check_declaration, rebate_amounts
from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.flows import transfer, usd_bid
from sandbox.engine.kpis import star_rating
from sandbox.engine.parties import INSURER, PLATFORM, buyer_party, carrier_party, firm_party
from sandbox.errors import CommandRejected
from sandbox.fx import forward_rate
from sandbox.logistics import MODES, shipment_metrics
from sandbox.money import apply_rate, convert
from sandbox.payments import PAYMENT_METHODS, add_banking_days
from sandbox.payments.lc import SOFT_CLAUSE
from sandbox.rng import derive_seed, rng_for
from sandbox.trade import INCOTERMS, insurance_premium

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["COMMAND_HANDLERS"]

CREDIT_LIMITS_USD = {
    "AAA": 50_000_000,
    "AA": 30_000_000,
    "A": 20_000_000,
    "BBB": 10_000_000,
    "BB": 3_000_000,
}
CREDIT_PREMIUMS = {"AAA": "0.006", "AA": "0.006", "A": "0.007", "BBB": "0.009", "BB": "0.012"}


def _reject(code: str, message: str, rule: str, field: str | None = None) -> CommandRejected:
    return CommandRejected(code, message, rule=rule, field=field)


def _firm(m: Market, firm_id: str) -> dict[str, Any]:
    firm = m.state.firms.get(firm_id)
    if firm is None:
        raise _reject("FIRM_NOT_FOUND", f"no firm {firm_id!r}", "engine.firm", "firm_id")
    return firm


def _contract(m: Market, firm_id: str, contract_id: str, *, active: bool = True) -> dict[str, Any]:
    _firm(m, firm_id)
    contract = m.state.contracts.get(contract_id)
    if contract is None or contract["firm_id"] != firm_id:
        raise _reject(
            "CONTRACT_NOT_FOUND",
            f"no contract {contract_id!r} for this firm",
            "engine.contract",
            "contract_id",
        )
    if active and contract["status"] != "active":
        raise _reject(
            "CONTRACT_CLOSED",
            f"contract {contract_id} is {contract['status']}",
            "engine.contract",
            "contract_id",
        )
    return contract


def _need_cash(m: Market, firm_id: str, amount: int, field: str | None = None) -> None:
    cash = m.state.ledger.cash(firm_party(firm_id))
    if cash < amount:
        raise _reject(
            "INSUFFICIENT_FUNDS",
            f"needs CNY {amount / 100:.2f}, cash is CNY {cash / 100:.2f}",
            "money.cash",
            field,
        )


def register_firm(m: Market, cmd: c.RegisterFirm) -> None:
    """Found a firm; capital is issued at genesis like every opening balance."""
    world = m.world
    if not cmd.firm_id or not cmd.firm_id.isalnum():
        raise _reject(
            "FIRM_ID_INVALID", "firm id must be letters and digits", "engine.firm", "firm_id"
        )
    if cmd.firm_id in m.state.firms:
        raise _reject("FIRM_EXISTS", f"firm {cmd.firm_id} already exists", "engine.firm", "firm_id")
    if not cmd.name.strip():
        raise _reject("FIRM_NAME_MISSING", "a firm needs a name", "engine.firm", "name")
    if not cmd.products or len(cmd.products) > 6 or len(set(cmd.products)) != len(cmd.products):
        raise _reject(
            "PRODUCTS_INVALID", "list 1 to 6 distinct products", "engine.firm", "products"
        )
    for pid in cmd.products:
        if pid not in world.products:
            raise _reject("PRODUCT_UNKNOWN", f"unknown product {pid}", "engine.firm", "products")
    digits = f"{derive_seed(m.state.seed, 'licence', cmd.firm_id) % 10**9:09d}"
    licence = f"914101{digits}X"[:18].ljust(18, "0")
    m.emit(
        "FirmRegistered",
        {
            "firm_id": cmd.firm_id,
            "name": cmd.name,
            "licence_no": licence,
            "products": list(cmd.products),
            "bot": cmd.bot,
        },
    )
    capital = int(world.money["firm_capital_cny"])
    party = firm_party(cmd.firm_id)
    m.journal(
        "paid-in capital",
        "genesis",
        [[party, "cash", "CNY", capital], [party, "capital", "CNY", -capital]],
    )


def answer_inquiry(m: Market, cmd: c.AnswerInquiry) -> None:
    """Answer an inquiry addressed to the firm."""
    _firm(m, cmd.firm_id)
    inquiry = m.state.inquiries.get(cmd.inquiry_id)
    if inquiry is None or inquiry["firm_id"] != cmd.firm_id:
        raise _reject(
            "INQUIRY_NOT_FOUND",
            f"no inquiry {cmd.inquiry_id!r} for this firm",
            "platform.inquiry",
            "inquiry_id",
        )
    if inquiry["answered_day"] is not None:
        raise _reject(
            "INQUIRY_ANSWERED", "inquiry already answered", "platform.inquiry", "inquiry_id"
        )
    m.emit("InquiryAnswered", {"inquiry_id": cmd.inquiry_id, "firm_id": cmd.firm_id})


def quote_quota(m: Market, firm: dict[str, Any]) -> int:
    """Return the quotes a firm may still send this 30-day month (basic plus reward)."""
    platform = m.world.platform
    stars, _ = star_rating(firm, m.state.day, list(platform["star_thresholds"]))
    quota = int(platform["monthly_quote_quota"]) + (
        int(platform["reward_quotes"]) if stars >= 3 else 0
    )
    return quota - firm["quotes_by_month"].get(str(m.state.day // 30), 0)


def submit_quote(m: Market, cmd: c.SubmitQuote) -> None:
    """Quote an RFQ; the tenth quote closes it."""
    world = m.world
    firm = _firm(m, cmd.firm_id)
    rfq = m.state.rfqs.get(cmd.rfq_id)
    if rfq is None:
        raise _reject("RFQ_NOT_FOUND", f"no RFQ {cmd.rfq_id!r}", "platform.rfq", "rfq_id")
    if rfq["status"] != "open":
        raise _reject(
            "RFQ_CLOSED",
            "the RFQ no longer takes quotes",
            "platform.rfq.closes_after_10_quotes",
            "rfq_id",
        )
    if rfq["product_id"] not in firm["products"]:
        raise _reject(
            "PRODUCT_NOT_LISTED",
            "the firm does not list this product",
            "platform.listing",
            "rfq_id",
        )
    if any(m.state.quotes[q]["firm_id"] == cmd.firm_id for q in rfq["quotes"]):
        raise _reject(
            "QUOTE_DUPLICATE", "one quote per firm per RFQ", "platform.rfq.one_quote", "rfq_id"
        )
    if quote_quota(m, firm) <= 0:
        raise _reject(
            "QUOTE_QUOTA_EXHAUSTED", "monthly quote quota used up", "platform.rfq.quota", "rfq_id"
        )
    if type(cmd.unit_price) is not int or cmd.unit_price <= 0:
        raise _reject(
            "PRICE_INVALID",
            "unit price must be a positive integer of USD cents",
            "trade.quote",
            "unit_price",
        )
    term = INCOTERMS.get(cmd.incoterm)
    if term is None:
        raise _reject(
            "INCOTERM_UNKNOWN", f"unknown Incoterm {cmd.incoterm!r}", "trade.incoterms", "incoterm"
        )
    if cmd.payment not in PAYMENT_METHODS:
        raise _reject(
            "PAYMENT_UNKNOWN", f"unknown payment method {cmd.payment!r}", "payments", "payment"
        )
    lane = world.lanes.get(cmd.lane_id)
    buyer = m.state.buyers[rfq["buyer_id"]]
    if lane is None or lane.market != buyer["market"]:
        raise _reject(
            "LANE_WRONG_MARKET",
            "the lane does not serve the buyer's market",
            "logistics.lane",
            "lane_id",
        )
    mode = MODES[lane.mode]
    if term.sea_only and not mode.sea:
        raise _reject(
            "INCOTERM_MODE_MISMATCH",
            f"{term.code} is for sea transport only; use FCA/CPT/CIP",
            "trade.incoterms",
            "incoterm",
        )
    product = world.products[rfq["product_id"]]
    weight, _ = shipment_metrics(rfq["quantity"], product.gross_weight_g, product.volume_cm3)
    if mode.max_weight_g and weight > mode.max_weight_g:
        raise _reject(
            "LANE_WEIGHT_LIMIT",
            f"{lane.mode} takes at most {mode.max_weight_g // 1000} kg",
            "logistics.lane",
            "lane_id",
        )
    if type(cmd.lead_days) is not int or not 1 <= cmd.lead_days <= 120:
        raise _reject(
            "LEAD_TIME_INVALID", "lead time must be 1 to 120 days", "trade.quote", "lead_days"
        )
    m.emit(
        "QuoteSubmitted",
        {
            "quote_id": m.state.next_id("quote", "Q", 7),
            "rfq_id": cmd.rfq_id,
            "firm_id": cmd.firm_id,
            "unit_price": cmd.unit_price,
            "incoterm": cmd.incoterm,
            "payment": cmd.payment,
            "lane_id": cmd.lane_id,
            "lead_days": cmd.lead_days,
        },
    )
    if len(rfq["quotes"]) >= int(world.platform["rfq_max_quotes"]):
        m.emit("RfqClosed", {"rfq_id": cmd.rfq_id, "reason": "max_quotes"})


def place_purchase_order(m: Market, cmd: c.PlacePurchaseOrder) -> None:
    """Order the contract quantity from a supplier within its capacity."""
    world = m.world
    contract = _contract(m, cmd.firm_id, cmd.contract_id)
    if contract["po_id"] is not None:
        raise _reject(
            "PO_EXISTS", "goods already ordered for this contract", "procurement", "contract_id"
        )
    supplier = world.suppliers.get(cmd.supplier_id)
    if supplier is None or contract["product_id"] not in supplier.products:
        raise _reject(
            "SUPPLIER_PRODUCT",
            "the supplier does not make this product",
            "procurement",
            "supplier_id",
        )
    load = m.state.supplier_load.get(cmd.supplier_id, 0)
    if load + contract["quantity"] > supplier.capacity:
        raise _reject(
            "SUPPLIER_CAPACITY",
            f"supplier has {supplier.capacity - load} units free",
            "procurement.capacity",
            "supplier_id",
        )
    po_id = m.state.next_id("po", "PO", 6)
    rng = rng_for(m.state.seed, "po", po_id)
    product = world.products[contract["product_id"]]
    m.emit(
        "PurchaseOrderPlaced",
        {
            "po_id": po_id,
            "firm_id": cmd.firm_id,
            "contract_id": cmd.contract_id,
            "supplier_id": cmd.supplier_id,
            "product_id": product.id,
            "quantity": contract["quantity"],
            "unit_cost": product.unit_cost,
            "due_day": m.state.day + rng.randint(*supplier.lead_days),
        },
    )


def freight_costs(m: Market, contract: dict[str, Any], insure: bool) -> dict[str, int]:
    """Compute what the seller pays at booking (CNY fen): freight, local charges, insurance."""
    world = m.world
    lane = world.lanes[contract["lane_id"]]
    product = world.products[contract["product_id"]]
    term = INCOTERMS[contract["incoterm"]]
    weight, volume = shipment_metrics(
        contract["quantity"], product.gross_weight_g, product.volume_cm3
    )
    mode = MODES[lane.mode]
    mid = m.state.fx["USD"]
    rng = rng_for(m.state.seed, "freight", contract["contract_id"])
    main = convert(mode.freight(lane, weight, volume, rng), mid) if term.seller_main_carriage else 0
    local = 0
    if term.code != "EXW":
        local = int(world.money["inland_haulage_cny_per_cbm"]) * max(1, -(-volume // 1_000_000))
        local += int(world.money["export_clearance_fee_cny"])
    insurance = 0
    if term.seller_insurance is not None or insure:
        rate_key = (
            "cargo_insurance_rate_icc_c"
            if term.seller_insurance == "C"
            else "cargo_insurance_rate_icc_a"
        )
        insurance = insurance_premium(
            convert(contract["amount"], mid), world.rate(rate_key), world.rate("insurance_markup")
        )
    return {
        "freight": main,
        "local": local,
        "insurance": insurance,
        "units": mode.billing_units(weight, volume),
    }


def book_freight(m: Market, cmd: c.BookFreight) -> None:
    """Book the lane, paying freight (if the Incoterm says so), local charges and insurance."""
    contract = _contract(m, cmd.firm_id, cmd.contract_id)
    if contract["freight"] is not None:
        raise _reject(
            "FREIGHT_BOOKED", "freight already booked", "logistics.booking", "contract_id"
        )
    costs = freight_costs(m, contract, cmd.insure)
    total = costs["freight"] + costs["local"] + costs["insurance"]
    _need_cash(m, cmd.firm_id, total, "contract_id")
    lane = m.world.lanes[contract["lane_id"]]
    insured = costs["insurance"] > 0
    m.emit(
        "FreightBooked",
        {
            "contract_id": cmd.contract_id,
            "lane_id": lane.id,
            "freight_cny": costs["freight"] + costs["local"],
            "insurance_cny": costs["insurance"],
            "insured": insured,
            "ship_day": m.state.day + 1,
            "units": costs["units"],
        },
    )
    firm = firm_party(cmd.firm_id)
    lines = []
    if costs["freight"] + costs["local"]:
        lines += transfer(
            firm,
            "selling_expense",
            carrier_party(lane.carrier),
            "freight_income",
            "CNY",
            costs["freight"] + costs["local"],
        )
    if insured:
        lines += transfer(
            firm, "selling_expense", INSURER, "premium_income", "CNY", costs["insurance"]
        )
    if lines:
        m.journal("freight and insurance", cmd.contract_id, lines)


def file_declaration(m: Market, cmd: c.FileDeclaration) -> None:
    """File the export declaration; format errors reject, mismatches are recorded."""
    world = m.world
    contract = _contract(m, cmd.firm_id, cmd.contract_id)
    if INCOTERMS[contract["incoterm"]].export_clearance != "seller":
        raise _reject(
            "DECLARATION_NOT_REQUIRED",
            "under EXW the buyer clears for export",
            "trade.incoterms",
            "contract_id",
        )
    if contract["freight"] is None:
        raise _reject(
            "FREIGHT_NOT_BOOKED",
            "book freight first: the declaration needs the transport",
            "customs.declaration",
            "contract_id",
        )
    if contract["declaration"] is not None:
        raise _reject(
            "DECLARATION_EXISTS",
            "a declaration was already filed",
            "customs.declaration",
            "contract_id",
        )
    if not isinstance(cmd.declaration, dict):
        raise _reject(
            "DECLARATION_MALFORMED",
            "the declaration must be a mapping of fields",
            "customs.declaration",
            "declaration",
        )
    findings = check_declaration(
        cmd.declaration,
        expected_for(m, contract),
        value_tolerance=Decimal(world.customs["value_tolerance"]),
        weight_tolerance=Decimal(world.customs["weight_tolerance"]),
    )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        message = "; ".join(f"{f.field}: {f.message}" for f in errors)
        raise _reject(first.code, message, "customs.declaration", first.field)
    m.emit(
        "DeclarationFiled",
        {
            "contract_id": cmd.contract_id,
            "declaration": dict(cmd.declaration),
            "findings": [f.as_dict() for f in findings],
        },
    )


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
    contract = _contract(m, cmd.firm_id, cmd.contract_id)
    lc = contract["lc"]
    if lc is None:
        raise _reject(
            "NOT_LC", "this contract is not paid by letter of credit", "payments.lc", "contract_id"
        )
    if contract["departed_day"] is None:
        raise _reject(
            "NOT_SHIPPED",
            "documents need a bill of lading: ship first",
            "payments.lc",
            "contract_id",
        )
    if lc["state"] not in ("issued", "refused"):
        raise _reject(
            "LC_NOT_PRESENTABLE", f"credit is {lc['state']}", "payments.lc", "contract_id"
        )
    if any(item["part"] == "credit_fallback" for item in contract["receivables"]):
        raise _reject(
            "LC_EXPIRED",
            "the credit expired; the buyer now pays outside it",
            "payments.lc.expiry",
            "contract_id",
        )
    if lc["presentations"] >= 3:
        raise _reject(
            "LC_TOO_MANY_PRESENTATIONS",
            "three presentations already made",
            "payments.lc",
            "contract_id",
        )
    for key, kind in DOCUMENT_KEYS.items():
        if not isinstance(cmd.documents.get(key), kind):
            raise _reject(
                "DOCUMENTS_MALFORMED", f"{key} must be {kind.__name__}", "payments.lc", key
            )
    insurance = cmd.documents.get("insurance_amount")
    if insurance is not None and type(insurance) is not int:
        raise _reject(
            "DOCUMENTS_MALFORMED",
            "insurance_amount must be int or null",
            "payments.lc",
            "insurance_amount",
        )
    number = lc["presentations"] + 1
    rng = rng_for(m.state.seed, "lc_presentation", cmd.contract_id, number)
    persona = m.state.buyers[contract["buyer_id"]]["persona"]
    # Under a soft clause the applicant decides whether to sign the inspection certificate.
    signed = (
        lc["credit"].get("soft_clause") == SOFT_CLAUSE and rng.random() < persona["honesty"] - 0.3
    )
    examine_on = add_banking_days(m.world.date_of(m.state.day), rng.randint(1, 5))
    documents = {key: cmd.documents[key] for key in DOCUMENT_KEYS}
    documents["insurance_amount"] = insurance
    m.emit(
        "DocumentsPresented",
        {
            "contract_id": cmd.contract_id,
            "presentation": number,
            "documents": documents,
            "examine_day": (examine_on - m.world.start_date).days,
            "signed": signed,
        },
    )


def request_lc_amendment(m: Market, cmd: c.RequestLcAmendment) -> None:
    """Ask for an amendment; the buyer accepts or not (one request per credit)."""
    contract = _contract(m, cmd.firm_id, cmd.contract_id)
    lc = contract["lc"]
    if lc is None:
        raise _reject(
            "NOT_LC", "this contract is not paid by letter of credit", "payments.lc", "contract_id"
        )
    if lc["amended"]:
        raise _reject(
            "LC_AMENDMENT_USED",
            "an amendment was already requested",
            "payments.lc.amendment",
            "contract_id",
        )
    if lc["state"] != "issued":
        raise _reject(
            "LC_NOT_AMENDABLE", f"credit is {lc['state']}", "payments.lc.amendment", "contract_id"
        )
    persona = m.state.buyers[contract["buyer_id"]]["persona"]
    rng = rng_for(m.state.seed, "lc_amendment", cmd.contract_id)
    accepted = (
        rng.random() < float(m.world.events["lc_amendment_accept"]) * persona["honesty"] + 0.2
    )
    credit = dict(lc["credit"])
    if accepted:
        credit["soft_clause"] = None
        credit["required_documents"] = [
            d for d in credit["required_documents"] if d != "inspection_certificate"
        ]
        credit["latest_shipment_day"] += 15
        credit["expiry_day"] += 15
    m.emit("LcAmended", {"contract_id": cmd.contract_id, "accepted": accepted, "credit": credit})


def claim_rebate(m: Market, cmd: c.ClaimRebate) -> None:
    """Claim the export VAT rebate at the rate in force on the export date."""
    world = m.world
    contract = _contract(m, cmd.firm_id, cmd.contract_id, active=False)
    if contract["rebate"] is not None:
        raise _reject(
            "REBATE_ALREADY_CLAIMED", "rebate already claimed", "tax.rebate", "contract_id"
        )
    declaration = contract["declaration"]
    if (
        contract["departed_day"] is None
        or declaration is None
        or declaration["status"] != "released"
    ):
        raise _reject(
            "REBATE_NOT_EXPORTED",
            "no released export declaration and shipment",
            "tax.rebate",
            "contract_id",
        )
    order = m.state.purchase_orders.get(contract["po_id"] or "")
    if order is None or order["status"] == "ordered":
        raise _reject(
            "REBATE_NO_VAT_INVOICE",
            "no supplier VAT invoice for these goods",
            "tax.rebate",
            "contract_id",
        )
    product = world.products[contract["product_id"]]
    rate = product.rebate_rate_on(world.date_of(contract["departed_day"]))
    refund, non_refundable = rebate_amounts(contract["cost"], world.rate("vat_rate"), rate)
    low, high = world.customs["rebate_processing_days"]
    pay_day = m.state.day + rng_for(m.state.seed, "rebate", cmd.contract_id).randint(
        int(low), int(high)
    )
    m.emit(
        "RebateClaimed",
        {
            "contract_id": cmd.contract_id,
            "rate": str(rate),
            "refund": refund,
            "non_refundable": non_refundable,
            "pay_day": pay_day,
        },
    )
    firm = firm_party(cmd.firm_id)
    lines = [[firm, "input_vat", "CNY", -(refund + non_refundable)]]
    if refund:
        lines.append([firm, "rebate_receivable", "CNY", refund])
    if non_refundable:
        lines.append([firm, "cost_of_sales", "CNY", non_refundable])
    m.journal("export VAT rebate claimed", cmd.contract_id, lines)


def book_forward(m: Market, cmd: c.BookForward) -> None:
    """Sell USD forward against real trade exposure (open contracts not yet paid)."""
    _firm(m, cmd.firm_id)
    if type(cmd.amount) is not int or cmd.amount <= 0:
        raise _reject("AMOUNT_INVALID", "amount must be positive USD cents", "fx.forward", "amount")
    if type(cmd.days) is not int or not 7 <= cmd.days <= 180:
        raise _reject("TENOR_INVALID", "forward tenor must be 7 to 180 days", "fx.forward", "days")
    exposure = sum(
        k["amount"] - k["paid_usd"]
        for k in m.state.contracts.values()
        if k["firm_id"] == cmd.firm_id and k["status"] == "active"
    )
    covered = sum(
        f["remaining"]
        for f in m.state.forwards.values()
        if f["firm_id"] == cmd.firm_id and f["status"] == "open"
    )
    if cmd.amount > exposure - covered:
        raise _reject(
            "FORWARD_EXCEEDS_EXPOSURE",
            "forwards need an underlying trade receivable",
            "fx.forward.real_trade",
            "amount",
        )
    rate = forward_rate(usd_bid(m), int(m.world.money["forward_points_ppm_per_day"]), cmd.days)
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
    _firm(m, cmd.firm_id)
    buyer = m.state.buyers.get(cmd.buyer_id)
    if buyer is None:
        raise _reject(
            "BUYER_NOT_FOUND", f"no buyer {cmd.buyer_id!r}", "insurance.credit", "buyer_id"
        )
    if f"{cmd.firm_id}|{cmd.buyer_id}" in m.state.credit_limits:
        raise _reject(
            "CREDIT_LIMIT_EXISTS", "a limit already exists", "insurance.credit", "buyer_id"
        )
    rating = buyer["persona"]["credit_rating"]
    if rating not in CREDIT_LIMITS_USD:
        raise _reject(
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


def resolve_dispute(m: Market, cmd: c.ResolveDispute) -> None:
    """Offer a refund in negotiation; buyers accept at least 60 % of their claim."""
    _firm(m, cmd.firm_id)
    dispute = m.state.disputes.get(cmd.dispute_id)
    if dispute is None or m.state.contracts[dispute["contract_id"]]["firm_id"] != cmd.firm_id:
        raise _reject(
            "DISPUTE_NOT_FOUND", f"no dispute {cmd.dispute_id!r}", "platform.dispute", "dispute_id"
        )
    if dispute["status"] != "negotiating":
        raise _reject(
            "DISPUTE_NOT_NEGOTIABLE",
            f"dispute is {dispute['status']}",
            "platform.dispute",
            "dispute_id",
        )
    try:
        rate = Decimal(cmd.refund_rate)
    except (InvalidOperation, TypeError):
        raise _reject(
            "REFUND_RATE_INVALID",
            "refund rate must be a decimal string",
            "platform.dispute",
            "refund_rate",
        ) from None
    if not Decimal(0) <= rate <= Decimal(1):
        raise _reject(
            "REFUND_RATE_INVALID",
            "refund rate must be between 0 and 1",
            "platform.dispute",
            "refund_rate",
        )
    if rate < Decimal(str(dispute["claim_rate"])) * Decimal("0.6"):
        raise _reject(
            "DISPUTE_OFFER_REFUSED",
            "the buyer refuses an offer this low",
            "platform.dispute",
            "refund_rate",
        )
    contract = m.state.contracts[dispute["contract_id"]]
    refund = apply_rate(contract["amount"], rate)
    lines, book = dispute_refund_lines(m, contract, refund)
    if not contract["escrow_held"]:
        _need_cash(
            m,
            cmd.firm_id,
            -sum(ln[3] for ln in lines if ln[0] == firm_party(cmd.firm_id) and ln[1] == "cash"),
            "refund_rate",
        )
    m.emit(
        "DisputeResolved",
        {"dispute_id": cmd.dispute_id, "refund": refund, "by": "seller", "book": book},
    )
    if lines:
        m.journal("dispute refund", contract["contract_id"], lines)


def dispute_refund_lines(
    m: Market, contract: dict[str, Any], refund: int
) -> tuple[list[list[Any]], int]:
    """Return the lines and receivable book value of a dispute refund.

    Refunds come out of escrow while funds are held (the seller's receivable shrinks),
    otherwise the seller pays the buyer through the bank (a sales reduction).
    """
    from sandbox.engine.flows import firm_refunds_buyer

    if refund <= 0:
        return [], 0
    held = contract["escrow_held"]
    if held:
        refund = min(refund, held)
        outstanding = contract["receivable_usd"]
        book = contract["receivable_cny"] * refund // outstanding if outstanding else 0
        firm = firm_party(contract["firm_id"])
        lines = [
            [PLATFORM, "escrow_liability", "USD", refund],
            [PLATFORM, "cash", "USD", -refund],
            [buyer_party(contract["buyer_id"]), "cash", "USD", refund],
            [buyer_party(contract["buyer_id"]), "purchases", "USD", -refund],
        ]
        if book:
            lines += [[firm, "sales", "CNY", book], [firm, "receivable", "CNY", -book]]
        return lines, book
    return firm_refunds_buyer(m, contract, refund, "sales"), 0


def improve_listing(m: Market, cmd: c.ImproveListing) -> None:
    """Pay the platform for listing optimisation: +0.5 quality score, up to 5.0."""
    firm = _firm(m, cmd.firm_id)
    if cmd.product_id not in firm["products"]:
        raise _reject(
            "PRODUCT_NOT_LISTED",
            "the firm does not list this product",
            "platform.listing",
            "product_id",
        )
    quality = firm["listing_quality"][cmd.product_id]
    if quality >= 50:
        raise _reject(
            "LISTING_AT_MAXIMUM", "listing quality is already 5.0", "platform.listing", "product_id"
        )
    cost = int(m.world.platform["listing_improvement_cost_cny"])
    _need_cash(m, cmd.firm_id, cost, "product_id")
    m.emit(
        "ListingImproved",
        {"firm_id": cmd.firm_id, "product_id": cmd.product_id, "quality": min(50, quality + 5)},
    )
    m.journal(
        "listing optimisation",
        cmd.product_id,
        transfer(firm_party(cmd.firm_id), "selling_expense", PLATFORM, "fee_income", "CNY", cost),
    )


COMMAND_HANDLERS = {
    c.RegisterFirm: register_firm,
    c.AnswerInquiry: answer_inquiry,
    c.SubmitQuote: submit_quote,
    c.PlacePurchaseOrder: place_purchase_order,
    c.BookFreight: book_freight,
    c.FileDeclaration: file_declaration,
    c.PresentDocuments: present_documents,
    c.RequestLcAmendment: request_lc_amendment,
    c.ClaimRebate: claim_rebate,
    c.BookForward: book_forward,
    c.InsureBuyerCredit: insure_buyer_credit,
    c.ResolveDispute: resolve_dispute,
    c.ImproveListing: improve_listing,
}
