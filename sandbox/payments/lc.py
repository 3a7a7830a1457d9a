"""Documentary credits under UCP 600: presentation and examination.

:func:`examine_presentation` is pure: given the credit, the documents and the dates it
returns every discrepancy, because art. 16(c)-(d) allows one refusal notice that must
list them all. Dates are sim-days; banking days skip Saturdays and Sundays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["add_banking_days", "examine_presentation", "prepare_presentation"]

SOFT_CLAUSE = "inspection_certificate_signed_by_applicant"


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


def examine_presentation(
    credit: dict[str, Any],
    presentation: dict[str, Any],
    *,
    shipped_day: int,
    presented_day: int,
) -> list[dict[str, str]]:
    """Examine documents against a credit and list every discrepancy.

    Args:
        credit: Credit terms (amount, expiry_day, latest_shipment_day, presentation_days,
            description, quantity, port_of_loading, required_documents, soft_clause,
            insurance_required).
        presentation: Document data (invoice, packing list, B/L, insurance, documents).
        shipped_day: Sim-day on the bill of lading.
        presented_day: Sim-day the documents reached the bank.

    Returns:
        Discrepancies as ``{"code", "article", "field", "message"}``; empty if complying.
    """
    found = []
    if presented_day > credit["expiry_day"]:
        found.append(
            _discrepancy(
                "CREDIT_EXPIRED",
                "6(d)(i), 6(e)",
                "presented_day",
                "presented after the credit expired",
            )
        )
    if presented_day > shipped_day + credit["presentation_days"]:
        found.append(
            _discrepancy(
                "LATE_PRESENTATION",
                "14(c)",
                "presented_day",
                f"presented more than {credit['presentation_days']} days after shipment",
            )
        )
    if shipped_day > credit["latest_shipment_day"]:
        found.append(
            _discrepancy(
                "LATE_SHIPMENT",
                "14(c), field 44C",
                "shipped_day",
                "shipped after the latest shipment date",
            )
        )
    if presentation["invoice_amount"] > credit["amount"]:
        found.append(
            _discrepancy(
                "AMOUNT_OVER_CREDIT", "18(b)", "invoice_amount", "invoice exceeds the credit amount"
            )
        )
    if presentation["invoice_description"] != credit["description"]:
        found.append(
            _discrepancy(
                "DESCRIPTION_MISMATCH",
                "18(c)",
                "invoice_description",
                "goods description on the invoice does not correspond with the credit",
            )
        )
    if (
        presentation["packing_list_quantity"] != presentation["invoice_quantity"]
        or presentation["invoice_quantity"] != credit["quantity"]
        or presentation["bl_port_of_loading"] != credit["port_of_loading"]
    ):
        found.append(
            _discrepancy(
                "INCONSISTENT_DOCUMENTS",
                "14(d)",
                "documents",
                "data in the documents conflict with each other or with the credit",
            )
        )
    missing = [doc for doc in credit["required_documents"] if doc not in presentation["documents"]]
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
    if credit.get("soft_clause") == SOFT_CLAUSE and not presentation.get(
        "inspection_certificate_signed"
    ):
        found.append(
            _discrepancy(
                "SOFT_CLAUSE_UNMET",
                "soft clause (field 46A)",
                "documents",
                "inspection certificate signed by the applicant is missing",
            )
        )
    return found
