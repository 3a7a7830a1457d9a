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

__all__ = [
    "REFERENCE_LEAD_DAYS",
    "choose_quote",
    "complaint",
    "delivery_burden",
    "landed_unit_cost",
    "offer_burden",
    "payment_day",
    "reservation_multiplier",
]

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


#: Spread of reservation prices around the reference landed cost, in thousandths: the sum
#: of four uniform draws on [-RESERVATION_SPREAD, RESERVATION_SPREAD] (sd about 1.15 x it).
RESERVATION_SPREAD = 70
#: Centre of the reservation multiplier for the most and the least price-sensitive buyer
#: (thousandths of the landed cost at the catalogue's market price, with the wait of a
#: ``REFERENCE_LEAD_DAYS`` promise on the lane that is cheapest all told). Calibrated so
#: an offer at the market price clears a buyer's reservation about a third of the time.
RESERVATION_CENTRE = (910, 990)
#: Sea-only rules and the any-mode rule that splits costs and risk the same way for a
#: buyer: a rail or air offer answers an FOB request with FCA.
ANY_MODE_TWIN = {"FAS": "FCA", "FOB": "FCA", "CFR": "CPT", "CIF": "CIP"}
#: The production lead time a buyer expects when it sets its reservation.
REFERENCE_LEAD_DAYS = 30


def reservation_multiplier(rng: random.Random, price_sensitivity: float) -> int:
    """Draw the multiplier (thousandths) a buyer applies to the reference landed cost.

    Reservations scatter around the market price (an Irwin-Hall draw, integers only, so
    runs are bit-identical everywhere): most buyers will not pay the catalogue price
    landed, some will pay more. Price-sensitive buyers sit lower.
    """
    low, high = RESERVATION_CENTRE
    centre = high - int((high - low) * price_sensitivity)
    spread = sum(rng.randint(-RESERVATION_SPREAD, RESERVATION_SPREAD) for _ in range(4))
    return max(500, centre + spread)


def delivery_burden(days: int, patience: float) -> int:
    """Return what waiting ``days`` for the goods costs a buyer, in ten-thousandths.

    Money tied up in goods on the way and sales not made while waiting: 0.03 % a day
    for the most patient buyer, up to 0.30 % a day for the least patient one. It makes
    a faster lane worth some freight (rail against sea, air against rail).
    """
    return int((3 + 27 * (1 - patience)) * days)


def offer_burden(
    quote: dict[str, Any],
    *,
    persona: dict[str, Any],
    firm_score: float,
    memory: int,
    transit_days: int,
) -> int:
    """Return what an offer's terms and supplier add to its landed price, in ten-thousandths.

    The buyer turns everything that is not price into a share of the landed price, so
    offers compare on one figure: an Incoterm other than the one asked (the buyer must
    arrange or accept what it did not plan, +2 %; the any-mode twin of a sea rule, FCA
    for FOB or CIP for CIF, splits costs the same way and costs nothing), a payment method other than the one
    asked (up to +4 % as the method suits the buyer less), the wait for the goods (the
    quoted lead time plus the lane's transit, ``delivery_burden``), the supplier's record
    (stars and listing, +-3 %) and the buyer's memory of the firm (answers, on-time
    deliveries, disputes: -1 % a point, capped at 5 points either way). Negative values
    make an offer look cheaper.
    """
    method = PAYMENT_METHODS[quote["payment"]]
    burden = delivery_burden(quote["lead_days"] + transit_days, persona["patience"])
    asked = persona["preferred_incoterm"]
    if quote["incoterm"] != asked and quote["incoterm"] != ANY_MODE_TWIN.get(asked):
        burden += 200
    if quote["payment"] != persona["preferred_payment"]:
        burden += 100 + int(300 * (1 - method.buyer_appeal))
    burden += int((0.5 - firm_score) * 600)
    burden -= 100 * max(-5, min(5, memory))
    return burden


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
    """Pick the offer with the lowest effective cost among those within the reservation.

    Each offer's landed price in the buyer's currency is raised (or lowered) by its
    ``offer_burden`` (terms, payment, lead time, supplier record) and a little judgement
    noise (+-1.5 %). The reservation was fixed in the buyer's currency when the RFQ was
    posted, so a weaker local currency at award time prices some offers out. A firm
    alone on an RFQ wins only when its offer clears the reservation.

    Returns:
        ``(quote_id, "")`` for an award, or ``(None, reason)`` when nothing is acceptable.
    """
    persona = buyer["persona"]
    currency = world.markets[buyer["market"]].currency
    reservation = rfq["reservation"]
    best_id, best_cost = None, None
    for quote in quotes:
        landed = landed_unit_cost(world, rfq["product_id"], rfq["quantity"], quote, buyer["market"])
        landed_local = to_local(landed, fx, currency)
        burden = offer_burden(
            quote,
            persona=persona,
            firm_score=firm_scores.get(quote["firm_id"], 0.5),
            memory=buyer["memory"].get(quote["firm_id"], 0),
            transit_days=sum(world.lanes[quote["lane_id"]].days) // 2,
        )
        # Drawn for every offer, in quote order, so one offer never shifts another's noise.
        burden += rng.randint(-150, 150)
        effective = landed_local * (10_000 + burden) // 10_000
        if effective > reservation:
            continue
        if best_cost is None or effective < best_cost:
            best_id, best_cost = quote["quote_id"], effective
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
