"""Labels of engine values in the reader's language, and money as a student reads it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from academy.labs.world_names import world_name
from sandbox import INCOTERMS, PAYMENT_METHODS


class Titled(StrEnum):
    """An engine value with its label in the reader's language (``member = "value", _l(...)``).

    The members compare equal to the engine's strings, so ``Status("paid")`` finds a
    state's label and ``Status.label_of(value)`` falls back to the value itself for one
    the table does not know.
    """

    _title: Any

    def __new__(cls, value: str, title: Any) -> Titled:
        member = str.__new__(cls, value)
        member._value_ = value
        member._title = title
        return member

    @property
    def label(self) -> str:
        """The member's label in the reader's language."""
        return str(self._title)

    @classmethod
    def label_of(cls, value: Any) -> str:
        """The label of an engine value, the value itself when unknown, "—" for None."""
        if value is None:
            return "—"
        try:
            # An Enum lookup by value; mypy reads the call as the two-argument __new__.
            return cls(str(value)).label  # type: ignore[call-arg]
        except ValueError:
            return str(value)

    @classmethod
    def as_dict(cls) -> dict[str, str]:
        """Every value with its label, for pages that look labels up by value."""
        return {member.value: member.label for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs in the class's order, for select fields."""
        return [(member.value, member.label) for member in cls]


class RiskLevel(Titled):
    """Country risk levels of the scenario's markets."""

    low = "low", _l("low")
    medium = "medium", _l("medium")
    high = "high", _l("high")


class DocumentName(Titled):
    """Documents presented under a credit, transport documents by mode included."""

    commercial_invoice = "commercial_invoice", _l("commercial invoice")
    packing_list = "packing_list", _l("packing list")
    bill_of_lading = "bill_of_lading", _l("bill of lading")
    sea_waybill = "sea_waybill", _l("sea waybill")
    multimodal_transport_document = (
        "multimodal_transport_document",
        _l("multimodal transport document"),
    )
    air_waybill = "air_waybill", _l("air waybill")
    rail_consignment_note = "rail_consignment_note", _l("rail consignment note")
    road_consignment_note = "road_consignment_note", _l("road consignment note")
    courier_receipt = "courier_receipt", _l("courier receipt")
    post_receipt = "post_receipt", _l("post receipt")
    insurance_certificate = "insurance_certificate", _l("insurance certificate")
    certificate_of_origin = "certificate_of_origin", _l("certificate of origin")
    inspection_certificate = "inspection_certificate", _l("inspection certificate")


def document_label(name: str) -> str:
    """``rail_consignment_note`` → "rail consignment note" in the reader's language."""
    label = DocumentName.label_of(name)
    return label.replace("_", " ") if label == name else label


def money_cny(fen: int | None) -> str:
    """Format CNY fen as ``¥1,234.56``."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) / 100:,.2f}"


def percent(share: float | None) -> str:
    """A KPI share (0 to 1) as ``8.3%``, or "—" when there is nothing to measure yet."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%"


def rate_percent(rate: str | Decimal | None) -> str:
    """A tax or duty rate given as a decimal string (``"0.027"``) as ``2.7%``."""
    if rate is None:
        return "—"
    value = (Decimal(str(rate)) * 100).normalize()
    return f"{value:f}%"


#: What the firm's rates measure, for the help beside them on the firm's dashboard.
RATE_HELP = {
    "response_rate": _l("Inquiries of the last 30 days that you answered within a day."),
    "on_time_delivery": _l("Shipped orders that arrived by the day promised."),
    "dispute_rate": _l("Arrived orders on which the buyer opened a dispute."),
}


def money_usd(cents: int | None) -> str:
    """Format USD cents as ``$1,234.56``."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


class TransportMode(Titled):
    """Modes of transport of the scenario's lanes."""

    sea_fcl = "sea_fcl", _l("sea, full container (FCL)")
    sea_lcl = "sea_lcl", _l("sea, shared container (LCL)")
    rail = "rail", _l("rail")
    air = "air", _l("air freight")
    express = "express", _l("express courier")
    postal = "postal", _l("postal small packet")
    warehouse = "warehouse", _l("overseas warehouse (9810)")


def mode_label(mode: str) -> str:
    return TransportMode.label_of(mode)


class Paper(Titled):
    """The papers a dangerous-goods booking needs (``sandbox`` paper codes)."""

    un38_3_summary = "un38_3_summary", _l("UN38.3 test summary")
    dg_declaration = "dg_declaration", _l("Dangerous goods declaration")
    packaging_certificate = (
        "packaging_certificate",
        _l("Customs packaging certificate for dangerous goods"),
    )
    sds = "sds", _l("Safety data sheet (SDS)")
    rail_dg_approval = (
        "rail_dg_approval",
        _l("Railway acceptance of dangerous goods (SMGS Annex 2)"),
    )


