"""Documentary credits under UCP 600: presentation and examination.

:func:`examine` is pure: given the credit, the documents and the dates it returns every
discrepancy, because art. 16(c)-(d) allows one refusal notice that must list them all,
and what the bank pays when it honours. The figures follow art. 30's tolerances and
art. 18(b) (:mod:`sandbox.payments.ucp`), the descriptions ISBP 745
(:mod:`sandbox.payments.isbp`), the dates art. 29 and the transport document the mode
(arts. 19-25). Dates are sim-days; banking days skip Saturdays, Sundays and holidays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.payments.isbp import general_description_conflicts, invoice_corresponds
from sandbox.payments.soft_clauses import credit_clauses, find_soft_clauses, kind_of
from sandbox.payments.ucp import (
    TRANSPORT_DOCUMENT_CODES,
    BankCalendar,
    allowed_ranges,
    presentation_deadline,
)

__all__ = ["add_banking_days", "examine", "examine_presentation", "prepare_presentation"]

SOFT_CLAUSE = "inspection_certificate_signed_by_applicant"

#: Descriptions on documents other than the invoice: presentation key -> document.
GENERAL_DESCRIPTIONS = {
    "packing_list_description": "packing list",
    "transport_description": "transport document",
    "insurance_description": "insurance document",
}


def add_banking_days(start: dt.date, count: int) -> dt.date:
    """Return the date ``count`` banking days (Monday to Friday) after ``start``."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def prepare_presentation(credit: dict[str, Any], *, insurance_amount: int | None) -> dict[str, Any]:
    """Build the complying presentation for a credit (what a careful exporter sends)."""
    documents = list(credit["required_documents"])
    return {
        "invoice_amount": credit["amount"],
        "invoice_description": credit["description"],
        "invoice_quantity": credit["quantity"],
        "packing_list_quantity": credit["quantity"],
        "bl_port_of_loading": credit["port_of_loading"],
        "insurance_amount": insurance_amount,
        "documents": documents,
        "inspection_certificate_signed": False,
    }


def _discrepancy(code: str, article: str, field: str, message: str) -> dict[str, str]:
    return {"code": code, "article": article, "field": field, "message": message}


def _date_findings(
    credit: dict[str, Any], shipped_day: int, presented_day: int, calendar: BankCalendar | None
) -> list[dict[str, str]]:
    found = []
    deadline = presentation_deadline(credit, shipped_day, calendar)
    if presented_day > deadline["expiry_day"]:
        found.append(
            _discrepancy(
                "CREDIT_EXPIRED",
                "6(d)(i), 6(e)",
                "presented_day",
                "presented after the credit expired",
            )
        )
    period_end = shipped_day + credit["presentation_days"]
    if calendar is not None:
        period_end = calendar.roll_forward(period_end)  # art. 29(a)
    if presented_day > period_end:
        found.append(
            _discrepancy(
                "LATE_PRESENTATION",
                "14(c)",
                "presented_day",
                f"presented more than {credit['presentation_days']} days after shipment",
            )
        )
    if shipped_day > credit["latest_shipment_day"]:  # art. 29(c): never extended
        found.append(
            _discrepancy(
                "LATE_SHIPMENT",
                "14(c), 29(c)",
                "shipped_day",
                "shipped after the latest shipment date",
            )
        )
    return found


def _figure_findings(
    credit: dict[str, Any], presentation: dict[str, Any], bank_accepts_excess: bool
) -> tuple[list[dict[str, str]], int, list[str]]:
    """Art. 30 ranges and art. 18(b): discrepancies, the amount payable, notes."""
    found, notes = [], []
    ranges = allowed_ranges(credit)
    low, high = ranges["amount"]
    invoiced = presentation["invoice_amount"]
    payable = invoiced
    if invoiced > high:
        if bank_accepts_excess:
            payable = high
            notes.append("18(b)")
        else:
            found.append(
                _discrepancy(
                    "AMOUNT_OVER_CREDIT",
                    "18(b), 30",
                    "invoice_amount",
                    "invoice exceeds the credit amount",
                )
            )
    elif invoiced < low:
        found.append(
            _discrepancy(
                "AMOUNT_BELOW_TOLERANCE",
                "30(c), 31(b)",
                "invoice_amount",
                "invoice below what the credit allows when partial shipments are prohibited",
            )
        )
    q_low, q_high = ranges["quantity"]
    if not q_low <= presentation["invoice_quantity"] <= q_high:
        found.append(
            _discrepancy(
                "QUANTITY_OUTSIDE_TOLERANCE",
                "30(a), 30(b)",
                "invoice_quantity",
                f"quantity outside {q_low}-{q_high}",
            )
        )
    unit_price = presentation.get("invoice_unit_price")
    if unit_price is not None and "unit_price" in ranges:
        p_low, p_high = ranges["unit_price"]
        if not p_low <= unit_price <= p_high:
            found.append(
                _discrepancy(
                    "UNIT_PRICE_MISMATCH",
                    "18(b), 30(a)",
                    "invoice_unit_price",
                    "unit price differs",
                )
            )
    return found, payable, notes


