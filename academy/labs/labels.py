"""Labels of engine values in the reader's language, and money as a student reads it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from academy.labs.world_names import world_name
from sandbox import INCOTERMS, PAYMENT_METHODS

#: Country risk levels of the scenario's markets.
RISK_LABELS = {"low": _l("low"), "medium": _l("medium"), "high": _l("high")}


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


#: Modes of transport of the scenario's lanes.
MODE_LABELS = {
    "sea_fcl": _l("sea, full container (FCL)"),
    "sea_lcl": _l("sea, shared container (LCL)"),
    "rail": _l("rail"),
    "air": _l("air freight"),
    "express": _l("express courier"),
    "postal": _l("postal small packet"),
    "warehouse": _l("overseas warehouse (9810)"),
}


def mode_label(mode: str) -> str:
    return str(MODE_LABELS.get(mode, mode))


#: Payment methods as the quotation form names them.
PAYMENT_LABELS = {
    "tt": _l("T/T (telegraphic transfer, deposit and balance)"),
    "lc": _l("L/C (letter of credit)"),
    "dp": _l("D/P (documents against payment)"),
    "da": _l("D/A (documents against acceptance)"),
    "escrow": _l("Escrow (platform Trade Assurance)"),
    "open_account": _l("Open account"),
}


#: Payment methods in short, for tables and lists.
PAYMENT_SHORT_LABELS = {
    "tt": _l("T/T"),
    "lc": _l("L/C"),
    "dp": _l("D/P"),
    "da": _l("D/A"),
    "escrow": _l("Escrow"),
    "open_account": _l("Open account"),
}

#: Ledger accounts of the engine's chart (``sandbox/ledger/chart.py``), by key.
ACCOUNT_LABELS = {
    "cash": _l("Bank deposits"),
    "receivable": _l("Accounts receivable"),
    "input_vat": _l("Input VAT awaiting rebate"),
    "rebate_receivable": _l("Export VAT rebate receivable"),
    "inventory": _l("Inventory"),
    "goods_in_transit": _l("Goods shipped, risk not yet passed"),
    "payable": _l("Accounts payable"),
    "customer_advances": _l("Advances from customers"),
    "vat_output": _l("Output VAT payable"),
    "escrow_liability": _l("Escrow funds held for others"),
    "capital": _l("Paid-in capital"),
    "fx_trading": _l("Currency trading position"),
    "sales": _l("Sales revenue"),
    "fee_income": _l("Fee and commission income"),
    "freight_income": _l("Freight income"),
    "premium_income": _l("Insurance premium income"),
    "fine_income": _l("Fines and penalties collected"),
    "tax_income": _l("Tax collected"),
    "claims_income": _l("Insurance claims received"),
    "fx_gain_loss": _l("Exchange gains (losses)"),
    "cost_of_sales": _l("Cost of sales"),
    "purchases": _l("Purchases of imported goods"),
    "selling_expense": _l("Selling expenses"),
    "finance_expense": _l("Finance expenses and bank fees"),
    "impairment_loss": _l("Credit impairment losses"),
    "non_operating_loss": _l("Non-operating losses and penalties"),
    "claims_expense": _l("Claims paid"),
    "rebate_expense": _l("Export rebates paid"),
}

#: The parts of a buyer's obligation (``ReceivableScheduled.part``).
RECEIVABLE_PART_LABELS = {
    "deposit": _l("Deposit"),
    "balance": _l("Balance"),
    "collection": _l("Collection (D/P)"),
    "draft": _l("Accepted draft (D/A)"),
    "invoice": _l("Invoice (open account)"),
    "credit_fallback": _l("Payment outside the expired credit"),
}

#: States of receivables, contracts, quotes, credits, forwards and disputes.
STATUS_LABELS = {
    "open": _l("open"),
    "paid": _l("paid"),
    "defaulted": _l("defaulted"),
    "active": _l("active"),
    "completed": _l("completed"),
    "lost": _l("lost"),
    "refused": _l("refused"),
    "unfunded": _l("unfunded"),
    "cancelled_late": _l("cancelled for late shipment"),
    "issued": _l("issued"),
    "presented": _l("presented"),
    "honoured": _l("honoured"),
    "settled": _l("settled"),
    "negotiating": _l("negotiating"),
    "escalated": _l("escalated to the platform"),
    "resolved": _l("resolved"),
    "won": _l("won"),
    "claimed": _l("claimed"),
}

#: Why buyers open Trade-Assurance disputes (``DisputeOpened.reason``).
DISPUTE_REASON_LABELS = {
    "quality": _l("Quality below the buyer's expectation"),
    "damaged": _l("Goods arrived damaged"),
}

#: Who ended a step of a dispute (``DisputeEscalated.by``, ``DisputeResolved.by``).
DISPUTE_ACTOR_LABELS = {
    "buyer": _l("the buyer"),
    "platform": _l("the platform"),
    "seller": _l("your firm"),
}


def _label(table: dict[str, Any], value: Any) -> str:
    """The translated label of an engine value, or the value itself when unknown."""
    if value is None:
        return "—"
    label = table.get(str(value))
    return str(label) if label is not None else str(value)


def payment_label(code: Any) -> str:
    """``tt`` → "T/T" (short label of a payment method)."""
    return _label(PAYMENT_SHORT_LABELS, code)


def account_label(key: Any) -> str:
    """``receivable`` → "Accounts receivable" (a ledger account by key)."""
    return _label(ACCOUNT_LABELS, key)


def receivable_part_label(part: Any) -> str:
    """``deposit`` → "Deposit" (a part of a buyer's obligation)."""
    return _label(RECEIVABLE_PART_LABELS, part)


def status_label(status: Any) -> str:
    """``negotiating`` → "negotiating" in the reader's language."""
    return _label(STATUS_LABELS, status)


def dispute_reason_label(reason: Any) -> str:
    """``damaged`` → "Goods arrived damaged"."""
    return _label(DISPUTE_REASON_LABELS, reason)


#: The indicators behind the star rating (``firm_kpis()["star_indicators"]``).
INDICATOR_LABELS = {
    "response": _l("Response"),
    "on_time": _l("On time"),
    "disputes": _l("Disputes"),
    "listing": _l("Listing"),
}


def indicator_label(name: Any) -> str:
    """``on_time`` → "On time" (an indicator of the star rating)."""
    return _label(INDICATOR_LABELS, name)


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
    return [(code, str(PAYMENT_LABELS.get(code, code))) for code in PAYMENT_METHODS]


def incoterm_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in INCOTERMS]
