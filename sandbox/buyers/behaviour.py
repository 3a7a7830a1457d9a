"""How buyers compare quotes, pay and complain.

Pure functions of a persona, the world and a seeded ``random.Random``. Probabilities
are floats (they never touch money); prices are integers in USD cents.
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.customs.tax import duty_rate
from sandbox.logistics import MODES
from sandbox.payments import PAYMENT_METHODS
from sandbox.scenario.model import World
from sandbox.trade import INCOTERMS

__all__ = ["choose_quote", "complaint", "landed_unit_cost", "payment_day"]

HABIT_DELAY = {"prompt": (0, 2), "late": (3, 20), "slow": (15, 45)}


def landed_unit_cost(
    world: World, product_id: str, quantity: int, quote: dict[str, Any], market_code: str
) -> int:
    """Estimate the buyer's landed cost per unit in USD cents for a quote.

    Adds what the Incoterm leaves to the buyer: main freight (lane mid-range), cargo
    insurance and import duty. The estimate is what a buyer would work out from public
    freight indexes, not the seller's actual cost.
    """
    product = world.products[product_id]
    lane = world.lanes[quote["lane_id"]]
    term = INCOTERMS[quote["incoterm"]]
    price = quote["unit_price"]
    extra = 0
    if not term.seller_main_carriage:
        mode = MODES[lane.mode]
        units = mode.billing_units(product.gross_weight_g * quantity, product.volume_cm3 * quantity)
        extra += (lane.cost[0] + lane.cost[1]) // 2 * units // max(1, quantity)
    if term.seller_insurance is None:
        extra += price * 3 // 1000
    if term.import_clearance == "buyer":
        duty = duty_rate(world, market_code, product_id)
        extra += int((price + extra) * duty)
    return price + extra


def to_local(usd_cents: int, fx: dict[str, int], currency: str) -> int:
    """Convert USD cents into the buyer's currency minor units at mid rates."""
    return usd_cents * fx["USD"] // fx[currency]


def choose_quote(
    rng: random.Random,
    *,
    world: World,
    buyer: dict[str, Any],
    rfq: dict[str, Any],
    quotes: list[dict[str, Any]],
    firm_scores: dict[str, float],
    fx: dict[str, int],
) -> tuple[str | None, str]:
    """Pick the quote with the highest utility among those within the buyer's reservation.

    Utility weighs landed price in the buyer's currency (by price sensitivity), lead
    time (by impatience), the firm's rating, how well terms fit the buyer's preferences,
    the buyer's memory of the firm, and a little noise.

    Returns:
        ``(quote_id, "")`` for an award, or ``(None, reason)`` when nothing is acceptable.
    """
    persona = buyer["persona"]
    currency = world.markets[buyer["market"]].currency
    # The reservation is in the buyer's currency, fixed when the RFQ was posted, so a
    # weaker local currency at award time prices some quotes out.
    reservation = rfq["reservation"]
    best_id, best_utility = None, None
    too_dear = 0
    for quote in quotes:
        landed = landed_unit_cost(world, rfq["product_id"], rfq["quantity"], quote, buyer["market"])
        landed_local = to_local(landed, fx, currency)
        reservation_local = reservation
        if landed_local > reservation_local:
            too_dear += 1
            continue
        method = PAYMENT_METHODS[quote["payment"]]
        utility = (
            -persona["price_sensitivity"] * landed_local / max(1, reservation_local)
            - (1 - persona["patience"]) * quote["lead_days"] / 60
            + 0.25 * firm_scores.get(quote["firm_id"], 0.5)
            + (0.12 if quote["incoterm"] == persona["preferred_incoterm"] else 0.0)
            + (0.12 if quote["payment"] == persona["preferred_payment"] else 0.0)
            + 0.06 * method.buyer_appeal
            + 0.04 * max(-5, min(5, buyer["memory"].get(quote["firm_id"], 0)))
            + rng.random() * 0.03
        )
        if best_utility is None or utility > best_utility:
            best_id, best_utility = quote["quote_id"], utility
    if best_id is None:
        return None, "no_quotes" if not quotes else "all_above_reservation"
    return best_id, ""


def payment_day(
    rng: random.Random,
    *,
    world: World,
    persona: dict[str, Any],
    method: str,
    due_day: int,
    memory: int,
) -> int | None:
    """Decide when a buyer pays an obligation, or ``None`` for a default.

    Default probability comes from the credit rating, scaled by the method's default
    factor, lowered for firms the buyer likes and raised for dishonest buyers.
    """
    base = float(world.credit["default_probability"][persona["credit_rating"]])
    factor = PAYMENT_METHODS[method].default_factor
    honesty = persona["honesty"]
    probability = base * factor * (1.6 - honesty) * (0.8 if memory > 2 else 1.0)
    low, high = HABIT_DELAY[persona["payment_habit"]]
    defaulted = rng.random() < probability
    delay = rng.randint(low, high)
    return None if defaulted else due_day + delay


def complaint(
    rng: random.Random,
    *,
    world: World,
    persona: dict[str, Any],
    quality: float,
    damaged: bool,
) -> tuple[float, float] | None:
    """Decide whether the buyer opens an after-sales dispute.

    Returns:
        ``(claim_rate, merit)`` — share of the order value claimed and how well founded
        the claim is (0-1) — or ``None`` when the buyer is satisfied.
    """
    gap = max(0.0, persona["quality_expectation"] - quality)
    probability = float(world.events["complaint_base"]) + gap * 0.5 + (0.6 if damaged else 0.0)
    probability *= 1.3 - 0.3 * persona["honesty"]
    opened = rng.random() < probability
    claim = rng.randint(10, 40) / 100
    merit = 1.0 if damaged else round(min(1.0, 0.3 + gap * 2), 3)
    return (claim, merit) if opened else None
