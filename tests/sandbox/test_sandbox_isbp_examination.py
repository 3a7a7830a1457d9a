"""Table tests: ISBP 745 reading of descriptions, transport documents by mode (UCP 600
arts. 19-25), and how often first presentations are refused with and without checking."""

from __future__ import annotations

import random

import pytest

from sandbox.engine.market import Market
from sandbox.payments import TRANSPORT_DOCUMENTS, examine, prepare_presentation
from sandbox.payments.credit_terms import issue_credit
from sandbox.payments.drafting import draft_presentation
from sandbox.payments.isbp import general_description_conflicts, invoice_corresponds
from sandbox.payments.reader import read_credit_terms
from sandbox.payments.ucp import (
    SEA_MODES,
    TRANSPORT_DOCUMENT_CODES,
    acceptable_transport_documents,
)
from sandbox.scenario import load_scenario

DESCRIPTION = "CORDLESS DRILL MACHINE MODEL 123 HS 8467211000"


@pytest.mark.parametrize(
    ("invoice", "corresponds"),
    [
        (DESCRIPTION, True),
        ("cordless drill machine model 123 hs 8467211000", True),  # case
        ("Cordless  Drill Machine, Model 123, HS 8467.21.1000", True),  # spacing, punctuation
        ("CORDLESS DRILL MASHINE MODEL 123 HS 8467211000", True),  # ISBP A23 slip
        ("CORDELSS DRILL MACHINE MODEL 123 HS 8467211000", True),  # swapped letters
        ("CORDLESS DRILL MACHINE MODEL 132 HS 8467211000", False),  # model number changed
        ("CORDLESS DRILL MACHINE MODEL 123 HS 8467219000", False),  # HS code changed
        ("CORDLESS DRILL MACHINE MODEL 123", False),  # part of the description missing
        ("CORDED DRILL MACHINE MODEL 123 HS 8467211000", False),  # a different word
        ("CORDLESS DRILL MACHINE MODEL 123 HS 8467211000 18V RED", False),  # number not in credit
        ("NEW CORDLESS DRILL MACHINE MODEL 123 HS 8467211000", True),  # additional data, C3
    ],
)
def test_invoice_description_corresponds(invoice, corresponds):
    assert invoice_corresponds(DESCRIPTION, invoice) is corresponds


@pytest.mark.parametrize(
    ("description", "conflicts"),
    [
        (None, False),
        ("CORDLESS DRILLS", False),  # a plural keeps the meaning
        ("DRILL MACHINE", False),  # general terms, 14(e)
        ("drill", False),
        ("GOODS AS PER INVOICE", False),
        ("POWER TOOLS", True),  # words the credit does not use
        ("USED DRILL MACHINE", True),  # conflicts with the credit
        ("DRILL MACHINE MODEL 124", True),
        ("", True),
    ],
)
def test_general_terms_on_other_documents(description, conflicts):
    assert general_description_conflicts(DESCRIPTION, description) is conflicts


CREDIT = {
    "amount": 1_000_000,
    "expiry_day": 60,
    "latest_shipment_day": 30,
    "presentation_days": 21,
    "description": DESCRIPTION,
    "quantity": 500,
    "unit": "piece",
    "port_of_loading": "CNCGO",
    "required_documents": ["commercial_invoice", "packing_list", "rail_consignment_note"],
    "mode": "rail",
    "transport_document": "rail_consignment_note",
    "transport_article": "24",
    "insurance_required": False,
}


def codes(terms=CREDIT, **documents):
    presentation = prepare_presentation(terms, insurance_amount=None)
    presentation.update(documents)
    result = examine(terms, presentation, shipped_day=10, presented_day=12, withheld=[])
    return [d["code"] for d in result["discrepancies"]]


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        ({}, []),
        ({"invoice_description": DESCRIPTION.lower()}, []),
        ({"packing_list_description": "DRILL MACHINE"}, []),
        ({"transport_description": "POWER TOOLS"}, ["DESCRIPTION_CONFLICT"]),
        ({"insurance_description": "USED DRILL MACHINE"}, ["DESCRIPTION_CONFLICT"]),
        ({"invoice_description": "DRILL MACHINE"}, ["DESCRIPTION_MISMATCH"]),
        ({"bl_port_of_loading": "cncgo"}, []),  # case on the transport document
        ({"bl_port_of_loading": "CNTAO"}, ["INCONSISTENT_DOCUMENTS"]),
    ],
)
def test_examination_reads_descriptions_as_isbp(documents, expected):
    assert codes(**documents) == expected


MODES = {
    "sea_fcl": ("bill_of_lading", "20"),
    "sea_lcl": ("bill_of_lading", "20"),
    "sea_waybill": ("sea_waybill", "21"),
    "warehouse": ("multimodal_transport_document", "19"),
    "multimodal": ("multimodal_transport_document", "19"),
    "air": ("air_waybill", "23"),
    "rail": ("rail_consignment_note", "24"),
    "road": ("road_consignment_note", "24"),
    "express": ("courier_receipt", "25(a)"),
    "postal": ("post_receipt", "25(c)"),
}


