"""Helpers behind a student's firm pages: the firm's view, the pipeline, the price helper.

Everything a student sees of a market comes from the engine's ``firm_view`` (what the
platform, the bank, the carrier and customs would show that firm) plus the public
scenario data (products, lanes, suppliers). Nothing here reads another firm's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.labs import markets
from academy.labs.models import SandboxMarket
from academy.labs.world_names import world_name
from sandbox import (
    CASH,
    FX_SCALE,
    INCOTERMS,
    MODES,
    PAYMENT_METHODS,
    Escrow,
    Market,
    QuoteInputs,
    apply_rate,
    expected_declaration,
    firm_party,
    price_ladder,
    shipment_metrics,
)

__all__ = [
    "VALUE_FILTERS",
    "FirmPage",
    "account_label",
    "dispute_reason_label",
    "engine_message",
    "load_firm_page",
    "money_cny",
    "money_usd",
    "payment_label",
    "pipeline_of",
    "quote_helper",
    "receivable_part_label",
    "status_label",
]

#: English or Chinese text of the refusals and rejections a student meets most, by code.
#: Codes not listed fall back to the engine's English message.
MESSAGES: dict[str, Any] = {
    # platform refusals (academy.labs.markets)
    "market_paused": _l("The market is paused; wait for your teacher to resume it."),
    "market_finished": _l("This market has finished."),
    "firm_not_yours": _l("You can only act for your own firm."),
    "idempotency_conflict": _l("This form was already used by someone else."),
    "idempotency_key_invalid": _l("This form has expired; reload the page and try again."),
    "command_refused": _l("This action is not available to firms."),
    # engine rejections (sandbox.codes)
    "FIELD_MISSING": _l("A required field is missing."),
    "INSUFFICIENT_FUNDS": _l("Not enough cash for this."),
    "RFQ_NOT_FOUND": _l("No such RFQ."),
    "RFQ_CLOSED": _l("The RFQ no longer takes quotes (10 quotes received or deadline passed)."),
    "PRODUCT_NOT_LISTED": _l("The firm does not list this product."),
    "QUOTE_DUPLICATE": _l("The firm already quoted this RFQ."),
    "QUOTE_ALREADY_EDITED": _l("Each quote may be edited once."),
    "QUOTE_NOT_FOUND": _l("No such quote by this firm."),
    "QUOTE_QUOTA_EXHAUSTED": _l("The monthly quote quota is used up."),
    "PRICE_INVALID": _l("The unit price must be a positive amount in US cents."),
    "LEAD_TIME_INVALID": _l("The lead time must be 1 to 120 days."),
    "INCOTERM_UNKNOWN": _l("Unknown Incoterms rule."),
    "INCOTERM_MODE_MISMATCH": _l("FAS, FOB, CFR and CIF are for sea transport only."),
    "PAYMENT_UNKNOWN": _l("Unknown payment method."),
    "LANE_WRONG_MARKET": _l("The lane does not serve the buyer's market."),
    "LANE_WEIGHT_LIMIT": _l("The shipment is too heavy for this service."),
    "CONTRACT_NOT_FOUND": _l("No such contract for this firm."),
    "CONTRACT_CLOSED": _l("The contract is closed."),
    "PO_EXISTS": _l("Goods were already ordered for this contract."),
    "SUPPLIER_PRODUCT": _l("The supplier does not make this product."),
    "SUPPLIER_CAPACITY": _l("The supplier has no capacity for this quantity."),
    "FREIGHT_BOOKED": _l("Freight is already booked."),
    "REBATE_NOT_EXPORTED": _l("No released export declaration and shipment for a rebate."),
    "REBATE_NO_VAT_INVOICE": _l("No supplier VAT invoice for these goods."),
    "REBATE_ALREADY_CLAIMED": _l("The rebate was already claimed."),
    "FREIGHT_NOT_BOOKED": _l("Book freight before declaring: the declaration needs the transport."),
    "DECLARATION_NOT_REQUIRED": _l("Under EXW the buyer clears the goods for export."),
    "DECLARATION_EXISTS": _l("A declaration was already filed."),
    "NOT_LC": _l("This contract is not paid by letter of credit."),
    "NOT_SHIPPED": _l("Documents need a bill of lading: ship first."),
    "LC_NOT_PRESENTABLE": _l("The credit does not accept a presentation now."),
    "LC_TOO_MANY_PRESENTATIONS": _l("Three presentations were already made."),
    "LC_EXPIRED": _l("The credit expired; the buyer now pays outside it."),
    "LC_AMENDMENT_USED": _l("An amendment was already requested."),
    "LC_NOT_AMENDABLE": _l("The credit can no longer be amended."),
    "DOCUMENTS_MALFORMED": _l("A document field is missing or has the wrong type."),
    # declaration boxes refused
    "NOT_POSITIVE": _l("The value must be positive."),
    "HS_CODE_FORMAT": _l("The HS code must have 10 digits."),
    "SUPERVISION_MODE_NOT_B2B": _l(
        "This supervision mode is not for B2B exports (use 0110, 9710 or 9810)."
    ),
    "SUPERVISION_MODE_UNKNOWN": _l("Unknown supervision mode."),
    "TRANSACTION_MODE_UNKNOWN": _l("Unknown transaction mode (use CIF, CFR, FOB, C&I or EXW)."),
    "TRANSPORT_MODE_UNKNOWN": _l("Unknown transport mode."),
    "COUNTRY_FORMAT": _l("Use a two-letter country code."),
    "CURRENCY_FORMAT": _l("Use a three-letter currency code."),
    "GROSS_BELOW_NET": _l("Gross weight is below net weight."),
    # L/C discrepancies (UCP 600)
    "CREDIT_EXPIRED": _l("Presented after the credit expired (art. 6)."),
    "LATE_PRESENTATION": _l("Presented more than 21 days after shipment (art. 14(c))."),
    "LATE_SHIPMENT": _l("Shipped after the latest shipment date."),
    "AMOUNT_OVER_CREDIT": _l("The invoice exceeds the credit amount (art. 18(b))."),
    "DESCRIPTION_MISMATCH": _l(
        "The goods description does not correspond with the credit (art. 18(c))."
    ),
    "INCONSISTENT_DOCUMENTS": _l("Data in the documents conflict (art. 14(d))."),
    "MISSING_DOCUMENT": _l("A required document is missing."),
    "INSURANCE_INSUFFICIENT": _l(
        "Insurance covers less than 110 per cent of the CIF value (art. 28(f))."
    ),
    "SOFT_CLAUSE_UNMET": _l("The inspection certificate signed by the applicant is missing."),
    "INQUIRY_NOT_FOUND": _l("No such inquiry for this firm."),
    "BUYER_NOT_FOUND": _l("No such buyer."),
    "CREDIT_LIMIT_EXISTS": _l("A credit limit on this buyer already exists."),
    "CREDIT_INSURANCE_REFUSED": _l("The insurer does not cover buyers rated this low."),
    "INQUIRY_ANSWERED": _l("The inquiry was already answered."),
    # forwards and disputes
    "AMOUNT_INVALID": _l("The amount must be positive."),
    "TENOR_INVALID": _l("The tenor must be 7 to 180 days."),
    "FORWARD_EXCEEDS_EXPOSURE": _l(
        "The bank sells forwards only against real trade: this is more than your open "
        "receivables not yet covered."
    ),
    "DISPUTE_NOT_FOUND": _l("No such dispute for this firm."),
    "DISPUTE_NOT_NEGOTIABLE": _l("This dispute is no longer in negotiation."),
    "REFUND_RATE_INVALID": _l("The refund must be between 0 and 100 per cent."),
    "DISPUTE_OFFER_REFUSED": _l(
        "The buyer refuses an offer this low: offer at least 60 per cent of the claim."
    ),
}


#: Country risk levels of the scenario's markets.
RISK_LABELS = {"low": _l("low"), "medium": _l("medium"), "high": _l("high")}


def engine_message(error: dict[str, Any] | Any) -> str:
    """The message of a rejection or refusal in the reader's language, by its code."""
    if isinstance(error, dict):
        code, message = error.get("code"), error.get("message", "")
    else:
        code, message = getattr(error, "code", None), getattr(error, "message", str(error))
    translated = MESSAGES.get(code) if code else None
    return str(translated) if translated is not None else str(message)


