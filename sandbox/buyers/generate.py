"""Generate buyers from the seed: Faker data in the market's locale plus a persona.

Each buyer gets its own Faker seed (``seed_instance(derive_seed(seed, "faker", id))``)
and its own persona stream, so adding buyers never changes existing ones. One Faker
object per locale is reused because building them is slow.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from sandbox.rng import derive_seed, rng_for
from sandbox.scenario.model import World

__all__ = ["generate_buyer"]

PAYMENT_HABITS = ("prompt", "late", "slow")
RATINGS = ("AAA", "AA", "A", "BBB", "BB", "B", "C")


def _unit(rng: Any, low: int, high: int) -> float:
    # Three-decimal values keep JSON short and exactly reproducible.
    return rng.randint(low, high) / 1000


def generate_buyer(world: World, index: int, fakers: dict[str, Faker]) -> dict[str, Any]:
    """Return the ``BuyerJoined`` data of the buyer with 1-based ``index``.

    Args:
        world: The scenario world.
        index: Buyer number; markets are assigned round-robin in scenario order.
        fakers: Cache of Faker objects by locale (filled on demand).

    Returns:
        Event data: id, market, company, contact, city, language and persona.
    """
    buyer_id = f"B{index:06d}"
    codes = list(world.markets)
    market = world.markets[codes[(index - 1) % len(codes)]]
    faker = fakers.get(market.locale)
    if faker is None:
        faker = fakers[market.locale] = Faker(market.locale)
    faker.seed_instance(derive_seed(world.seed, "faker", buyer_id))
    company = faker.company()
    contact = faker.name()
    city = faker.city()
    rng = rng_for(world.seed, "buyer", buyer_id)
    weights = world.credit["rating_weights"][market.risk]
    rating = rng.choices(RATINGS, weights=[int(weights[r]) for r in RATINGS])[0]
    honesty_floor = {"low": 600, "medium": 400, "high": 200}[market.risk]
    products = sorted(world.products)
    interests = sorted(rng.sample(products, k=min(3, len(products))))
    budget_low, budget_high = world.money["buyer_budget_usd"]
    persona = {
        "price_sensitivity": _unit(rng, 300, 1000),
        "quality_expectation": _unit(rng, 400, 950),
        "patience": _unit(rng, 100, 1000),
        "honesty": _unit(rng, honesty_floor, 1000),
        "payment_habit": rng.choices(PAYMENT_HABITS, weights=[6, 3, 1])[0],
        "credit_rating": rating,
        "preferred_incoterm": rng.choice(market.preferred_incoterms),
        "preferred_payment": rng.choice(market.preferred_payments),
        "interests": interests,
        "order_scale": rng.randint(2, 10),
        "activity": _unit(rng, 500, 1500),
        "budget": rng.randint(int(budget_low), int(budget_high)),
    }
    return {
        "buyer_id": buyer_id,
        "market": market.code,
        "company": company,
        "contact": contact,
        "city": city,
        "language": market.language,
        "persona": persona,
    }
