"""Platform commands: registering, inquiries, quotes, listings and disputes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sandbox.engine import commands as c
from sandbox.engine.flows import transfer
from sandbox.engine.kpis import star_rating
from sandbox.engine.parties import PLATFORM, buyer_party, firm_party
from sandbox.logistics import MODES, shipment_metrics
from sandbox.logistics.handling import lane_refusal
from sandbox.money import apply_rate
from sandbox.payments import PAYMENT_METHODS
from sandbox.rng import derive_seed
from sandbox.trade import INCOTERMS

if TYPE_CHECKING:
    from sandbox.engine.market import Market
from sandbox.engine.handlers.common import get_firm, need_cash, reject

__all__ = [
    "answer_inquiry",
    "dispute_refund_lines",
    "edit_quote",
    "improve_listing",
    "quote_quota",
    "register_firm",
    "resolve_dispute",
    "submit_quote",
]


def register_firm(m: Market, cmd: c.RegisterFirm) -> None:
    """Found a firm; capital is issued at genesis like every opening balance."""
    world = m.world
    if not cmd.firm_id or not cmd.firm_id.isalnum():
        raise reject(
            "FIRM_ID_INVALID", "firm id must be letters and digits", "engine.firm", "firm_id"
        )
    if cmd.firm_id in m.state.firms:
        raise reject("FIRM_EXISTS", f"firm {cmd.firm_id} already exists", "engine.firm", "firm_id")
    if not cmd.name.strip():
        raise reject("FIRM_NAME_MISSING", "a firm needs a name", "engine.firm", "name")
    if not cmd.products or len(cmd.products) > 6 or len(set(cmd.products)) != len(cmd.products):
        raise reject("PRODUCTS_INVALID", "list 1 to 6 distinct products", "engine.firm", "products")
    for pid in cmd.products:
        if pid not in world.products:
            raise reject("PRODUCT_UNKNOWN", f"unknown product {pid}", "engine.firm", "products")
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
    get_firm(m, cmd.firm_id)
    inquiry = m.state.inquiries.get(cmd.inquiry_id)
    if inquiry is None or inquiry["firm_id"] != cmd.firm_id:
        raise reject(
            "INQUIRY_NOT_FOUND",
            f"no inquiry {cmd.inquiry_id!r} for this firm",
            "platform.inquiry",
            "inquiry_id",
        )
    if inquiry["answered_day"] is not None:
        raise reject(
            "INQUIRY_ANSWERED", "inquiry already answered", "platform.inquiry", "inquiry_id"
        )
    m.emit("InquiryAnswered", {"inquiry_id": cmd.inquiry_id, "firm_id": cmd.firm_id})


def quote_quota(m: Market, firm: dict[str, Any]) -> int:
    """Return the quotes a firm may still send this 30-day month.

    While the basic quota lasts this is what is left of it; after that, what is left of
    the reward quotes a firm with three stars or more earns. (The star rating is only
    worked out when it matters: it is the costly part.)
    """
    platform = m.world.platform
    used = firm["quotes_by_month"].get(str(m.state.day // 30), 0)
    basic = int(platform["monthly_quote_quota"])
    if used < basic:
        return basic - used
    stars, _ = star_rating(firm, m.state.day, list(platform["star_thresholds"]))
    reward = int(platform["reward_quotes"]) if stars >= 3 else 0
    return basic + reward - used


def submit_quote(m: Market, cmd: c.SubmitQuote) -> None:
    """Quote an RFQ; the tenth quote closes it."""
    world = m.world
    firm = get_firm(m, cmd.firm_id)
    rfq = m.state.rfqs.get(cmd.rfq_id)
    if rfq is None:
        raise reject("RFQ_NOT_FOUND", f"no RFQ {cmd.rfq_id!r}", "platform.rfq", "rfq_id")
    if rfq["status"] != "open":
        raise reject(
            "RFQ_CLOSED",
            "the RFQ no longer takes quotes",
            "platform.rfq.closes_after_10_quotes",
            "rfq_id",
        )
    if rfq["product_id"] not in firm["products"]:
        raise reject(
            "PRODUCT_NOT_LISTED",
            "the firm does not list this product",
            "platform.listing",
            "rfq_id",
        )
    if any(m.state.quotes[q]["firm_id"] == cmd.firm_id for q in rfq["quotes"]):
        raise reject(
            "QUOTE_DUPLICATE", "one quote per firm per RFQ", "platform.rfq.one_quote", "rfq_id"
        )
    if quote_quota(m, firm) <= 0:
        raise reject(
            "QUOTE_QUOTA_EXHAUSTED", "monthly quote quota used up", "platform.rfq.quota", "rfq_id"
        )
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
    if cmd.payment not in PAYMENT_METHODS:
        raise reject(
            "PAYMENT_UNKNOWN", f"unknown payment method {cmd.payment!r}", "payments", "payment"
        )
    lane = world.lanes.get(cmd.lane_id)
    buyer = m.state.buyers[rfq["buyer_id"]]
    if lane is None or lane.market != buyer["market"]:
        raise reject(
            "LANE_WRONG_MARKET",
            "the lane does not serve the buyer's market",
            "logistics.lane",
            "lane_id",
        )
    mode = MODES[lane.mode]
    if term.sea_only and not mode.sea:
        raise reject(
            "INCOTERM_MODE_MISMATCH",
            f"{term.code} is for sea transport only; use FCA/CPT/CIP",
            "trade.incoterms",
            "incoterm",
        )
    product = world.products[rfq["product_id"]]
    refusal = lane_refusal(world, product, lane)
    if refusal is not None:
        raise refusal
    weight, _ = shipment_metrics(rfq["quantity"], product.gross_weight_g, product.volume_cm3)
    if mode.max_weight_g and weight > mode.max_weight_g:
        raise reject(
            "LANE_WEIGHT_LIMIT",
            f"{lane.mode} takes at most {mode.max_weight_g // 1000} kg",
            "logistics.lane",
            "lane_id",
        )
    if type(cmd.lead_days) is not int or not 1 <= cmd.lead_days <= 120:
        raise reject(
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


def improve_listing(m: Market, cmd: c.ImproveListing) -> None:
    """Pay the platform for listing optimisation: +0.5 quality score, up to 5.0."""
    firm = get_firm(m, cmd.firm_id)
    if cmd.product_id not in firm["products"]:
        raise reject(
            "PRODUCT_NOT_LISTED",
            "the firm does not list this product",
            "platform.listing",
            "product_id",
        )
    quality = firm["listing_quality"][cmd.product_id]
    if quality >= 50:
        raise reject(
            "LISTING_AT_MAXIMUM", "listing quality is already 5.0", "platform.listing", "product_id"
        )
    cost = int(m.world.platform["listing_improvement_cost_cny"])
    need_cash(m, cmd.firm_id, cost, "product_id")
    m.emit(
        "ListingImproved",
        {"firm_id": cmd.firm_id, "product_id": cmd.product_id, "quality": min(50, quality + 5)},
    )
    m.journal(
        "listing optimisation",
        cmd.product_id,
        transfer(firm_party(cmd.firm_id), "selling_expense", PLATFORM, "fee_income", "CNY", cost),
    )


def resolve_dispute(m: Market, cmd: c.ResolveDispute) -> None:
    """Offer a refund in negotiation; buyers accept at least 60 % of their claim."""
    get_firm(m, cmd.firm_id)
    dispute = m.state.disputes.get(cmd.dispute_id)
    if dispute is None or m.state.contracts[dispute["contract_id"]]["firm_id"] != cmd.firm_id:
        raise reject(
            "DISPUTE_NOT_FOUND", f"no dispute {cmd.dispute_id!r}", "platform.dispute", "dispute_id"
        )
    if dispute["status"] != "negotiating":
        raise reject(
            "DISPUTE_NOT_NEGOTIABLE",
            f"dispute is {dispute['status']}",
            "platform.dispute",
            "dispute_id",
        )
    try:
        rate = Decimal(cmd.refund_rate)
    except (InvalidOperation, TypeError):
        raise reject(
            "REFUND_RATE_INVALID",
            "refund rate must be a decimal string",
            "platform.dispute",
            "refund_rate",
        ) from None
    if not Decimal(0) <= rate <= Decimal(1):
        raise reject(
            "REFUND_RATE_INVALID",
            "refund rate must be between 0 and 1",
            "platform.dispute",
            "refund_rate",
        )
    if rate < Decimal(str(dispute["claim_rate"])) * Decimal("0.6"):
        raise reject(
            "DISPUTE_OFFER_REFUSED",
            "the buyer refuses an offer this low",
            "platform.dispute",
            "refund_rate",
        )
    contract = m.state.contracts[dispute["contract_id"]]
    refund = apply_rate(contract["amount"], rate)
    lines, book = dispute_refund_lines(m, contract, refund)
    if not contract["escrow_held"]:
        need_cash(
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


def edit_quote(m: Market, cmd: c.EditQuote) -> None:
    """Edit an open quote's price once, as the platform allows."""
    get_firm(m, cmd.firm_id)
    quote = m.state.quotes.get(cmd.quote_id)
    if quote is None or quote["firm_id"] != cmd.firm_id:
        raise reject(
            "QUOTE_NOT_FOUND", f"no quote {cmd.quote_id!r} by this firm", "platform.rfq", "quote_id"
        )
    if m.state.rfqs[quote["rfq_id"]]["status"] != "open":
        raise reject("RFQ_CLOSED", "the RFQ no longer takes quotes", "platform.rfq", "quote_id")
    if quote.get("edited"):
        raise reject(
            "QUOTE_ALREADY_EDITED",
            "each quote may be edited once",
            "platform.rfq.edit_once",
            "quote_id",
        )
    if type(cmd.unit_price) is not int or cmd.unit_price <= 0:
        raise reject(
            "PRICE_INVALID",
            "unit price must be a positive integer of USD cents",
            "trade.quote",
            "unit_price",
        )
    m.emit("QuoteEdited", {"quote_id": cmd.quote_id, "unit_price": cmd.unit_price})
