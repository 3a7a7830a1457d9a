"""How exporters draft the documents they present, checked against the credit or not.

Most first presentations under credits are refused (the industry figure is 60-80 %),
and for the same few reasons: an invoice typed from the sales contract instead of the
credit, quantities that differ between documents, cover below 110 %, a document
missing or of the wrong kind, a place of loading that is not the credit's, late
presentation. :func:`draft_presentation` makes those slips at rates that reproduce
the figure when the firm does not check its documents, and at a tenth of them when it
reads the credit first (the L/C reader). Slips that ISBP 745 ignores (case, a typing
error in a word) are made too, so the examiner's leniency is exercised.
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.payments.lc import prepare_presentation

__all__ = ["CHECKED_FACTOR", "SLIPS", "draft_presentation"]

#: Probability of each real slip on a first presentation drafted without checking.
SLIPS: dict[str, float] = {
    "description_from_contract": 0.22,
    "packing_list_quantity": 0.12,
    "invoice_over_credit": 0.10,
    "place_of_loading": 0.10,
    "missing_document": 0.10,
    "wrong_transport_document": 0.08,
    "general_description_conflict": 0.08,
    "insurance_at_invoice_value": 0.20,
    "late_presentation": 0.10,
}

#: A firm that reads the credit with the L/C reader catches nine slips in ten.
CHECKED_FACTOR = 0.1


def _apply(slip: str, documents: dict[str, Any], credit: dict[str, Any]) -> None:
    if slip == "description_from_contract":
        documents["invoice_description"] = credit["description"].split(" HS ")[0]
    elif slip == "packing_list_quantity":
        documents["packing_list_quantity"] += 1
    elif slip == "invoice_over_credit":
        documents["invoice_amount"] = credit["amount"] * 111 // 100
    elif slip == "place_of_loading":
        documents["bl_port_of_loading"] = (
            "CNZGZ" if credit["port_of_loading"] != "CNZGZ" else "CNSHA"
        )
    elif slip == "missing_document":
        documents["documents"] = documents["documents"][:-1]
    elif slip == "wrong_transport_document":
        wanted = credit.get("transport_document", "bill_of_lading")
        other = "bill_of_lading" if wanted != "bill_of_lading" else "sea_waybill"
        documents["documents"] = [other if d == wanted else d for d in documents["documents"]]
    elif slip == "general_description_conflict":
        documents["packing_list_description"] = "USED " + credit["description"]
    elif slip == "insurance_at_invoice_value" and documents.get("insurance_amount") is not None:
        documents["insurance_amount"] = documents["invoice_amount"]


def draft_presentation(
    credit: dict[str, Any],
    rng: random.Random,
    *,
    checked: bool,
    insurance_amount: int | None,
) -> tuple[dict[str, Any], bool]:
    """Draft a first presentation the way an exporter's clerk does.

    Args:
        credit: The credit as issued (or amended).
        rng: The firm's stream for this presentation.
        checked: True when the firm reads the credit and checks the documents first.
        insurance_amount: Cover the firm booked (USD cents), None without insurance.

    Returns:
        The documents and whether the firm presents late (after the 21 days).
    """
    documents = prepare_presentation(credit, insurance_amount=insurance_amount)
    factor = CHECKED_FACTOR if checked else 1.0
    late = False
    for slip, probability in SLIPS.items():
        if rng.random() >= probability * factor:
            continue
        if slip == "late_presentation":
            late = True
        else:
            _apply(slip, documents, credit)
    # Slips ISBP 745 does not count: the examiner must let them through.
    if rng.random() < 0.3:
        documents["invoice_description"] = documents["invoice_description"].lower()
    return documents, late