def _description_findings(
    credit: dict[str, Any], presentation: dict[str, Any]
) -> list[dict[str, str]]:
    found = []
    if not invoice_corresponds(credit["description"], presentation["invoice_description"]):
        found.append(
            _discrepancy(
                "DESCRIPTION_MISMATCH",
                "18(c)",
                "invoice_description",
                "goods description on the invoice does not correspond with the credit",
            )
        )
    for key, document in GENERAL_DESCRIPTIONS.items():
        if general_description_conflicts(credit["description"], presentation.get(key)):
            found.append(
                _discrepancy(
                    "DESCRIPTION_CONFLICT",
                    "14(e)",
                    key,
                    f"the {document}'s goods description conflicts with the credit",
                )
            )
    if (
        presentation["packing_list_quantity"] != presentation["invoice_quantity"]
        or presentation["bl_port_of_loading"].strip().upper()
        != credit["port_of_loading"].strip().upper()
    ):
        found.append(
            _discrepancy(
                "INCONSISTENT_DOCUMENTS",
                "14(d)",
                "documents",
                "data in the documents conflict with each other or with the credit",
            )
        )
    return found


def _document_findings(
    credit: dict[str, Any], presentation: dict[str, Any]
) -> list[dict[str, str]]:
    found = []
    presented = presentation["documents"]
    missing = [doc for doc in credit["required_documents"] if doc not in presented]
    wanted = credit.get("transport_document")
    wrong = [doc for doc in presented if doc in TRANSPORT_DOCUMENT_CODES and doc != wanted]
    if wanted and wrong:
        found.append(
            _discrepancy(
                "TRANSPORT_DOCUMENT_WRONG_TYPE",
                credit.get("transport_article", "19-25"),
                "documents",
                f"the credit calls for {wanted}, not {', '.join(wrong)}",
            )
        )
    if missing:
        found.append(
            _discrepancy(
                "MISSING_DOCUMENT", "14(a), 15", "documents", "missing: " + ", ".join(missing)
            )
        )
    if credit["insurance_required"]:
        insured = presentation.get("insurance_amount") or 0
        # UCP 600 28(f)(ii): at least 110 % of the CIF/CIP value.
        if insured * 100 < presentation["invoice_amount"] * 110:
            found.append(
                _discrepancy(
                    "INSURANCE_INSUFFICIENT",
                    "28(f)(ii)",
                    "insurance_amount",
                    "cover below 110 % of CIF value",
                )
            )
    return found


def _withheld_by_default(credit: dict[str, Any], presentation: dict[str, Any]) -> list[str]:
    """Soft clauses the applicant did not fulfil, read from a legacy presentation."""
    kinds = [hit["kind"] for hit in find_soft_clauses(credit_clauses(credit))]
    signed = presentation.get("inspection_certificate_signed")
    return [kind for kind in kinds if kind == "applicant_inspection" and not signed]


def _soft_findings(withheld: list[str]) -> list[dict[str, str]]:
    found = []
    for code in withheld:
        kind = kind_of(code)
        found.append(
            _discrepancy(kind.discrepancy, "soft clause (field 46A/47A)", "documents", kind.risk)
        )
    return found


def examine(
    credit: dict[str, Any],
    presentation: dict[str, Any],
    *,
    shipped_day: int,
    presented_day: int,
    calendar: BankCalendar | None = None,
    bank_accepts_excess: bool = False,
    withheld: list[str] | None = None,
) -> dict[str, Any]:
    """Examine documents against a credit: every discrepancy and what the bank pays.

    Args:
        credit: Credit terms (amount, expiry_day, latest_shipment_day, presentation_days,
            description, quantity, port_of_loading, required_documents, insurance_required;
            optionally about, tolerance, unit, exact_quantity, unit_price,
            partial_shipments, transport_document, clauses).
        presentation: Document data (invoice, packing list, transport document,
            insurance, documents; optionally invoice_unit_price and the other
            documents' descriptions).
        shipped_day: Sim-day of shipment on the transport document.
        presented_day: Sim-day the documents reached the bank.
        calendar: The presenting bank's days, for art. 29(a); None skips holidays.
        bank_accepts_excess: The bank's art. 18(b) choice on an invoice above the credit.
        withheld: Soft clause kinds the applicant did not fulfil (None: read the legacy
            ``inspection_certificate_signed`` flag).

    Returns:
        ``{"discrepancies", "payable", "notes"}``: discrepancies as ``{"code",
        "article", "field", "message"}`` (empty if complying), the amount honoured (the
        invoice, capped at the credit under 18(b)), and the articles applied.
    """
    if withheld is None:
        withheld = _withheld_by_default(credit, presentation)
    if "not_operative" in withheld:
        # The bank's undertaking never came into force: nothing else matters.
        return {"discrepancies": _soft_findings(["not_operative"]), "payable": 0, "notes": []}
    found = _date_findings(credit, shipped_day, presented_day, calendar)
    figures, payable, notes = _figure_findings(credit, presentation, bank_accepts_excess)
    found += figures
    found += _description_findings(credit, presentation)
    found += _document_findings(credit, presentation)
    found += _soft_findings(withheld)
    return {"discrepancies": found, "payable": payable, "notes": notes}


def examine_presentation(
    credit: dict[str, Any],
    presentation: dict[str, Any],
    *,
    shipped_day: int,
    presented_day: int,
    calendar: BankCalendar | None = None,
) -> list[dict[str, str]]:
    """Examine documents against a credit and list every discrepancy (see :func:`examine`).

    Returns:
        Discrepancies as ``{"code", "article", "field", "message"}``; empty if complying.
    """
    return examine(
        credit,
        presentation,
        shipped_day=shipped_day,
        presented_day=presented_day,
        calendar=calendar,
    )["discrepancies"]
