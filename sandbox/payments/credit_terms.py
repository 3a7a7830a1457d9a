"""The terms an issuing bank writes into a credit, including its clause text.

:func:`issue_credit` builds the credit the engine emits in ``LcIssued``: amount and
quantity with art. 30 wording now and then ("ABOUT", a field 39A tolerance), the unit
price, partial shipments, the transport document the mode calls for (a rail shipment
gets a rail consignment note, never an ocean bill of lading), and fields 46A/47A as
text, with a soft clause in one of its usual wordings when the applicant means to keep
a way out. All draws come from the caller's stream.
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.payments.soft_clauses import find_soft_clauses
from sandbox.payments.ucp import SEA_MODES, TRANSPORT_DOCUMENTS, transport_document_for

__all__ = ["BENIGN_CLAUSES", "SOFT_CLAUSE_TEXTS", "issue_credit", "without_soft_clauses"]

#: Ordinary conditions: an examiner must not mistake them for soft clauses.
BENIGN_CLAUSES = (
    "ALL DOCUMENTS MUST INDICATE THIS CREDIT NUMBER.",
    "ALL BANKING CHARGES OUTSIDE THE ISSUING BANK ARE FOR THE BENEFICIARY'S ACCOUNT.",
    "THIRD PARTY DOCUMENTS EXCEPT DRAFT AND INVOICE ARE ACCEPTABLE.",
    "INSPECTION CERTIFICATE ISSUED BY CCIC BEFORE SHIPMENT.",
    "BENEFICIARY'S CERTIFICATE THAT ONE SET OF NON-NEGOTIABLE COPIES OF DOCUMENTS HAS "
    "BEEN SENT DIRECTLY TO THE APPLICANT.",
    "SHIPMENT BY VESSEL NOT OLDER THAN 20 YEARS.",
)

#: Wordings of each soft clause kind, as issuing banks write them.
SOFT_CLAUSE_TEXTS: dict[str, tuple[str, ...]] = {
    "vessel_approval": (
        "SHIPMENT SUBJECT TO THE APPLICANT'S APPROVAL OF THE VESSEL, TO BE ADVISED BY AMENDMENT.",
        "NAME OF CARRYING VESSEL TO BE NOMINATED BY THE BUYER; BENEFICIARY TO SHIP ONLY "
        "AFTER THE APPLICANT HAS APPROVED THE SHIPMENT.",
    ),
    "applicant_inspection": (
        "INSPECTION CERTIFICATE SIGNED BY THE APPLICANT CERTIFYING THE GOODS ARE IN ORDER.",
        "QUALITY CERTIFICATE ISSUED AND SIGNED BY THE APPLICANT'S AUTHORISED REPRESENTATIVE "
        "AFTER INSPECTION OF THE GOODS.",
    ),
    "not_operative": (
        "THIS CREDIT IS NOT OPERATIVE UNTIL THE APPLICANT'S NOTICE IS RECEIVED BY AMENDMENT.",
        "THIS CREDIT WILL BECOME OPERATIVE ONLY UPON OUR AMENDMENT ADVISING THE IMPORT LICENCE.",
    ),
    "documents_to_applicant": (
        "1/3 ORIGINAL BILL OF LADING TO BE SENT DIRECTLY TO THE APPLICANT BY COURIER.",
        "ONE ORIGINAL OF EACH DOCUMENT TO BE FORWARDED DIRECTLY TO THE BUYER WITHIN 3 DAYS "
        "AFTER SHIPMENT.",
    ),
}

#: Share of sea credits calling for a sea waybill (art. 21) instead of a bill of lading.
SEA_WAYBILL_SHARE = 0.15

#: Soft clause kinds in the order a draw picks them.
SOFT_KINDS = tuple(SOFT_CLAUSE_TEXTS)


def _figures(rng: random.Random) -> dict[str, Any]:
    """Art. 30 wording: mostly none, sometimes ABOUT, sometimes a 39A tolerance."""
    draw = rng.random()
    if draw < 0.15:
        return {"about": ["amount", "quantity"]}
    if draw < 0.30:
        return {"tolerance": {"amount": ["0.05", "0.05"], "quantity": ["0.05", "0.05"]}}
    return {}


def issue_credit(
    rng: random.Random,
    *,
    amount: int,
    quantity: int,
    unit_price: int,
    unit: str,
    description: str,
    mode: str,
    port_of_loading: str,
    ship_by_day: int,
    insurance: bool,
    soft: bool,
) -> dict[str, Any]:
    """Return the credit an issuing bank opens for a contract.

    Args:
        rng: The contract's credit-terms stream.
        amount: Contract amount, USD cents.
        quantity: Contract quantity in ``unit``.
        unit_price: Contract unit price, USD cents.
        unit: The product's unit (counted units get no 30(b) tolerance).
        description: Goods description for field 45A.
        mode: The lane's mode of transport.
        port_of_loading: Lane origin (UN/LOCODE).
        ship_by_day: Latest shipment sim-day.
        insurance: True when the seller insures (CIF/CIP).
        soft: True when the applicant writes in a soft clause.
    """
    transport = transport_document_for(mode)
    if mode in SEA_MODES and rng.random() < SEA_WAYBILL_SHARE:
        transport = TRANSPORT_DOCUMENTS["sea_waybill"]
    documents = ["commercial_invoice", "packing_list", transport.code]
    if insurance:
        documents.append("insurance_certificate")
    clauses = [rng.choice(BENIGN_CLAUSES[:3])]
    if rng.random() < 0.5:
        clauses.append(rng.choice(BENIGN_CLAUSES[3:]))
    kind = None
    if soft:
        kind = rng.choice(SOFT_KINDS)
        clauses.append(rng.choice(SOFT_CLAUSE_TEXTS[kind]))
        if kind == "applicant_inspection":
            documents.append("inspection_certificate")
    return {
        "amount": amount,
        "expiry_day": ship_by_day + 31,
        "latest_shipment_day": ship_by_day,
        "presentation_days": 21,
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "unit_price": unit_price,
        "partial_shipments": "prohibited" if rng.random() < 0.5 else "allowed",
        "port_of_loading": port_of_loading,
        "mode": mode,
        "transport_document": transport.code,
        "transport_article": transport.article,
        "required_documents": documents,
        "clauses": clauses,
        "soft_clause": kind,
        "insurance_required": insurance,
        **_figures(rng),
    }


def without_soft_clauses(credit: dict[str, Any]) -> dict[str, Any]:
    """Return the credit as amended: soft clauses and the documents they asked for removed."""
    amended = dict(credit)
    soft = {hit["index"] for hit in find_soft_clauses(list(credit.get("clauses", [])))}
    amended["clauses"] = [t for i, t in enumerate(credit.get("clauses", [])) if i not in soft]
    amended["soft_clause"] = None
    amended["required_documents"] = [
        d for d in credit["required_documents"] if d != "inspection_certificate"
    ]
    return amended
