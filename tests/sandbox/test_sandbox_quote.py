"""Table tests for the quotation calculator (EXW up to DDP, insurance at 110 %)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.trade import QuoteInputs, insurance_premium, price_ladder

INPUTS = QuoteInputs(
    exw=100_000,
    pre_carriage=2_000,
    export_clearance=1_000,
    port_loading=500,
    main_freight=5_000,
    destination_charges=800,
    unloading=300,
    import_clearance=1_500,
    insurance_rate_a=Decimal("0.003"),
    insurance_rate_c=Decimal("0.0015"),
    insurance_markup=Decimal("1.10"),
    import_duty_rate=Decimal("0.05"),
)

# Worked by hand: CIF = 108,500 / (1 - 1.1 x 0.0015) = 108,679.32; CIP = 108,500 / 0.9967
# = 108,859.24; duty = 5 % of CIP = 5,442.95; DDP = DAP + clearance + duty.
EXPECTED = {
    "EXW": 100_000,
    "FCA": 103_000,
    "FAS": 103_000,
    "FOB": 103_500,
    "CFR": 108_500,
    "CIF": 108_679,
    "CPT": 108_500,
    "CIP": 108_859,
    "DAP": 109_300,
    "DPU": 109_600,
    "DDP": 116_243,
}


@pytest.mark.parametrize(("term", "price"), sorted(EXPECTED.items()))
def test_ladder(term, price):
    assert price_ladder(INPUTS)[term] == price


def test_cif_covers_its_own_premium_on_110_percent():
    ladder = price_ladder(INPUTS)
    premium = insurance_premium(ladder["CIF"], Decimal("0.0015"))
    assert abs(ladder["CFR"] + premium - ladder["CIF"]) <= 1


@pytest.mark.parametrize(
    ("value", "rate", "premium"),
    [
        (100_000, Decimal("0.003"), 330),
        (1_000_000, Decimal("0.0015"), 1_650),
        (333, Decimal("0.003"), 1),
    ],
)
def test_insurance_premium_is_on_110_percent(value, rate, premium):
    assert insurance_premium(value, rate) == premium


def test_ladder_is_monotone_along_the_groups():
    ladder = price_ladder(INPUTS)
    assert ladder["EXW"] <= ladder["FCA"] <= ladder["FOB"] <= ladder["CFR"] <= ladder["CIF"]
    assert ladder["CPT"] <= ladder["CIP"] and ladder["DAP"] <= ladder["DPU"] <= ladder["DDP"]


costs = st.integers(min_value=0, max_value=10**9)
rates = st.decimals(min_value=0, max_value="0.05", places=4)


@settings(max_examples=200, deadline=None)
@given(
    exw=costs,
    pre=costs,
    clearance=costs,
    loading=costs,
    freight=costs,
    rate_a=rates,
    rate_c=rates,
    duty=st.decimals(min_value=0, max_value="0.5", places=3),
)
def test_ladder_properties(exw, pre, clearance, loading, freight, rate_a, rate_c, duty):
    inputs = QuoteInputs(
        exw, pre, clearance, loading, freight, 0, 0, 0, rate_a, rate_c, Decimal("1.10"), duty
    )
    ladder = price_ladder(inputs)
    assert all(type(v) is int for v in ladder.values())
    assert ladder["EXW"] <= ladder["FCA"] <= ladder["FOB"] <= ladder["CFR"] <= ladder["CIF"]
    assert ladder["CPT"] <= ladder["CIP"] and ladder["DAP"] <= ladder["DDP"]
    # Insurance on 110 % of the CIF price is covered by the gross-up, to the cent.
    assert abs(ladder["CFR"] + insurance_premium(ladder["CIF"], rate_c) - ladder["CIF"]) <= 1