def money_cny(fen: int | None) -> str:
    """Format CNY fen as ``¥1,234.56``."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) / 100:,.2f}"


def money_usd(cents: int | None) -> str:
    """Format USD cents as ``$1,234.56``."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


@dataclass
class FirmPage:
    """What a firm page needs: the rows, the rebuilt engine market and the firm's view."""

    market: SandboxMarket
    firm_id: str
    engine: Market
    view: dict[str, Any]

    @property
    def world(self) -> Any:
        return self.engine.world

    def product_name(self, product_id: str) -> str:
        product = self.world.products.get(product_id)
        return world_name(product.name) if product else product_id

    def market_name(self, code: str) -> str:
        info = self.world.markets.get(code)
        return world_name(info.name) if info else code

    def rfq(self, rfq_id: str) -> dict[str, Any] | None:
        return next((r for r in self.view["open_rfqs"] if r["rfq_id"] == rfq_id), None)

    def contract(self, contract_id: str) -> dict[str, Any] | None:
        return next((c for c in self.view["contracts"] if c["contract_id"] == contract_id), None)

    def lanes_to(self, market_code: str) -> list[Any]:
        return sorted(
            (lane for lane in self.world.lanes.values() if lane.market == market_code),
            key=lambda lane: lane.id,
        )

    def suppliers_of(self, product_id: str) -> list[Any]:
        return [s for s in self.world.suppliers.values() if product_id in s.products]

    def credit_hint(self, buyer: dict[str, Any]) -> dict[str, Any]:
        """What the firm can know of a buyer's credit: country risk and its insured limit."""
        info = self.world.markets.get(buyer["market"])
        risk = info.risk if info else ""
        return {
            "risk": RISK_LABELS.get(risk, risk),
            "limit": self.view["credit_limits"].get(buyer["buyer_id"]),
        }

    def buyer_history(self, buyer_id: str) -> dict[str, int]:
        """The firm's own dealings with a buyer: contracts signed and quotes sent."""
        contracts = sum(1 for c in self.view["contracts"] if c["buyer_id"] == buyer_id)
        return {"contracts": contracts}

    def cash_by_currency(self) -> list[tuple[str, int]]:
        """The firm's bank balances in each currency it holds (yuan first), minor units."""
        book = self.engine.state.ledger.books.get(firm_party(self.firm_id), {})
        balances = {
            currency: amount
            for (account, currency), amount in book.items()
            if account == CASH and (amount or currency == "CNY")
        }
        balances.setdefault("CNY", 0)
        return sorted(balances.items(), key=lambda item: (item[0] != "CNY", item[0]))

    def payables(self) -> list[dict[str, Any]]:
        """What the firm owes its suppliers: goods received and not yet paid, with VAT.

        The amount is the supplier's VAT invoice (goods plus input VAT), due on the
        supplier's payment terms after the goods arrived, as the engine will pay it.
        """
        world = self.world
        vat_rate = world.rate("vat_rate")
        rows = []
        for order in self.engine.state.purchase_orders.values():
            if order["firm_id"] != self.firm_id or order["status"] != "received":
                continue
            net = order["quantity"] * order["unit_cost"]
            supplier = world.suppliers.get(order["supplier_id"])
            rows.append(
                {
                    "po_id": order["po_id"],
                    "contract_id": order["contract_id"],
                    "supplier": supplier.name if supplier else order["supplier_id"],
                    "amount": net + apply_rate(net, vat_rate),
                    "due_day": order["received_day"] + (supplier.payment_days if supplier else 0),
                }
            )
        return sorted(rows, key=lambda row: (row["due_day"], row["po_id"]))

    def quote_outcome(self, quote: dict[str, Any]) -> dict[str, Any]:
        """Where a quotation stands: ``open``, ``deciding``, ``won`` (with the contract)
        or ``lost`` (the buyer awarded another firm or nobody)."""
        contract = next(
            (c for c in self.view["contracts"] if c.get("quote_id") == quote["quote_id"]), None
        )
        if contract is not None:
            return {"state": "won", "contract_id": contract["contract_id"]}
        rfq = self.engine.state.rfqs.get(quote["rfq_id"]) or {}
        status = rfq.get("status", "open")
        if status == "open":
            return {"state": "open", "deadline_day": rfq.get("deadline_day")}
        if status == "closed":
            return {"state": "deciding"}
        return {"state": "lost"}

    def packing_list(self, contract: dict[str, Any]) -> dict[str, Any] | None:
        """The packing list and the freight booking of a contract, as the firm holds them.

        These are the papers a declarant copies from: packages, weights, the port of
        loading and the mode of transport. The figures come from the same rule customs
        compares the declaration with (``sandbox.customs.expected_declaration``).
        """
        product = self.world.products.get(contract["product_id"])
        lane = self.world.lanes.get(contract["lane_id"])
        if product is None or lane is None:
            return None
        papers = expected_declaration(
            consignor_code=self.view["firm"]["licence_no"],
            consignee=contract["buyer"]["company"],
            contract_no=contract["contract_id"],
            incoterm=contract["incoterm"],
            lane_mode=lane.mode,
            lane_origin=lane.origin,
            market=contract["buyer"]["market"],
            hs_code=product.hs_code,
            goods_name=product.name,
            quantity=contract["quantity"],
            unit=product.unit,
            net_weight_g=product.net_weight_g,
            gross_weight_g=product.gross_weight_g,
            units_per_package=1,
            currency="USD",
            invoice_value=contract["amount"],
        )
        return {
            "packages": papers["package_count"],
            "net_weight_kg": papers["net_weight_kg"],
            "gross_weight_kg": papers["gross_weight_kg"],
            "port_of_loading": lane.origin,
            "destination": lane.destination,
            "mode": lane.mode,
            "carrier": lane.carrier,
            "days": lane.days,
        }


