"""Export VAT rebates at the rate in force on the export date, across rate changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sandbox.customs import rebate_amounts


@pytest.mark.parametrize(
    ("product", "day", "rate"),
    [
        ("P18", "2024-11-30", "0.13"),  # PV modules
        ("P18", "2024-12-01", "0.09"),
        ("P18", "2026-03-31", "0.09"),
        ("P18", "2026-04-01", "0.00"),
        ("P19", "2024-12-01", "0.09"),  # lithium-ion batteries
        ("P19", "2026-03-31", "0.09"),
        ("P19", "2026-04-01", "0.06"),
        ("P19", "2026-12-31", "0.06"),
        ("P19", "2027-01-01", "0.00"),
        ("P01", "2026-04-01", "0.13"),  # wigs: unchanged
        ("P05", "2026-04-01", "0.09"),  # peanuts: agricultural tier
        ("P01", "2019-03-31", "0"),  # before the first recorded rate
    ],
)
def test_rate_in_force_on_export_date(exam_world, product, day, rate):
    assert exam_world.products[product].rebate_rate_on(dt.date.fromisoformat(day)) == Decimal(rate)


def test_rates_keep_source_and_effective_date(exam_world):
    for product in exam_world.products.values():
        assert product.rebates
        for entry in product.rebates:
            assert entry.source and entry.effective.year >= 2019


def test_sim_days_cross_the_april_2026_change(exam_world):
    # exam_standard starts on 2026-03-02: day 29 is 31 March, day 30 is 1 April.
    battery = exam_world.products["P19"]
    assert battery.rebate_rate_on(exam_world.date_of(29)) == Decimal("0.09")
    assert battery.rebate_rate_on(exam_world.date_of(30)) == Decimal("0.06")


@pytest.mark.parametrize(
    ("net", "rate", "refund", "cost"),
    [
        (1_000_000, "0.13", 130_000, 0),
        (1_000_000, "0.09", 90_000, 40_000),
        (1_000_000, "0.06", 60_000, 70_000),
        (1_000_000, "0", 0, 130_000),
        (333, "0.09", 30, 13),
    ],
)
def test_refund_and_non_refundable_cost_add_up_to_input_vat(net, rate, refund, cost):
    assert rebate_amounts(net, Decimal("0.13"), Decimal(rate)) == (refund, cost)
