"""Table tests: UCP 600 art. 30 tolerances, art. 18(b), art. 29 dates, the advising fee."""

from __future__ import annotations

import datetime as dt

import pytest

from sandbox.payments import PAYMENT_METHODS, examine, prepare_presentation
from sandbox.payments.compare import collection_fees_usd
from sandbox.payments.reader import read_credit_terms, tolerance_basis
from sandbox.payments.ucp import BankCalendar, allowed_ranges
from sandbox.scenario import load_scenario

# 1,000 kg of garlic at USD 2.00: a bulk unit, so art. 30(b) can apply.
CREDIT = {
    "amount": 200_000,
    "expiry_day": 60,
    "latest_shipment_day": 30,
    "presentation_days": 21,
    "description": "FRESH WHITE GARLIC HS 0703200000",
    "quantity": 1_000,
    "unit": "kg",
    "unit_price": 200,
    "partial_shipments": "allowed",
    "port_of_loading": "CNTAO",
    "required_documents": ["commercial_invoice", "packing_list", "bill_of_lading"],
    "insurance_required": False,
}


def credit(**changes):
    return {**CREDIT, **changes}


def codes(terms, *, shipped=25, presented=30, calendar=None, accepts=False, **documents):
    presentation = prepare_presentation(terms, insurance_amount=None)
    presentation.update(documents)
    result = examine(
        terms,
        presentation,
        shipped_day=shipped,
        presented_day=presented,
        calendar=calendar,
        bank_accepts_excess=accepts,
        withheld=[],
    )
    return [d["code"] for d in result["discrepancies"]]


@pytest.mark.parametrize(
    ("changes", "figure", "expected", "basis"),
    [
        # 30(a): "about" allows 10 % more or less on the figure it qualifies.
        ({"about": ["amount"]}, "amount", (0, 220_000), "about"),
        (
            {"about": ["amount"], "partial_shipments": "prohibited"},
            "amount",
            (180_000, 220_000),
            "about",
        ),
        ({"about": ["quantity"]}, "quantity", (900, 1_100), "about"),
        ({"about": ["unit_price"]}, "unit_price", (180, 220), "about"),
        # 30(b): 5 % on quantity for bulk goods, drawings within the credit amount.
        ({}, "quantity", (950, 1_050), "bulk"),
        ({}, "amount", (0, 200_000), "partial"),
        # ... not when the credit counts units or packages, nor when it forbids it.
        ({"unit": "carton"}, "quantity", (0, 1_000), "partial"),
        (
            {"unit": "carton", "partial_shipments": "prohibited"},
            "quantity",
            (1_000, 1_000),
            "exact",
        ),
        (
            {"exact_quantity": True, "partial_shipments": "prohibited"},
            "quantity",
            (1_000, 1_000),
            "exact",
        ),
        # 30(c): partial shipments prohibited, 5 % less in amount.
        ({"partial_shipments": "prohibited"}, "amount", (190_000, 200_000), "short_5"),
        # Field 39A: an explicit tolerance replaces the rules above.
        ({"tolerance": {"amount": ["0.03", "0.02"]}}, "amount", (0, 206_000), "tolerance"),
        (
            {"tolerance": {"amount": ["0.03", "0.02"]}, "partial_shipments": "prohibited"},
            "amount",
            (196_000, 206_000),
            "tolerance",
        ),
        ({"tolerance": {"quantity": ["0.10", "0"]}}, "quantity", (1_000, 1_100), "tolerance"),
        ({}, "unit_price", (200, 200), "exact"),
    ],
)
def test_art_30_ranges(changes, figure, expected, basis):
    terms = credit(**changes)
    assert allowed_ranges(terms)[figure] == expected
    assert tolerance_basis(terms, figure) == basis


@pytest.mark.parametrize(
    ("changes", "documents", "expected"),
    [
        (
            {"about": ["amount", "quantity"]},
            {"invoice_amount": 220_000, "invoice_quantity": 1_100, "packing_list_quantity": 1_100},
            [],
        ),
        ({"about": ["amount", "quantity"]}, {"invoice_amount": 220_001}, ["AMOUNT_OVER_CREDIT"]),
        (
            {"about": ["quantity"]},
            {"invoice_quantity": 1_101, "packing_list_quantity": 1_101},
            ["QUANTITY_OUTSIDE_TOLERANCE"],
        ),
        ({"about": ["unit_price"]}, {"invoice_unit_price": 219}, []),
        ({"about": ["unit_price"]}, {"invoice_unit_price": 221}, ["UNIT_PRICE_MISMATCH"]),
        ({}, {"invoice_unit_price": 201}, ["UNIT_PRICE_MISMATCH"]),
        # 30(b): 5 % more garlic is fine while the invoice stays within the credit.
        ({}, {"invoice_quantity": 1_050, "packing_list_quantity": 1_050}, []),
        (
            {},
            {"invoice_quantity": 1_051, "packing_list_quantity": 1_051},
            ["QUANTITY_OUTSIDE_TOLERANCE"],
        ),
        (
            {},
            {"invoice_quantity": 1_050, "packing_list_quantity": 1_050, "invoice_amount": 210_000},
            ["AMOUNT_OVER_CREDIT"],
        ),
        # Counted units: no 5 % (one more carton is outside the credit).
        (
            {"unit": "carton"},
            {"invoice_quantity": 1_001, "packing_list_quantity": 1_001},
            ["QUANTITY_OUTSIDE_TOLERANCE"],
        ),
        # 30(c): partial shipments prohibited, full quantity, 5 % less amount complies.
        ({"partial_shipments": "prohibited"}, {"invoice_amount": 190_000}, []),
        (
            {"partial_shipments": "prohibited"},
            {"invoice_amount": 189_999},
            ["AMOUNT_BELOW_TOLERANCE"],
        ),
        (
            {"partial_shipments": "prohibited", "unit": "carton"},
            {"invoice_quantity": 990, "packing_list_quantity": 990, "invoice_amount": 198_000},
            ["QUANTITY_OUTSIDE_TOLERANCE"],
        ),
        # Partial drawings allowed (art. 31(a)): a smaller invoice is no discrepancy.
        ({}, {"invoice_amount": 100_000}, []),
        # 39A explicit tolerance.
        ({"tolerance": {"amount": ["0.05", "0.05"]}}, {"invoice_amount": 210_000}, []),
        (
            {"tolerance": {"amount": ["0.05", "0.05"]}},
            {"invoice_amount": 210_001},
            ["AMOUNT_OVER_CREDIT"],
        ),
    ],
)
def test_art_30_cases(changes, documents, expected):
    assert codes(credit(**changes), **documents) == expected