def paper_label(code: str, fee_fen: int, days: int) -> str:
    """A paper with what it costs and takes, e.g. "Safety data sheet (SDS) · ¥0.00 · 1 day"."""
    return str(
        lazy_ngettext(
            "%(paper)s · %(fee)s · %(num)s day",
            "%(paper)s · %(fee)s · %(num)s days",
            days,
            paper=Paper.label_of(code),
            fee=money_cny(fee_fen),
        )
    )


class PaymentTerms(Titled):
    """Payment methods as the quotation form names them."""

    tt = "tt", _l("T/T (telegraphic transfer, deposit and balance)")
    lc = "lc", _l("L/C (letter of credit)")
    dp = "dp", _l("D/P (documents against payment)")
    da = "da", _l("D/A (documents against acceptance)")
    escrow = "escrow", _l("Escrow (platform Trade Assurance)")
    open_account = "open_account", _l("Open account")


class PaymentMethod(Titled):
    """Payment methods in short, for tables and lists."""

    tt = "tt", _l("T/T")
    lc = "lc", _l("L/C")
    dp = "dp", _l("D/P")
    da = "da", _l("D/A")
    escrow = "escrow", _l("Escrow")
    open_account = "open_account", _l("Open account")


class LedgerAccount(Titled):
    """Ledger accounts of the engine's chart (``sandbox/ledger/chart.py``), by key."""

    cash = "cash", _l("Bank deposits")
    receivable = "receivable", _l("Accounts receivable")
    input_vat = "input_vat", _l("Input VAT awaiting rebate")
    rebate_receivable = "rebate_receivable", _l("Export VAT rebate receivable")
    inventory = "inventory", _l("Inventory")
    goods_in_transit = "goods_in_transit", _l("Goods shipped, risk not yet passed")
    payable = "payable", _l("Accounts payable")
    customer_advances = "customer_advances", _l("Advances from customers")
    vat_output = "vat_output", _l("Output VAT payable")
    escrow_liability = "escrow_liability", _l("Escrow funds held for others")
    capital = "capital", _l("Paid-in capital")
    fx_trading = "fx_trading", _l("Currency trading position")
    sales = "sales", _l("Sales revenue")
    fee_income = "fee_income", _l("Fee and commission income")
    freight_income = "freight_income", _l("Freight income")
    premium_income = "premium_income", _l("Insurance premium income")
    fine_income = "fine_income", _l("Fines and penalties collected")
    tax_income = "tax_income", _l("Tax collected")
    claims_income = "claims_income", _l("Insurance claims received")
    fx_gain_loss = "fx_gain_loss", _l("Exchange gains (losses)")
    cost_of_sales = "cost_of_sales", _l("Cost of sales")
    delivery_cost = "delivery_cost", _l("Cost of sales: delivery under the Incoterm")
    purchases = "purchases", _l("Purchases of imported goods")
    selling_expense = "selling_expense", _l("Selling expenses")
    finance_expense = "finance_expense", _l("Finance expenses and bank fees")
    impairment_loss = "impairment_loss", _l("Credit impairment losses")
    non_operating_loss = "non_operating_loss", _l("Non-operating losses and penalties")
    claims_expense = "claims_expense", _l("Claims paid")
    rebate_expense = "rebate_expense", _l("Export rebates paid")


class ReceivablePart(Titled):
    """The parts of a buyer's obligation (``ReceivableScheduled.part``)."""

    deposit = "deposit", _l("Deposit")
    balance = "balance", _l("Balance")
    collection = "collection", _l("Collection (D/P)")
    draft = "draft", _l("Accepted draft (D/A)")
    invoice = "invoice", _l("Invoice (open account)")
    credit_fallback = "credit_fallback", _l("Payment outside the expired credit")


class Status(Titled):
    """States of receivables, contracts, quotes, credits, forwards and disputes."""

    open = "open", _l("open")
    paid = "paid", _l("paid")
    defaulted = "defaulted", _l("defaulted")
    active = "active", _l("active")
    completed = "completed", _l("completed")
    lost = "lost", _l("lost")
    refused = "refused", _l("refused")
    unfunded = "unfunded", _l("unfunded")
    cancelled_late = "cancelled_late", _l("cancelled for late shipment")
    credit_refused = "credit_refused", _l("closed: you refused the credit")
    issued = "issued", _l("issued")
    presented = "presented", _l("presented")
    honoured = "honoured", _l("honoured")
    settled = "settled", _l("settled")
    negotiating = "negotiating", _l("negotiating")
    escalated = "escalated", _l("escalated to the platform")
    resolved = "resolved", _l("resolved")
    won = "won", _l("won")
    claimed = "claimed", _l("claimed")