#: Where a credit's terms can hurt the exporter, in the words a student reads.
CREDIT_WARNINGS: dict[str, Any] = {
    "soft_clause": _l(
        "Soft clause: the bank pays only against an inspection certificate signed by the "
        "applicant (the buyer). The buyer can withhold it and the credit stops protecting "
        "you. Ask for an amendment before you ship."
    ),
    "amount": _l(
        "The credit's amount (%(credit)s) differs from the contract (%(contract)s): "
        "invoice no more than the credit allows."
    ),
    "quantity": _l("The credit's quantity (%(credit)s) differs from the contract (%(contract)s)."),
    "late_booking": _l(
        "Your freight sails on day %(ship)s, after the latest shipment day %(latest)s: "
        "the bank will refuse a late shipment."
    ),
    "insurance": _l("An insurance document is required: book the freight with cargo insurance."),
}


def read_credit(contract: dict[str, Any]) -> dict[str, Any] | None:
    """A letter of credit read against the contract and the booking.

    Returns the credit's terms for the page and the warnings a careful exporter would
    raise before shipping (a soft clause, an amount or quantity not matching the
    contract, a sailing after the latest shipment day, insurance asked for but not
    booked), or None when the contract has no credit.
    """
    lc = contract.get("lc")
    if not lc:
        return None
    credit = lc["credit"]
    freight = contract.get("freight") or {}
    warnings = []
    if credit.get("soft_clause"):
        warnings.append(str(CREDIT_WARNINGS["soft_clause"]))
    if credit["amount"] != contract["amount"]:
        warnings.append(
            str(CREDIT_WARNINGS["amount"])
            % {"credit": money_usd(credit["amount"]), "contract": money_usd(contract["amount"])}
        )
    if credit["quantity"] != contract["quantity"]:
        warnings.append(
            str(CREDIT_WARNINGS["quantity"])
            % {"credit": credit["quantity"], "contract": contract["quantity"]}
        )
    ship_day = freight.get("ship_day")
    if ship_day is not None and ship_day > credit["latest_shipment_day"]:
        warnings.append(
            str(CREDIT_WARNINGS["late_booking"])
            % {"ship": ship_day, "latest": credit["latest_shipment_day"]}
        )
    if credit.get("insurance_required") and freight and not freight.get("insured"):
        warnings.append(str(CREDIT_WARNINGS["insurance"]))
    documents = dict(document_choices(contract))
    return {
        "state": lc.get("state"),
        "presentations": lc.get("presentations", 0),
        "amount": credit["amount"],
        "description": credit["description"],
        "quantity": credit["quantity"],
        "port_of_loading": credit["port_of_loading"],
        "latest_shipment_day": credit["latest_shipment_day"],
        "expiry_day": credit["expiry_day"],
        "presentation_days": credit["presentation_days"],
        "insurance_required": bool(credit.get("insurance_required")),
        "documents": [documents.get(name, name) for name in credit["required_documents"]],
        "soft_clause": bool(credit.get("soft_clause")),
        "discrepancies": lc.get("discrepancies") or [],
        "warnings": warnings,
    }


