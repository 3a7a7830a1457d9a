"""How buyers compare offers: reservations, the burden of terms, and the award itself."""

from __future__ import annotations

import random
from statistics import mean

import pytest

from sandbox.buyers.behaviour import (
    RESERVATION_CENTRE,
    choose_quote,
    delivery_burden,
    landed_unit_cost,
    offer_burden,
    reservation_multiplier,
    to_local,
)
from sandbox.engine.market import Market
from sandbox.rng import rng_for

PERSONA = {"preferred_incoterm": "FOB", "preferred_payment": "tt", "patience": 1.0}


def offer(**changes) -> dict:
    return {"incoterm": "FOB", "payment": "tt", "lead_days": 0, **changes}


@pytest.mark.parametrize(
    ("quote", "firm_score", "memory", "expected"),
    [
        (offer(), 0.5, 0, 0),  # what was asked, an average supplier: nothing added
        (offer(incoterm="CIF"), 0.5, 0, 200),  # another rule: +2 %
        (offer(incoterm="FCA"), 0.5, 0, 0),  # FOB's any-mode twin splits costs the same way
        (offer(payment="lc"), 0.5, 0, 100 + 240),  # a method the buyer likes little (appeal 0.2)
        (offer(payment="open_account"), 0.5, 0, 100),  # the buyer's favourite cash flow
        (offer(), 1.0, 0, -300),  # five stars and a full listing: -3 %
        (offer(), 0.0, 0, 300),
        (offer(), 0.5, 3, -300),  # the buyer remembers good service
        (offer(), 0.5, -9, 500),  # memory counts at most five points
    ],
)
def test_offer_burden_turns_terms_and_record_into_a_share_of_price(
    quote, firm_score, memory, expected
):
    burden = offer_burden(
        quote, persona=PERSONA, firm_score=firm_score, memory=memory, transit_days=0
    )
    assert burden == expected


@pytest.mark.parametrize(
    ("days", "patience", "expected"), [(10, 1.0, 30), (10, 0.0, 300), (40, 0.5, 660)]
)
def test_the_wait_costs_an_impatient_buyer_more(days, patience, expected):
    assert delivery_burden(days, patience) == expected


def test_delivery_burden_counts_lead_time_and_transit_alike():
    persona = {**PERSONA, "patience": 0.5}
    slow = offer_burden(
        offer(lead_days=30), persona=persona, firm_score=0.5, memory=0, transit_days=40
    )
    fast = offer_burden(
        offer(lead_days=30), persona=persona, firm_score=0.5, memory=0, transit_days=17
    )
    assert (slow, fast) == (delivery_burden(70, 0.5), delivery_burden(47, 0.5))
    assert slow > fast


def test_reservations_scatter_around_the_market_price_and_sit_lower_for_price_hunters():
    rng = random.Random(5)
    careless = [reservation_multiplier(rng, 0.3) for _ in range(3000)]
    hunters = [reservation_multiplier(rng, 1.0) for _ in range(3000)]
    low, high = RESERVATION_CENTRE
    assert mean(hunters) == pytest.approx(low, abs=6)
    assert mean(careless) == pytest.approx(high - (high - low) * 0.3, abs=6)
    assert min(careless + hunters) >= 500 and max(careless) - min(careless) > 300
    again = random.Random(5)
    assert [reservation_multiplier(again, 0.3) for _ in range(3000)] == careless


@pytest.fixture(scope="module")
def german_buyer(exam_world):
    market = Market.open(exam_world, buyers=8)
    buyer = dict(market.state.buyers["B000005"])  # DE, asks FOB and open account
    buyer["memory"] = {}
    return market, buyer


def _setup(german_buyer, reservation_at_price: int, quotes: list[dict]):
    market, buyer = german_buyer
    world = market.world
    rfq = {"product_id": "P05", "quantity": 1000, "reservation": 0}
    reference = {"unit_price": reservation_at_price, "lane_id": "FCL-DE", "incoterm": "FOB"}
    landed = landed_unit_cost(world, "P05", 1000, reference, "DE")
    rfq["reservation"] = to_local(landed, market.state.fx, "EUR")
    full = [
        {
            "quote_id": f"Q{index}",
            "firm_id": f"F00{index}",
            "incoterm": "FOB",
            "payment": "open_account",
            "lane_id": "FCL-DE",
            "lead_days": 20,
            **quote,
        }
        for index, quote in enumerate(quotes, start=1)
    ]
    return world, buyer, rfq, full


def _award(german_buyer, reservation_at_price: int, quotes: list[dict], seed: int = 1):
    world, buyer, rfq, full = _setup(german_buyer, reservation_at_price, quotes)
    market = german_buyer[0]
    return choose_quote(
        rng_for(seed, "award", "test"),
        world=world,
        buyer=buyer,
        rfq=rfq,
        quotes=full,
        firm_scores={},
        fx=market.state.fx,
    )


def test_no_offer_or_only_dear_ones_lapse(german_buyer):
    assert _award(german_buyer, 4000, []) == (None, "no_quotes")
    assert _award(german_buyer, 4000, [{"unit_price": 4800}]) == (None, "all_above_reservation")


def test_a_lone_offer_wins_only_within_the_reservation(german_buyer):
    # The wait of 20 days plus 32 at sea weighs on the offer: at the reservation's own
    # price it is refused, well below it the lone firm wins.
    assert _award(german_buyer, 4000, [{"unit_price": 4000}])[0] is None
    assert _award(german_buyer, 4000, [{"unit_price": 3000}]) == ("Q1", "")


@pytest.mark.parametrize("seed", range(8))
def test_the_cheaper_offer_wins_whatever_the_noise(german_buyer, seed):
    quotes = [{"unit_price": 3000}, {"unit_price": 2700}]
    assert _award(german_buyer, 4000, quotes, seed) == ("Q2", "")


@pytest.mark.parametrize("seed", range(8))
def test_at_the_same_price_the_asked_payment_beats_a_credit(german_buyer, seed):
    quotes = [{"unit_price": 3000, "payment": "lc"}, {"unit_price": 3000}]
    assert _award(german_buyer, 4000, quotes, seed) == ("Q2", "")
