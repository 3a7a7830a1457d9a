"""Double random inspection and the enterprise customs credit rating.

Selection combines a risk-weighted draw (base rate x credit-class multiplier x product
risk x flags the risk engine can see) with a fixed-ratio random sample of all
declarations; an inspector is then drawn at random from the pool.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from sandbox.money import apply_rate

__all__ = [
    "credit_class",
    "inspection_floor",
    "inspection_penalty",
    "selection_probability",
    "selection_reason",
]

#: Mismatches a risk engine can see before inspection (price and tariff anomalies).
VISIBLE_TO_RISK_ENGINE = ("VALUE_MISMATCH", "HS_CODE_MISMATCH")


def credit_class(score: int, classes: list[dict[str, Any]]) -> tuple[str, Decimal]:
    """Return the credit class name and risk multiplier for a credit score."""
    for entry in sorted(classes, key=lambda c: -int(c["min_score"])):
        if score >= int(entry["min_score"]):
            return entry["name"], Decimal(entry["risk_multiplier"])
    last = classes[-1]
    return last["name"], Decimal(last["risk_multiplier"])


def inspection_floor(score: int, classes: list[dict[str, Any]]) -> float:
    """Return the least inspection rate of the credit class a score falls in.

    GACC's enterprise credit rules put dishonest enterprises under an average
    inspection rate of 80 % or more; a class without ``min_inspection_rate`` has none.
    """
    name, _ = credit_class(score, classes)
    for entry in classes:
        if entry["name"] == name:
            return float(Decimal(str(entry.get("min_inspection_rate", "0"))))
    return 0.0


def selection_probability(
    *,
    base_rate: float,
    multiplier: Decimal,
    product_risk: float,
    findings: list[dict[str, str]],
    floor: float = 0.0,
) -> float:
    """Return the risk engine's chance of selecting a declaration (random sample aside).

    Base rate x credit multiplier x product risk, times (1 + 3 per visible anomaly),
    capped at 95 %, and never below the credit class's floor.
    """
    flags = sum(1 for f in findings if f["code"] in VISIBLE_TO_RISK_ENGINE)
    probability = min(0.95, base_rate * float(multiplier) * product_risk * (1 + 3 * flags))
    return max(probability, floor)


def selection_reason(
    rng: random.Random,
    *,
    base_rate: float,
    multiplier: Decimal,
    product_risk: float,
    findings: list[dict[str, str]],
    random_rate: float,
    floor: float = 0.0,
) -> str | None:
    """Decide whether a declaration is inspected and why.

    Args:
        rng: The declaration's own stream.
        base_rate: Risk-weighted base probability.
        multiplier: The credit class's risk multiplier.
        product_risk: The product's customs risk factor.
        findings: The declaration's findings (the risk engine sees some of them).
        random_rate: The fixed-ratio random sample.
        floor: The credit class's least inspection rate (dishonest firms: 0.8).

    Returns:
        ``"risk"``, ``"random"`` or ``None`` (released without inspection).
    """
    probability = selection_probability(
        base_rate=base_rate,
        multiplier=multiplier,
        product_risk=product_risk,
        findings=findings,
        floor=floor,
    )
    # Draw both numbers every time so the stream does not depend on the first outcome.
    risk_draw, random_draw = rng.random(), rng.random()
    if risk_draw < probability:
        return "risk"
    if random_draw < random_rate:
        return "random"
    return None


def inspection_penalty(
    findings: list[dict[str, str]], invoice_value_cny: int, rate: Decimal, minimum: int
) -> int:
    """Return the fine (CNY fen) for the mismatches an inspection found, 0 when clean."""
    if not findings:
        return 0
    return max(minimum, apply_rate(invoice_value_cny, rate))