def already_applied(market: SandboxMarket, key: str | None, user_id: int) -> bool:
    """True when a command with this idempotency key was applied for this user."""
    if not key:
        return False
    import sqlalchemy as sa

    from academy.db import db
    from academy.labs.models import CommandReceipt

    return (
        db.session.scalar(
            sa.select(CommandReceipt.id).where(
                CommandReceipt.market_id == market.id,
                CommandReceipt.idempotency_key == key,
                CommandReceipt.user_id == user_id,
            )
        )
        is not None
    )


def load_firm_page(market: SandboxMarket, firm_id: str) -> FirmPage:
    """Rebuild the market (snapshot plus tail) and take the firm's own view of it."""
    engine = markets.open_market(market)
    return FirmPage(market=market, firm_id=firm_id, engine=engine, view=engine.firm_view(firm_id))


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


# --- the pipeline --------------------------------------------------------------------

#: Documents a seller may put in a presentation under a credit.
DOCUMENT_CHOICES = (
    "commercial_invoice",
    "packing_list",
    "bill_of_lading",
    "insurance_certificate",
    "certificate_of_origin",
    "inspection_certificate",
)


def document_choices(contract: dict[str, Any]) -> list[tuple[str, str]]:
    credit = (contract.get("lc") or {}).get("credit") or {}
    names = list(DOCUMENT_CHOICES)
    for name in credit.get("required_documents", []):
        if name not in names:
            names.append(name)
    return [(name, name.replace("_", " ")) for name in names]


