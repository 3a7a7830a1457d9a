"""Table tests: export declaration validated field by field; inspection and credit."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from sandbox.customs import (
    DECLARATION_FIELDS,
    check_declaration,
    credit_class,
    expected_declaration,
    inspection_penalty,
    selection_reason,
)

EXPECTED = expected_declaration(
    consignor_code="91410100123456789X",
    consignee="Dekker & Reimes",
    contract_no="C000001",
    incoterm="FOB",
    lane_mode="sea_fcl",
    lane_origin="CNTAO",
    market="NL",
    hs_code="6704200000",
    goods_name="Human hair wigs",
    quantity=200,
    unit="piece",
    net_weight_g=300,
    gross_weight_g=400,
    units_per_package=1,
    currency="USD",
    invoice_value=900_000,
)
TOLERANCES = {"value_tolerance": Decimal("0.01"), "weight_tolerance": Decimal("0.05")}


def check(**changes):
    declaration = {**EXPECTED, **changes}
    return [
        (f.field, f.code, f.severity)
        for f in check_declaration(declaration, EXPECTED, **TOLERANCES)
    ]


def test_expected_declaration_is_clean():
    assert check() == []
    assert EXPECTED["transaction_mode"] == "FOB"
    assert EXPECTED["supervision_mode"] == "0110"
    assert EXPECTED["transport_mode"] == "2"
    assert (EXPECTED["net_weight_kg"], EXPECTED["gross_weight_kg"]) == (60, 80)


@pytest.mark.parametrize("field", sorted(DECLARATION_FIELDS))
def test_every_box_is_required(field):
    assert check(**{field: None}) == [(field, "FIELD_MISSING", "error")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"hs_code": "670420000"}, ("hs_code", "HS_CODE_FORMAT")),
        ({"hs_code": "67042000AB"}, ("hs_code", "HS_CODE_FORMAT")),
        ({"supervision_mode": "9610"}, ("supervision_mode", "SUPERVISION_MODE_NOT_B2B")),
        ({"supervision_mode": "1210"}, ("supervision_mode", "SUPERVISION_MODE_NOT_B2B")),
        ({"supervision_mode": "1234"}, ("supervision_mode", "SUPERVISION_MODE_UNKNOWN")),
        ({"transaction_mode": "DDP"}, ("transaction_mode", "TRANSACTION_MODE_UNKNOWN")),
        ({"transport_mode": "9"}, ("transport_mode", "TRANSPORT_MODE_UNKNOWN")),
        ({"destination_country": "Netherlands"}, ("destination_country", "COUNTRY_FORMAT")),
        ({"trading_country": "nl"}, ("trading_country", "COUNTRY_FORMAT")),
        ({"currency": "usd"}, ("currency", "CURRENCY_FORMAT")),
        ({"quantity": 0}, ("quantity", "NOT_POSITIVE")),
        ({"declared_value": -5}, ("declared_value", "NOT_POSITIVE")),
        ({"package_count": 0}, ("package_count", "NOT_POSITIVE")),
        ({"gross_weight_kg": 59}, ("net_weight_kg", "NET_ABOVE_GROSS")),
        ({"quantity": "200"}, ("quantity", "FIELD_TYPE")),
        ({"vessel": "EVER GIVEN"}, ("vessel", "FIELD_UNKNOWN")),
    ],
)
def test_format_errors_are_refused(changes, expected):
    assert check(**changes) == [(*expected, "error")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"consignor_code": "91410100000000000X"}, ("consignor_code", "CONSIGNOR_MISMATCH")),
        ({"consignee": "Someone Else BV"}, ("consignee", "CONSIGNEE_MISMATCH")),
        ({"contract_no": "C000002"}, ("contract_no", "CONTRACT_NO_MISMATCH")),
        (
            {"transaction_mode": "CIF", "freight": "USD/500/3", "insurance": "USD/30/3"},
            ("transaction_mode", "TRANSACTION_MODE_MISMATCH"),
        ),
        ({"transport_mode": "3"}, ("transport_mode", "TRANSPORT_MODE_MISMATCH")),
        ({"port_of_exit": "CNSHA"}, ("port_of_exit", "PORT_OF_EXIT_MISMATCH")),
        ({"trading_country": "DE"}, ("trading_country", "TRADING_COUNTRY_MISMATCH")),
        ({"destination_country": "DE"}, ("destination_country", "DESTINATION_MISMATCH")),
        ({"hs_code": "6704110000"}, ("hs_code", "HS_CODE_MISMATCH")),
        ({"quantity": 199}, ("quantity", "QUANTITY_MISMATCH")),
        ({"unit": "kg"}, ("unit", "UNIT_MISMATCH")),
        ({"currency": "EUR"}, ("currency", "CURRENCY_MISMATCH")),
        ({"supervision_mode": "9810"}, ("supervision_mode", "SUPERVISION_MODE_MISMATCH")),
        ({"declared_value": 890_999}, ("declared_value", "VALUE_MISMATCH")),
        ({"net_weight_kg": 56}, ("net_weight_kg", "WEIGHT_MISMATCH")),
    ],
)
def test_mismatches_are_accepted_but_flagged(changes, expected):
    assert check(**changes) == [(*expected, "mismatch")]


@pytest.mark.parametrize(
    "changes", [{"declared_value": 891_000}, {"net_weight_kg": 57}, {"supervision_mode": "9710"}]
)
def test_within_tolerance_or_alternative_b2b_mode_is_clean(changes):
    assert check(**changes) == []


def test_warehouse_exports_must_use_9810():
    warehouse = {**EXPECTED, "supervision_mode": "9810"}
    assert check_declaration({**warehouse, "supervision_mode": "0110"}, warehouse, **TOLERANCES)[
        0
    ].code == ("SUPERVISION_MODE_MISMATCH")


CLASSES = [
    {"name": "advanced", "min_score": 90, "risk_multiplier": "0.2"},
    {"name": "general", "min_score": 50, "risk_multiplier": "1.0"},
    {"name": "dishonest", "min_score": 0, "risk_multiplier": "5.0"},
]


@pytest.mark.parametrize(
    ("score", "name"),
    [(100, "advanced"), (90, "advanced"), (89, "general"), (50, "general"), (49, "dishonest")],
)
def test_credit_classes(score, name):
    assert credit_class(score, CLASSES)[0] == name


def _selection_rate(
    multiplier: str, findings: list[dict[str, str]], random_rate: float = 0.0
) -> float:
    rng = random.Random(7)
    picks = sum(
        selection_reason(
            rng,
            base_rate=0.03,
            multiplier=Decimal(multiplier),
            product_risk=1.0,
            findings=findings,
            random_rate=random_rate,
        )
        is not None
        for _ in range(20_000)
    )
    return picks / 20_000


def test_risk_selection_follows_credit_and_visible_anomalies():
    advanced, general, dishonest = (_selection_rate(m, []) for m in ("0.2", "1.0", "5.0"))
    assert advanced < general < dishonest
    assert 0.02 < general < 0.04
    flagged = _selection_rate("1.0", [{"code": "VALUE_MISMATCH"}])
    assert flagged > 3 * general


def test_random_sample_adds_a_fixed_ratio():
    assert 0.04 < _selection_rate("1.0", [], random_rate=0.02) < 0.06


def test_penalty_only_when_findings():
    assert inspection_penalty([], 10_000_000, Decimal("0.10"), 500_000) == 0
    assert (
        inspection_penalty([{"code": "VALUE_MISMATCH"}], 10_000_000, Decimal("0.10"), 500_000)
        == 1_000_000
    )
    assert (
        inspection_penalty([{"code": "HS_CODE_MISMATCH"}], 1_000_000, Decimal("0.10"), 500_000)
        == 500_000
    )
