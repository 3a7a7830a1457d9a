"""Table tests: UCP 600 examination of documents presented under a credit."""

from __future__ import annotations

import datetime as dt

import pytest

from sandbox.payments import add_banking_days, examine_presentation, prepare_presentation
from sandbox.payments.lc import SOFT_CLAUSE

CREDIT = {
    "amount": 5_000_000,
    "expiry_day": 60,
    "latest_shipment_day": 30,
    "presentation_days": 21,
    "description": "HUMAN HAIR WIGS HS 6704200000",
    "quantity": 1_000,
    "port_of_loading": "CNCGO",
    "required_documents": [
        "commercial_invoice",
        "packing_list",
        "bill_of_lading",
        "insurance_certificate",
    ],
    "soft_clause": None,
    "insurance_required": True,
}


def presentation(**changes):
    documents = prepare_presentation(CREDIT, insurance_amount=5_500_000)
    documents.update(changes)
    return documents


def codes(credit, documents, shipped=25, presented=30):
    return [
        d["code"]
        for d in examine_presentation(
            credit, documents, shipped_day=shipped, presented_day=presented
        )
    ]


def test_complying_presentation_has_no_discrepancy():
    assert codes(CREDIT, presentation()) == []


@pytest.mark.parametrize(
    ("changes", "shipped", "presented", "expected"),
    [
        ({}, 25, 47, ["LATE_PRESENTATION"]),
        ({}, 25, 46, []),
        ({"expiry_day": 40}, 25, 41, ["CREDIT_EXPIRED"]),
        ({}, 31, 35, ["LATE_SHIPMENT"]),
        (
            {"invoice_amount": 5_000_001, "insurance_amount": 5_600_000},
            25,
            30,
            ["AMOUNT_OVER_CREDIT"],
        ),
        ({"invoice_description": "human hair wigs"}, 25, 30, ["DESCRIPTION_MISMATCH"]),
        ({"packing_list_quantity": 999}, 25, 30, ["INCONSISTENT_DOCUMENTS"]),
        ({"bl_port_of_loading": "CNTAO"}, 25, 30, ["INCONSISTENT_DOCUMENTS"]),
        (
            {"documents": ["commercial_invoice", "packing_list", "bill_of_lading"]},
            25,
            30,
            ["MISSING_DOCUMENT"],
        ),
        ({"insurance_amount": 5_400_000}, 25, 30, ["INSURANCE_INSUFFICIENT"]),
    ],
)
def test_each_discrepancy(changes, shipped, presented, expected):
    credit = {**CREDIT, **{k: v for k, v in changes.items() if k in CREDIT}}
    documents = presentation(**{k: v for k, v in changes.items() if k not in CREDIT})
    assert codes(credit, documents, shipped, presented) == expected


def test_expired_and_late_together_are_both_listed():
    found = examine_presentation(CREDIT, presentation(), shipped_day=30, presented_day=61)
    assert {d["code"] for d in found} == {"CREDIT_EXPIRED", "LATE_PRESENTATION"}
    assert {d["article"] for d in found} == {"6(d)(i), 6(e)", "14(c)"}


def test_one_notice_lists_every_discrepancy():
    documents = presentation(
        invoice_description="wigs", packing_list_quantity=1, insurance_amount=1
    )
    assert codes(CREDIT, documents, 31, 55) == [
        "LATE_PRESENTATION",
        "LATE_SHIPMENT",
        "DESCRIPTION_MISMATCH",
        "INCONSISTENT_DOCUMENTS",
        "INSURANCE_INSUFFICIENT",
    ]


def test_soft_clause_needs_applicant_signature():
    credit = {**CREDIT, "soft_clause": SOFT_CLAUSE}
    assert codes(credit, presentation()) == ["SOFT_CLAUSE_UNMET"]
    assert codes(credit, presentation(inspection_certificate_signed=True)) == []


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-03-06", 1, "2026-03-09"),
        ("2026-03-02", 5, "2026-03-09"),
        ("2026-03-07", 5, "2026-03-13"),
    ],
)
def test_banking_days_skip_weekends(start, count, expected):
    assert add_banking_days(dt.date.fromisoformat(start), count) == dt.date.fromisoformat(expected)