#: The steps of a contract in order: (key, label, who acts: "firm" or "world").
STEPS: tuple[tuple[str, Any, str], ...] = (
    ("procure", _l("Procure"), "firm"),
    ("freight", _l("Book freight and insurance"), "firm"),
    ("declare", _l("Declare to customs"), "firm"),
    ("ship", _l("Ship"), "world"),
    ("documents", _l("Present documents"), "firm"),
    ("payment", _l("Collect payment"), "world"),
    ("rebate", _l("Claim rebate"), "firm"),
)


def _step_done(contract: dict[str, Any], key: str) -> bool | None:
    """True when done, False when still to do, None when the step does not apply."""
    if key == "procure":
        return contract.get("po_id") is not None
    if key == "freight":
        return contract.get("freight") is not None
    if key == "declare":
        if contract.get("incoterm") == "EXW":
            return None
        return contract.get("declaration") is not None
    if key == "ship":
        return contract.get("departed_day") is not None
    if key == "documents":
        if contract.get("payment") != "lc":
            return None
        lc = contract.get("lc")
        return lc is not None and lc.get("state") not in ("issued", "refused")
    if key == "payment":
        # A deposit paid before shipment is not the payment collected: the balance
        # falls due only once the goods have left.
        items = contract.get("receivables") or []
        shipped = contract.get("departed_day") is not None
        return shipped and bool(items) and all(item["status"] != "open" for item in items)
    if key == "rebate":
        return contract.get("rebate") is not None
    return None