@pytest.mark.parametrize(("mode", "expected"), sorted(MODES.items()))
def test_each_mode_has_its_transport_document(mode, expected):
    document = TRANSPORT_DOCUMENTS[mode]
    assert (document.code, document.article) == expected
    terms = issue_credit(
        random.Random(1),
        amount=1_000_000,
        quantity=500,
        unit_price=2_000,
        unit="piece",
        description=DESCRIPTION,
        mode=mode,
        port_of_loading="CNCGO",
        ship_by_day=30,
        insurance=False,
        soft=False,
    )
    transport = [d for d in terms["required_documents"] if d in TRANSPORT_DOCUMENT_CODES]
    if mode in SEA_MODES and transport == ["sea_waybill"]:
        expected = ("sea_waybill", "21")  # the credit's choice for sea carriage
    assert transport == [expected[0]]
    assert terms["transport_article"] == expected[1]
    assert read_credit_terms(terms, None)["transport"]["conflict"] is False
    # Presenting the credit's document complies; any other transport document does not.
    assert codes(terms) == []
    for other in TRANSPORT_DOCUMENT_CODES:
        if other == expected[0]:
            continue
        documents = [other if d == expected[0] else d for d in terms["required_documents"]]
        assert codes(terms, documents=documents) == [
            "TRANSPORT_DOCUMENT_WRONG_TYPE",
            "MISSING_DOCUMENT",
        ], other


@pytest.mark.parametrize("mode", ["sea_fcl", "sea_lcl"])
def test_sea_credits_ask_a_bill_of_lading_or_now_and_then_a_sea_waybill(mode):
    asked = set()
    for seed in range(60):
        terms = issue_credit(
            random.Random(seed),
            amount=1_000_000,
            quantity=500,
            unit_price=2_000,
            unit="piece",
            description=DESCRIPTION,
            mode=mode,
            port_of_loading="CNTAO",
            ship_by_day=30,
            insurance=False,
            soft=False,
        )
        asked |= {d for d in terms["required_documents"] if d in TRANSPORT_DOCUMENT_CODES}
        reading = read_credit_terms(terms, None)["transport"]
        assert reading["conflict"] is False and reading["code"] in asked
    assert asked == {"bill_of_lading", "sea_waybill"}


def test_rail_never_requires_an_ocean_bill_of_lading():
    for name in ("zhengzhou_rail_air", "henan_food_belt_road", "exam_standard"):
        world = load_scenario(name)
        for lane in world.lanes.values():
            terms = issue_credit(
                random.Random(lane.id),
                amount=1_000_000,
                quantity=500,
                unit_price=2_000,
                unit="piece",
                description=DESCRIPTION,
                mode=lane.mode,
                port_of_loading=lane.origin,
                ship_by_day=30,
                insurance=True,
                soft=True,
            )
            if lane.mode == "rail":
                assert "bill_of_lading" not in terms["required_documents"]
                assert "rail_consignment_note" in terms["required_documents"]


def test_reader_flags_a_credit_asking_an_ocean_bill_for_rail():
    terms = {
        **CREDIT,
        "required_documents": ["commercial_invoice", "packing_list", "bill_of_lading"],
    }
    transport = read_credit_terms(terms, None)["transport"]
    assert transport["conflict"] is True and transport["code"] == "rail_consignment_note"
    assert read_credit_terms(CREDIT, None)["transport"]["conflict"] is False


def test_engine_credit_for_a_rail_contract_asks_a_rail_note(make_market):
    market: Market = make_market(days=45)
    credits = [
        (contract, contract["lc"]["credit"])
        for contract in market.state.contracts.values()
        if contract["lc"] is not None
    ]
    assert credits, "the bots sign some L/C contracts in 45 days"
    for contract, credit in credits:
        mode = market.world.lanes[contract["lane_id"]].mode
        asked = [d for d in credit["required_documents"] if d in TRANSPORT_DOCUMENT_CODES]
        assert len(asked) == 1 and asked[0] in acceptable_transport_documents(mode)
        if mode == "rail":
            assert "bill_of_lading" not in credit["required_documents"]


def _first_presentation_rate(checked: bool, trials: int = 600) -> float:
    refused = 0
    for index in range(trials):
        rng = random.Random(f"draft-{index}")
        terms = issue_credit(
            rng,
            amount=1_000_000,
            quantity=500,
            unit_price=2_000,
            unit="piece",
            description=DESCRIPTION,
            mode=rng.choice(("sea_fcl", "rail", "air")),
            port_of_loading="CNCGO",
            ship_by_day=30,
            insurance=rng.random() < 0.4,
            soft=False,
        )
        insured = terms["amount"] * 110 // 100 + 1 if terms["insurance_required"] else None
        documents, late = draft_presentation(terms, rng, checked=checked, insurance_amount=insured)
        presented = 25 + (25 if late else 2)
        result = examine(terms, documents, shipped_day=25, presented_day=presented, withheld=[])
        refused += bool(result["discrepancies"])
    return refused / trials


def test_first_presentations_unchecked_are_refused_60_to_80_percent():
    assert 0.60 <= _first_presentation_rate(checked=False) <= 0.80


def test_first_presentations_checked_with_the_reader_are_refused_far_less():
    assert _first_presentation_rate(checked=True) <= 0.15
