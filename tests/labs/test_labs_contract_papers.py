"""The contract page's papers: the letter-of-credit reader and the declaration's layout."""

from __future__ import annotations

import pytest

from academy.labs.firm import read_credit
from sandbox.payments.lc import SOFT_CLAUSE


def _contract(**credit_changes):
    credit = {
        "amount": 655_500,
        "expiry_day": 52,
        "latest_shipment_day": 21,
        "presentation_days": 21,
        "description": "STUFFED PLUSH TOYS HS 9503002100",
        "quantity": 1500,
        "port_of_loading": "CNTAO",
        "required_documents": ["commercial_invoice", "packing_list", "bill_of_lading"],
        "soft_clause": None,
        "insurance_required": False,
        **credit_changes,
    }
    return {
        "amount": 655_500,
        "quantity": 1500,
        "freight": {"ship_day": 20, "insured": False},
        "lc": {"state": "issued", "presentations": 0, "credit": credit, "discrepancies": []},
    }


@pytest.fixture
def in_request(app):
    with app.test_request_context("/"):
        yield


def test_a_clean_credit_raises_no_warning(in_request):
    reading = read_credit(_contract())
    assert reading["warnings"] == []
    assert reading["latest_shipment_day"] == 21
    assert len(reading["documents"]) == 3


def test_each_risk_is_named(in_request):
    contract = _contract(
        soft_clause=SOFT_CLAUSE,
        amount=600_000,
        quantity=1400,
        latest_shipment_day=18,
        insurance_required=True,
    )
    warnings = read_credit(contract)["warnings"]
    assert len(warnings) == 5
    assert any("Soft clause" in w for w in warnings)
    assert any("$6,000.00" in w and "$6,555.00" in w for w in warnings)
    assert any("1400" in w and "1500" in w for w in warnings)
    assert any("day 20" in w and "day 18" in w for w in warnings)
    assert any("insurance" in w for w in warnings)


def test_no_credit_no_reader(in_request):
    assert read_credit({"lc": None}) is None


def test_declaration_sections_hold_every_box_once():
    from academy.labs.student_forms import DeclarationForm

    boxes = [name for _legend, names in DeclarationForm.SECTIONS for name in names]
    assert sorted(boxes) == sorted(DeclarationForm.BOXES)
    assert len(boxes) == len(set(boxes))


def test_an_lc_contract_shows_paid_once_the_credit_is_honoured():
    from academy.labs.pipeline import pipeline_of

    contract = {
        "status": "active",
        "payment": "lc",
        "incoterm": "CIF",
        "po_id": "PO1",
        "freight": {"ship_day": 12},
        "declaration": {"status": "released"},
        "departed_day": 12,
        "receivables": [],
        "lc": {"state": "presented", "credit": {}},
        "rebate": None,
    }
    steps = {step["key"]: step["state"] for step in pipeline_of(contract)}
    assert steps["payment"] == "next"
    contract["lc"]["state"] = "honoured"
    steps = {step["key"]: step["state"] for step in pipeline_of(contract)}
    assert steps["documents"] == "done" and steps["payment"] == "done"