def pipeline_of(contract: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract's steps with a state each: done, next, later or skipped.

    The first step not yet done is the next one; steps the terms make unnecessary
    (no declaration under EXW, no documents without a letter of credit) are skipped.
    """
    steps = []
    found_next = contract.get("status") != "active"
    for key, label, actor in STEPS:
        done = _step_done(contract, key)
        if done is None:
            state = "skipped"
        elif done:
            state = "done"
        elif not found_next:
            state, found_next = "next", True
        else:
            state = "later"
        steps.append({"key": key, "label": label, "actor": actor, "state": state})
    # The rebate can be claimed once the goods have left, while the buyer still owes.
    waiting = next((s for s in steps if s["state"] == "next"), None)
    if waiting is not None and waiting["key"] == "payment" and steps[-1]["state"] == "later":
        steps[-1]["state"] = "next"
    return steps


def next_step(contract: dict[str, Any]) -> str | None:
    """The step the student can act on now (a firm's step first), or None."""
    ready = [s for s in pipeline_of(contract) if s["state"] == "next"]
    for s in ready:
        if s["actor"] == "firm":
            return s["key"]
    return ready[0]["key"] if ready else None


# --- the price helper --------------------------------------------------------------


def quote_helper(
    page: FirmPage, rfq: dict[str, Any], lane_id: str, margin: Decimal
) -> dict[str, Any] | None:
    """Unit prices under every Incoterms rule for an RFQ, a lane and a margin.

    The cost build-up (goods at cost plus the VAT not refunded, inland haulage, export
    clearance, the lane's mid freight, destination charges, insurance and import duty)
    goes through the engine's quotation calculator (``sandbox.trade.price_ladder``)
    twice: at cost and with the margin on the EXW value.

    Returns:
        ``{"rows": [{"incoterm", "cost", "price", "margin"}], "lane", "quantity"}``
        with unit amounts in USD cents, or None when the lane does not exist.
    """
    world = page.world
    lane = world.lanes.get(lane_id)
    product = world.products.get(rfq["product_id"])
    if lane is None or product is None:
        return None
    market = world.markets[lane.market]
    quantity = max(1, int(rfq["quantity"]))
    usd = page.view["fx"]["USD"]
    rebate = product.rebate_rate_on(world.date_of(page.view["day"]))
    goods = product.unit_cost * quantity
    cost_cny = goods + apply_rate(goods, world.rate("vat_rate") - rebate)
    exw_cost = cost_cny * FX_SCALE // usd
    weight, volume = shipment_metrics(quantity, product.gross_weight_g, product.volume_cm3)
    freight = (lane.cost[0] + lane.cost[1]) // 2 * MODES[lane.mode].billing_units(weight, volume)
    haulage = int(world.money["inland_haulage_cny_per_cbm"]) * max(1, -(-volume // 1_000_000))

    def ladder(exw: int) -> dict[str, int]:
        return price_ladder(
            QuoteInputs(
                exw=exw,
                pre_carriage=haulage * FX_SCALE // usd,
                export_clearance=int(world.money["export_clearance_fee_cny"]) * FX_SCALE // usd,
                port_loading=0,
                main_freight=freight,
                destination_charges=freight // 50,
                unloading=freight // 100,
                import_clearance=int(world.money["import_clearance_fee_usd"]),
                insurance_rate_a=world.rate("cargo_insurance_rate_icc_a"),
                insurance_rate_c=world.rate("cargo_insurance_rate_icc_c"),
                insurance_markup=world.rate("insurance_markup"),
                import_duty_rate=market.import_duty,
            )
        )

    at_cost = ladder(exw_cost)
    priced = ladder(apply_rate(exw_cost, Decimal(1) + margin))
    sea = lane.mode.startswith("sea")
    rows = []
    for code, term in INCOTERMS.items():
        cost = -(-at_cost[code] // quantity)
        price = -(-priced[code] // quantity)
        rows.append(
            {
                "incoterm": code,
                "cost": cost,
                "price": price,
                "margin": (price - cost) * 100 / price if price else 0,
                "fits_lane": sea or not term.sea_only,
                "requested": code == rfq["incoterm"],
            }
        )
    local = market.currency if market.currency != "USD" else None
    local_rate = page.view["fx"].get(local) if local else None
    if local and local_rate:
        for row in rows:
            row["local_price"] = row["price"] * usd // local_rate
    return {
        "rows": rows,
        "lane": lane,
        "quantity": quantity,
        "local_currency": local if local_rate else None,
        "payment_terms": payment_terms(page, rfq, rows, quantity),
    }


#: When the money of a payment term's part reaches the exporter (``schedule`` triggers).
TRIGGER_LABELS = {
    "signing": _l("at signing"),
    "departure": _l("when the goods leave"),
    "honour": _l("when the bank honours the documents"),
    "arrival": _l("when the goods arrive"),
    "arrival+60": _l("60 days after arrival"),
}


def payment_terms(
    page: FirmPage, rfq: dict[str, Any], rows: list[dict[str, Any]], quantity: int
) -> dict[str, Any] | None:
    """Each payment term at the price the helper proposes for the asked Incoterms rule.

    For every payment method of the platform: when the money comes (its schedule), what
    the banks or the platform charge the exporter for collecting it (the same fees the
    sandbox books: per incoming part, or the escrow seller fee), the margin left after
    those charges, and the exporter's risk (0 none to 5 highest).

    Returns:
        ``{"incoterm", "rows": [...]}`` (unit amounts in USD cents), or None when no
        Incoterms rule fits the lane.
    """
    chosen = next((r for r in rows if r["requested"] and r["fits_lane"]), None)
    chosen = chosen or next((r for r in rows if r["fits_lane"]), None)
    if chosen is None:
        return None
    world = page.world
    usd = page.view["fx"]["USD"]
    amount = chosen["price"] * quantity
    cost = chosen["cost"] * quantity
    terms = []
    for code, method in PAYMENT_METHODS.items():
        schedule = method.schedule(world)
        if isinstance(method, Escrow):
            fees = method.seller_fee_usd(amount, world)
        else:
            fees = sum(
                method.bank_fee_cny(apply_rate(amount, share) * usd // FX_SCALE, world)
                * FX_SCALE
                // usd
                for _part, share, _trigger in schedule
            )
        terms.append(
            {
                "code": code,
                "schedule": [
                    (int(share * 100), str(TRIGGER_LABELS.get(trigger, trigger)))
                    for _part, share, trigger in schedule
                ],
                "fee_per_unit": -(-fees // quantity),
                "margin": (amount - cost - fees) * 100 / amount if amount else 0,
                "risk": method.exporter_risk,
                "asked": code == rfq["payment"],
            }
        )
    return {"incoterm": chosen["incoterm"], "rows": terms}


# --- history and charts ---------------------------------------------------------------


def firm_history(market: SandboxMarket, firm_id: str, max_points: int = 60) -> list[dict[str, int]]:
    """The firm's cash, revenue and net profit at the end of each sim-day.

    Replays the market's log once and reads, at each ``DayClosed``, the same KPIs the
    firm's view shows (``sandbox.engine.kpis.firm_kpis`` for this firm only). At most
    ``max_points`` days are kept, evenly spread, the last day always included.
    """
    import gc

    from academy.db import db
    from academy.labs.store import DatabaseEventStore
    from sandbox import MarketState, apply_event, firm_kpis

    state = MarketState()
    points: list[dict[str, int]] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for event in DatabaseEventStore(db.session, market).read(1):
            apply_event(state, event)
            if event.type == "DayClosed" and firm_id in state.firms:
                kpis = firm_kpis(state, firm_id)
                points.append(
                    {
                        "day": int(event.data["day"]),
                        "cash": int(kpis["cash"]),
                        "revenue": int(kpis["revenue"]),
                        "net_profit": int(kpis["net_profit"]),
                    }
                )
    finally:
        if collecting:
            gc.enable()
    if len(points) > max_points:
        step = len(points) / max_points
        kept = [points[int(i * step)] for i in range(max_points - 1)]
        points = [*kept, points[-1]]
    return points


def line_chart(
    points: list[dict[str, int]],
    keys: tuple[str, ...],
    width: int = 640,
    height: int = 220,
    *,
    include_zero: bool = True,
) -> dict[str, Any] | None:
    """Scale series of ``points`` into SVG polylines (server-rendered, no script).

    With ``include_zero=False`` the vertical axis spans only the values (for series
    such as exchange rates that never come near zero).

    Returns:
        ``{"width", "height", "lines": [{"key", "points"}], "low", "high", "first_day",
        "last_day", "zero"}`` or None with fewer than two points.
    """
    if len(points) < 2:
        return None
    pad = 10
    values = [point[key] for point in points for key in keys]
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0), max(high, 0)
    span = (high - low) or 1
    first, last = points[0]["day"], points[-1]["day"]
    days = (last - first) or 1

    def x(day: int) -> float:
        return round(pad + (width - 2 * pad) * (day - first) / days, 1)

    def y(value: int) -> float:
        return round(height - pad - (height - 2 * pad) * (value - low) / span, 1)

    lines = [
        {"key": key, "points": " ".join(f"{x(p['day'])},{y(p[key])}" for p in points)}
        for key in keys
    ]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "low": low,
        "high": high,
        "first_day": first,
        "last_day": last,
        "zero": y(0) if low <= 0 <= high else None,
    }