class DisputeReason(Titled):
    """Why buyers open Trade-Assurance disputes (``DisputeOpened.reason``)."""

    quality = "quality", _l("Quality below the buyer's expectation")
    damaged = "damaged", _l("Goods arrived damaged")


class DisputeActor(Titled):
    """Who ended a step of a dispute (``DisputeEscalated.by``, ``DisputeResolved.by``)."""

    buyer = "buyer", _l("the buyer")
    platform = "platform", _l("the platform")
    seller = "seller", _l("your firm")


def payment_label(code: Any) -> str:
    """``tt`` → "T/T" (short label of a payment method)."""
    return PaymentMethod.label_of(code)


def account_label(key: Any) -> str:
    """``receivable`` → "Accounts receivable" (a ledger account by key)."""
    return LedgerAccount.label_of(key)


def receivable_part_label(part: Any) -> str:
    """``deposit`` → "Deposit" (a part of a buyer's obligation)."""
    return ReceivablePart.label_of(part)


def status_label(status: Any) -> str:
    """``negotiating`` → "negotiating" in the reader's language."""
    return Status.label_of(status)


def dispute_reason_label(reason: Any) -> str:
    """``damaged`` → "Goods arrived damaged"."""
    return DisputeReason.label_of(reason)


class StarIndicator(Titled):
    """The indicators behind the star rating (``firm_kpis()["star_indicators"]``)."""

    response = "response", _l("Response")
    on_time = "on_time", _l("On time")
    disputes = "disputes", _l("Disputes")
    listing = "listing", _l("Listing")


def indicator_label(name: Any) -> str:
    """``on_time`` → "On time" (an indicator of the star rating)."""
    return StarIndicator.label_of(name)


#: Jinja filters for engine values, registered app-wide by the labs views.
VALUE_FILTERS = {
    "indicator_label": indicator_label,
    "world_name": world_name,
    "payment_label": payment_label,
    "account_label": account_label,
    "receivable_part_label": receivable_part_label,
    "status_label": status_label,
    "dispute_reason_label": dispute_reason_label,
}


def payment_choices() -> list[tuple[str, str]]:
    return [(code, PaymentTerms.label_of(code)) for code in PAYMENT_METHODS]


def incoterm_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in INCOTERMS]


class MarketState(Titled):
    """A market's status (``academy.labs.models.MarketStatus`` values)."""

    running = "running", _l("Running")
    paused = "paused", _l("Paused")
    finished = "finished", _l("Finished")


class Kpi(Titled):
    """The firm indicators a teacher compares and sorts by."""

    revenue = "revenue", _l("Revenue")
    gross_margin = "gross_margin", _l("Gross margin")
    net_profit = "net_profit", _l("Net profit")
    cash = "cash", _l("Cash")
    on_time_delivery = "on_time_delivery", _l("On-time delivery")
    response_rate = "response_rate", _l("Response rate")
    star_rating = "star_rating", _l("Star rating")
    customs_credit = "customs_credit", _l("Customs credit")
    dispute_rate = "dispute_rate", _l("Dispute rate")


