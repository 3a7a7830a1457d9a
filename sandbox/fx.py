"""Foreign exchange: a seeded daily random walk, bank spread and forwards.

Rates are integers: CNY per unit of the currency times ``FX_SCALE`` (10**8). The walk
uses integer arithmetic only so every platform computes the same rates.
"""

from __future__ import annotations

from decimal import Decimal

from sandbox.money import to_minor
from sandbox.rng import normal_milli, rng_for
from sandbox.scenario.model import Currency

__all__ = ["bank_bid", "forward_rate", "next_rates"]

_PPM = 1_000_000


def next_rates(
    rates: dict[str, int], currencies: dict[str, Currency], seed: int, day: int
) -> dict[str, int]:
    """Move every rate one day along its walk.

    Args:
        rates: Today's mid rates by currency.
        currencies: Walk parameters (drift and volatility in ppm per day).
        seed: The market seed.
        day: The sim-day being opened (names the RNG stream).

    Returns:
        Tomorrow's mid rates; never below 1.
    """
    rng = rng_for(seed, "fx", day)
    moved = {}
    for code in sorted(rates):
        params = currencies[code]
        change_ppm = params.drift_ppm + params.vol_ppm * normal_milli(rng) // 1000
        moved[code] = max(1, (rates[code] * (_PPM + change_ppm) + _PPM // 2) // _PPM)
    return moved


def bank_bid(mid: int, spread: Decimal) -> int:
    """Return the rate at which the bank buys the currency from an exporter."""
    return to_minor(Decimal(mid) * (Decimal(1) - spread))


def forward_rate(bid: int, points_ppm_per_day: int, days: int) -> int:
    """Return an outright forward rate for selling the currency ``days`` ahead."""
    return max(1, (bid * (_PPM + points_ppm_per_day * days) + _PPM // 2) // _PPM)
