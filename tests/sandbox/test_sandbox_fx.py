"""FX: a deterministic integer random walk, bank spread and forward rates."""

from __future__ import annotations

from decimal import Decimal

from sandbox.fx import bank_bid, forward_rate, next_rates
from sandbox.money import FX_SCALE, convert
from sandbox.scenario import Currency


def test_walk_is_deterministic_and_moves(exam_world):
    rates = {code: c.rate for code, c in exam_world.currencies.items()}
    first = next_rates(rates, exam_world.currencies, 42, 1)
    assert first == next_rates(rates, exam_world.currencies, 42, 1)
    assert first != next_rates(rates, exam_world.currencies, 43, 1)
    assert all(isinstance(v, int) and v > 0 for v in first.values())


def test_drift_without_volatility_compounds_exactly():
    currencies = {"TRY": Currency("TRY", 18_000_000, -1_000, 0, "test")}
    rates = {"TRY": 18_000_000}
    for day in range(10):
        rates = next_rates(rates, currencies, 7, day)
    expected = 18_000_000
    for _ in range(10):
        expected = (expected * 999_000 + 500_000) // 1_000_000
    assert rates["TRY"] == expected < 18_000_000


def test_spread_and_forward_points():
    mid = 7 * FX_SCALE
    bid = bank_bid(mid, Decimal("0.003"))
    assert bid == 697_900_000
    assert forward_rate(bid, -40, 90) < bid
    assert forward_rate(bid, 0, 90) == bid


def test_conversion_rounds_half_up():
    assert convert(100, 7 * FX_SCALE) == 700
    assert convert(1, FX_SCALE // 2) == 1
    assert convert(1, FX_SCALE // 2 - 1) == 0
    # The domain note's example: USD 100k while CNY/USD moves 6.6227 -> 6.4716 loses CNY 15,110.
    assert convert(10_000_000, 662_270_000) - convert(10_000_000, 647_160_000) == 1_511_000