class EventName(Titled):
    """What a market event means for the firm, on the teacher's timeline."""

    FirmRegistered = "FirmRegistered", _l("Firm founded")
    InquirySent = "InquirySent", _l("Inquiry received")
    InquiryAnswered = "InquiryAnswered", _l("Inquiry answered")
    QuoteSubmitted = "QuoteSubmitted", _l("Quote sent")
    QuoteEdited = "QuoteEdited", _l("Quote edited")
    NegotiationProposed = "NegotiationProposed", _l("Letter to the buyer")
    NegotiationAnswered = "NegotiationAnswered", _l("Buyer answered a letter")
    ContractSigned = "ContractSigned", _l("Contract won")
    LcIssued = "LcIssued", _l("L/C issued")
    LcAmended = "LcAmended", _l("L/C amendment answered")
    PurchaseOrderPlaced = "PurchaseOrderPlaced", _l("Goods ordered from a supplier")
    GoodsReceived = "GoodsReceived", _l("Goods received")
    SupplierPaid = "SupplierPaid", _l("Supplier paid")
    FreightBooked = "FreightBooked", _l("Freight booked")
    DeclarationFiled = "DeclarationFiled", _l("Customs declaration filed")
    InspectionOrdered = "InspectionOrdered", _l("Customs inspection ordered")
    DeclarationReleased = "DeclarationReleased", _l("Released by customs")
    CustomsCreditChanged = "CustomsCreditChanged", _l("Customs credit changed")
    ShipmentDeparted = "ShipmentDeparted", _l("Shipment departed")
    ShipmentLost = "ShipmentLost", _l("Shipment lost")
    ShipmentArrived = "ShipmentArrived", _l("Shipment arrived")
    RevenueRecognised = "RevenueRecognised", _l("Revenue recognised")
    DocumentsPresented = "DocumentsPresented", _l("Documents presented")
    LcExamined = "LcExamined", _l("Documents examined by the bank")
    LcWaiverDecided = "LcWaiverDecided", _l("Applicant decided on a waiver")
    ReceivableScheduled = "ReceivableScheduled", _l("Payment falls due")
    PaymentReceived = "PaymentReceived", _l("Payment received")
    ReceivableDefaulted = "ReceivableDefaulted", _l("Receivable written off")
    CollectionRefused = "CollectionRefused", _l("Buyer refused the documents")
    CreditLimitGranted = "CreditLimitGranted", _l("Buyer credit insured")
    CreditClaimPaid = "CreditClaimPaid", _l("Credit insurance paid a claim")
    DisputeOpened = "DisputeOpened", _l("Dispute opened")
    DisputeEscalated = "DisputeEscalated", _l("Dispute escalated")
    DisputeResolved = "DisputeResolved", _l("Dispute resolved")
    EscrowFunded = "EscrowFunded", _l("Buyer paid into escrow")
    EscrowReleased = "EscrowReleased", _l("Escrow released")
    RebateClaimed = "RebateClaimed", _l("Rebate claimed")
    RebatePaid = "RebatePaid", _l("Rebate paid")
    OriginCertificateApplied = "OriginCertificateApplied", _l("Certificate of origin applied for")
    ImportCleared = "ImportCleared", _l("Import cleared by the seller (DDP)")
    DomesticSaleTaxed = "DomesticSaleTaxed", _l("Taxed as a domestic sale (EXW)")
    ForwardBooked = "ForwardBooked", _l("FX forward booked")
    ForwardSettled = "ForwardSettled", _l("FX forward settled")
    ListingImproved = "ListingImproved", _l("Listing improved")
    ContractClosed = "ContractClosed", _l("Contract closed")


class CustomsClass(Titled):
    """China customs enterprise credit classes (the scenario's ``credit_classes`` names)."""

    advanced = "advanced", _l("advanced certified enterprise")
    general = "general", _l("general")
    dishonest = "dishonest", _l("dishonest")


class PipelineStep(Titled):
    """The steps of a contract, as the teacher's firm page names them."""

    procure = "procure", _l("Procure")
    book_freight = "book_freight", _l("Book freight and insurance")
    declare = "declare", _l("Declare to customs")
    ship = "ship", _l("Ship")
    in_transit = "in_transit", _l("In transit")
    collect = "collect", _l("Collect payment")
    claim_rebate = "claim_rebate", _l("Claim rebate")
    done = "done", _l("Closed")


class OriginScheme(Titled):
    """Certificate-of-origin schemes, as the certificate names them."""

    form_e = "form_e", _l("Form E (China–ASEAN Free Trade Agreement)")
    rcep = "rcep", _l("RCEP certificate of origin")


class PaymentTrigger(Titled):
    """When the money of a payment term's part reaches the exporter (``schedule`` triggers)."""

    signing = "signing", _l("at signing")
    departure = "departure", _l("when the goods leave")
    honour = "honour", _l("when the bank honours the documents")
    arrival = "arrival", _l("when the goods arrive")
    arrival_60 = "arrival+60", _l("60 days after arrival")


class ShockKind(Titled):
    """The events a teacher can inject, as the pages name them."""

    port_strike = "port_strike", _l("Port strike")
    rail_disruption = "rail_disruption", _l("Rail corridor disruption")
    fx_shock = "fx_shock", _l("Exchange-rate shock")
    customs_crackdown = "customs_crackdown", _l("Customs crackdown on a product")
    buyer_bankruptcy = "buyer_bankruptcy", _l("Buyer bankruptcy")


class BotStrategy(Titled):
    """The bot strategies a teacher may add to a class market."""

    cautious = "cautious", _l("Cautious (high margins, safe payment terms)")
    aggressive = "aggressive", _l("Aggressive (low prices, takes risks)")
    sloppy = "sloppy", _l("Sloppy (makes paperwork mistakes)")
