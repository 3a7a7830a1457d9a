"""Foreign exchange: a seeded daily random walk, hard pegs, bank spread and forwards.

Rates are integers: CNY per unit of the currency times ``FX_SCALE`` (10**8). The walk
uses integer arithmetic only so every platform computes the same rates. A hard-pegged
currency (AED, SAR) does not walk: each day it is its anchor's rate divided by the peg.
Forwards follow covered interest parity when the world gives CNY and USD money-market
rates: the forward points are the spot rate times the rate differential over the tenor.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.money import to_minor
from sandbox.rng import normal_milli, rng_for
from sandbox.scenario.fxrules import Peg
from sandbox.scenario.model import Currency

__all__ = [
    "apply_pegs",
    "bank_bid",
    "forward_rate",
    "forward_terms",
    "next_rates",
    "parity_forward",
]

_PPM = 1_000_000


def apply_pegs(rates: dict[str, int], pegs: dict[str, Peg]) -> dict[str, int]:
    """Return ``rates`` with every pegged currency set from its anchor at the peg.

    Args:
        rates: Mid rates by currency (CNY per unit x ``FX_SCALE``).
        pegs: Hard pegs by currency.
    """
    pegged = dict(rates)
    for code, peg in sorted(pegs.items()):
        if code in rates and peg.anchor in rates:
            pegged[code] = max(1, to_minor(Decimal(rates[peg.anchor]) / peg.rate))
    return pegged


def next_rates(
    rates: dict[str, int],
    currencies: dict[str, Currency],
    seed: int,
    day: int,
    pegs: dict[str, Peg] | None = None,
) -> dict[str, int]:
    """Move every rate one day along its walk; pegged currencies follow their anchor.

    A pegged currency still takes its draw from the day's stream (and discards it), so
    the other currencies' walks are the same with or without the peg.

    Args:
        rates: Today's mid rates by currency.
        currencies: Walk parameters (drift and volatility in ppm per day).
        seed: The market seed.
        day: The sim-day being opened (names the RNG stream).
        pegs: Hard pegs by currency (none by default).

    Returns:
        Tomorrow's mid rates; never below 1.
    """
    rng = rng_for(seed, "fx", day)
    moved = {}
    for code in sorted(rates):
        params = currencies[code]
        change_ppm = params.drift_ppm + params.vol_ppm * normal_milli(rng) // 1000
        moved[code] = max(1, (rates[code] * (_PPM + change_ppm) + _PPM // 2) // _PPM)
    return apply_pegs(moved, pegs) if pegs else moved


def bank_bid(mid: int, spread: Decimal) -> int:
    """Return the rate at which the bank buys the currency from an exporter."""
    return to_minor(Decimal(mid) * (Decimal(1) - spread))


def forward_rate(bid: int, points_ppm_per_day: int, days: int) -> int:
    """Return an outright forward rate for selling the currency ``days`` ahead."""
    return max(1, (bid * (_PPM + points_ppm_per_day * days) + _PPM // 2) // _PPM)


def parity_forward(spot: int, domestic_rate: Decimal, foreign_rate: Decimal, days: int) -> int:
    """Return the outright forward by covered interest parity (simple interest, ACT/365).

    Args:
        spot: The spot rate (CNY per unit x ``FX_SCALE``).
        domestic_rate: Annual CNY money-market rate.
        foreign_rate: Annual rate of the currency sold forward.
        days: Tenor in days.
    """
    years = Decimal(days) / Decimal(365)
    return max(
        1, to_minor(Decimal(spot) * (1 + domestic_rate * years) / (1 + foreign_rate * years))
    )


def forward_terms(
    bid: int, days: int, interest: dict[str, Decimal], points_ppm_per_day: int, code: str = "USD"
) -> dict[str, Any]:
    """Return the bank's forward quote for selling ``code`` and how its points arise.

    With CNY and ``code`` money-market rates the outright follows covered interest
    parity; otherwise the fixed daily points are used.

    Args:
        bid: Today's spot bid (CNY per unit x ``FX_SCALE``).
        days: Tenor in days.
        interest: Annual money-market rates by currency.
        points_ppm_per_day: The fallback daily points (ppm of spot).
        code: The currency sold forward.

    Returns:
        ``{"outright", "points", "implied_differential", "rate_differential", "basis"}``:
        points in rate units (outright less spot); the differential implied by the points
        (annualised) beside the CNY-minus-foreign interest differential (``None`` without
        rates), as Decimal strings rounded to 4 places; ``basis`` is ``"parity"`` or
        ``"fixed_points"``.
    """
    if "CNY" in interest and code in interest:
        outright = parity_forward(bid, interest["CNY"], interest[code], days)
        differential: str | None = str(
            (interest["CNY"] - interest[code]).quantize(Decimal("0.0001"))
        )
        basis = "parity"
    else:
        outright = forward_rate(bid, points_ppm_per_day, days)
        differential = None
        basis = "fixed_points"
    implied = Decimal(outright - bid) / Decimal(bid) * Decimal(365) / Decimal(days)
    return {
        "outright": outright,
        "points": outright - bid,
        "implied_differential": str(implied.quantize(Decimal("0.0001"))),
        "rate_differential": differential,
        "basis": basis,
    }