@pytest.mark.parametrize(
    ("accepts", "invoice", "expected_codes", "payable", "notes"),
    [
        (False, 200_000, [], 200_000, []),
        (False, 205_000, ["AMOUNT_OVER_CREDIT"], 205_000, []),
        # 18(b): the bank may take the invoice if it pays no more than the credit.
        (True, 205_000, [], 200_000, ["18(b)"]),
        (True, 199_000, [], 199_000, []),
    ],
)
def test_art_18b_bank_choice(accepts, invoice, expected_codes, payable, notes):
    presentation = prepare_presentation(CREDIT, insurance_amount=None)
    presentation["invoice_amount"] = invoice
    result = examine(
        CREDIT,
        presentation,
        shipped_day=25,
        presented_day=30,
        bank_accepts_excess=accepts,
        withheld=[],
    )
    assert [d["code"] for d in result["discrepancies"]] == expected_codes
    assert result["payable"] == payable and result["notes"] == notes


def test_art_18b_with_about_pays_at_most_the_tolerance():
    terms = credit(about=["amount"])
    presentation = prepare_presentation(terms, insurance_amount=None)
    presentation["invoice_amount"] = 230_000
    result = examine(
        terms, presentation, shipped_day=25, presented_day=30, bank_accepts_excess=True, withheld=[]
    )
    assert result["discrepancies"] == [] and result["payable"] == 220_000


# Sim-day 0 is Monday 2026-03-02; 2026-04-06 (Qingming, Monday) is a bank holiday.
CALENDAR = BankCalendar(dt.date(2026, 3, 2), ("2026-04-06",))


@pytest.mark.parametrize(
    ("changes", "shipped", "presented", "calendar", "expected"),
    [
        # 29(a): expiry on Saturday 2026-04-04 (day 33) moves to Tuesday 04-07 (day 36),
        # past the Sunday and the Monday holiday.
        ({"expiry_day": 33}, 20, 36, CALENDAR, []),
        ({"expiry_day": 33}, 20, 37, CALENDAR, ["CREDIT_EXPIRED"]),
        ({"expiry_day": 33}, 20, 36, None, ["CREDIT_EXPIRED"]),
        # Expiry on a weekday banking day does not move.
        ({"expiry_day": 31}, 20, 32, CALENDAR, ["CREDIT_EXPIRED"]),
        # 29(a): the 21st day after shipment on a holiday moves too (day 14 + 21 = 35).
        ({"expiry_day": 60}, 14, 36, CALENDAR, []),
        ({"expiry_day": 60}, 14, 37, CALENDAR, ["LATE_PRESENTATION"]),
        ({"expiry_day": 60}, 14, 36, None, ["LATE_PRESENTATION"]),
        # 29(c): the latest shipment date does not move, even on a holiday.
        ({"latest_shipment_day": 35, "expiry_day": 60}, 36, 38, CALENDAR, ["LATE_SHIPMENT"]),
        ({"latest_shipment_day": 35, "expiry_day": 60}, 35, 38, CALENDAR, []),
    ],
)
def test_art_29_dates(changes, shipped, presented, calendar, expected):
    terms = credit(**changes)
    assert codes(terms, shipped=shipped, presented=presented, calendar=calendar) == expected


def test_reader_shows_the_extended_expiry_and_last_presentation_day():
    reading = read_credit_terms(credit(expiry_day=33), CALENDAR, shipped_day=20)
    assert reading["expiry_day"] == 36 and reading["expiry_extended"] is True
    assert reading["last_presentation_day"] == 36
    assert reading["latest_shipment_day"] == 30


def test_shipped_scenario_calendar_has_the_2026_holidays():
    world = load_scenario("exam_standard")
    holidays = world.money["bank_calendar"]["holidays"]
    assert "2026-05-01" in holidays and "2026-10-01" in holidays
    assert all(dt.date.fromisoformat(day).weekday() < 5 for day in holidays)


def test_advising_fee_is_charged_once_at_issue_not_again_at_payment():
    world = load_scenario("exam_standard")
    method = PAYMENT_METHODS["lc"]
    assert method.issue_fee_cny(world) == int(world.money["lc_advising_fee_cny"])
    # At payment the bank takes only its negotiation commission.
    assert method.bank_fee_cny(10_000_000, world) == 12_500
    # The comparison of payment terms counts the advising fee once.
    usd_rate = 700_000_000
    fees = collection_fees_usd("lc", 1_000_000, world, usd_rate)
    advising_usd = int(world.money["lc_advising_fee_cny"]) * 100_000_000 // usd_rate
    negotiation_usd = method.bank_fee_cny(7_000_000, world) * 100_000_000 // usd_rate
    assert fees == advising_usd + negotiation_usd
