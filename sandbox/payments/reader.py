"""The L/C reader: a credit read as a careful exporter reads it before shipping.

:func:`read_credit_terms` is what the firm's pages show beside a credit (and what bots
and the examiner rely on): each clause with the soft clauses marked, the figures art. 30
allows, the transport document the mode calls for, and the dates after art. 29. It
returns codes and numbers, not prose, so the web layer words them in the reader's
language.
"""

from __future__ import annotations

from typing import Any

from sandbox.payments.soft_clauses import credit_clauses, find_soft_clauses
from sandbox.payments.ucp import (
    TRANSPORT_DOCUMENT_CODES,
    TRANSPORT_DOCUMENTS,
    BankCalendar,
    acceptable_transport_documents,
    allowed_ranges,
    bulk_tolerance_applies,
    presentation_deadline,
    tolerance_of,
)

__all__ = ["read_credit_terms", "tolerance_basis"]


def tolerance_basis(credit: dict[str, Any], figure: str) -> str:
    """Return why a figure of the invoice may differ from the credit's, as a code.

    ``tolerance`` (field 39A), ``about`` (30(a)), ``bulk`` (30(b), quantity only),
    ``short_5`` (30(c), amount with partial shipments prohibited), ``partial`` (partial
    drawings allowed, art. 31(a)) or ``exact``.
    """
    if (credit.get("tolerance") or {}).get(figure) is not None:
        return "tolerance"
    if tolerance_of(credit, figure) is not None:
        return "about"
    partial = credit.get("partial_shipments", "allowed") == "allowed"
    if figure == "quantity" and bulk_tolerance_applies(credit):
        return "bulk"
    if figure == "amount":
        return "partial" if partial else "short_5"
    if figure == "quantity" and partial:
        return "partial"
    return "exact"


def _transport(credit: dict[str, Any]) -> dict[str, Any] | None:
    mode = credit.get("mode")
    if mode not in TRANSPORT_DOCUMENTS:
        return None
    asked = [d for d in credit["required_documents"] if d in TRANSPORT_DOCUMENT_CODES]
    acceptable = acceptable_transport_documents(mode)
    # Show what the credit asks when the mode allows it (a sea waybill), else the mode's own.
    code = next((d for d in asked if d in acceptable), acceptable[0])
    expected = next(doc for doc in TRANSPORT_DOCUMENTS.values() if doc.code == code)
    return {
        "mode": mode,
        "code": expected.code,
        "name": expected.name,
        "article": expected.article,
        # A credit asking for the wrong kind (an ocean B/L for a rail shipment) cannot be
        # met: the carrier does not issue it. Ask for an amendment.
        "conflict": bool(asked) and not any(d in acceptable for d in asked),
        "asked": asked,
    }


def read_credit_terms(
    credit: dict[str, Any], calendar: BankCalendar | None, *, shipped_day: int | None = None
) -> dict[str, Any]:
    """Read a credit's terms for the beneficiary.

    Args:
        credit: The credit as issued or amended.
        calendar: The presenting bank's days (art. 29(a)); None ignores holidays.
        shipped_day: Sim-day of shipment once known, for the last presentation day.

    Returns:
        ``clauses`` (each ``{"text", "soft"}``, soft being a kind code or None),
        ``soft_clauses`` (see :func:`find_soft_clauses`), ``ranges`` and ``basis`` per
        figure (art. 30), ``transport`` (or None for credits issued without a mode),
        ``expiry_day`` after 29(a), ``expiry_extended``, ``latest_shipment_day`` (never
        extended) and, once shipped, ``last_presentation_day``.
    """
    texts = credit_clauses(credit)
    soft = find_soft_clauses(texts)
    by_index = {hit["index"]: hit["kind"] for hit in soft}
    ranges = allowed_ranges(credit)
    expiry = calendar.roll_forward(credit["expiry_day"]) if calendar else credit["expiry_day"]
    reading: dict[str, Any] = {
        "clauses": [{"text": t, "soft": by_index.get(i)} for i, t in enumerate(texts)],
        "soft_clauses": soft,
        "ranges": {key: list(value) for key, value in ranges.items()},
        "basis": {key: tolerance_basis(credit, key) for key in ranges},
        "transport": _transport(credit),
        "expiry_day": expiry,
        "expiry_extended": expiry != credit["expiry_day"],
        "latest_shipment_day": credit["latest_shipment_day"],
        "partial_shipments": credit.get("partial_shipments", "allowed"),
    }
    if shipped_day is not None:
        deadline = presentation_deadline(credit, shipped_day, calendar)
        reading["last_presentation_day"] = deadline["last_presentation_day"]
    return reading
