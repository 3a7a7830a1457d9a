"""Table tests: AED and SAR stay on their US dollar pegs; forward points follow the
CNY-USD interest differential (covered interest parity)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.engine import commands as c
from sandbox.engine.flows import usd_bid
from sandbox.engine.handlers.finance import open_exposure
from sandbox.engine.market import Market
from sandbox.errors import ScenarioError
from sandbox.fx import apply_pegs, forward_terms, next_rates, parity_forward
from sandbox.money import FX_SCALE, to_minor
from sandbox.scenario import World, load_scenario
from sandbox.scenario.fxrules import Peg

PEGS = [("AED", "3.6725"), ("SAR", "3.75")]


@pytest.fixture(scope="module")
def gulf_world() -> World:
    return load_scenario("zhengzhou_rail_air")


@pytest.mark.parametrize(("code", "peg"), PEGS)
def test_the_world_declares_the_peg(gulf_world, code, peg):
    rule = gulf_world.fx_rules.pegs[code]
    assert (rule.anchor, rule.rate) == ("USD", Decimal(peg))
    assert rule.source


@pytest.mark.parametrize(("code", "peg"), PEGS)
def test_pegged_currency_stays_on_its_peg_every_day(gulf_world, code, peg):
    market = Market.open(gulf_world, buyers=20)
    for _ in range(90):
        market.step()
        usd = market.state.fx["USD"]
        assert market.state.fx[code] == to_minor(Decimal(usd) / Decimal(peg))
    # USD itself moved, and the pegged currency moved with it.
    assert market.state.fx["USD"] != gulf_world.currencies["USD"].rate


def test_pegs_do_not_change_the_other_walks(gulf_world):
    rates = {code: cur.rate for code, cur in gulf_world.currencies.items()}
    free = next_rates(rates, gulf_world.currencies, 5, 3)
    pegged = next_rates(rates, gulf_world.currencies, 5, 3, gulf_world.fx_rules.pegs)
    for code in rates:
        if code not in ("AED", "SAR"):
            assert pegged[code] == free[code], code
    assert pegged["AED"] != free["AED"]


def test_peg_arithmetic():
    rates = {"USD": 7 * FX_SCALE, "AED": 1}
    assert apply_pegs(rates, {"AED": Peg("USD", Decimal("3.6725"), "")})["AED"] == 190_605_854


@pytest.mark.parametrize(
    ("pegs", "message"),
    [
        ({"AED": {"to": "XXX", "rate": "3.6725"}}, "anchor"),
        ({"AED": {"to": "SAR", "rate": "1"}, "SAR": {"to": "USD", "rate": "3.75"}}, "anchor"),
        ({"AED": {"to": "USD", "rate": 3.6725}}, "string"),
        ({"AED": {"to": "USD", "rate": "0"}}, "positive"),
    ],
)
def test_bad_pegs_are_refused(gulf_world, pegs, message):
    with pytest.raises(ScenarioError, match=message):
        World.from_dict({**gulf_world.raw, "fx": {"pegs": pegs}})


# --- forward points against the rate differential ------------------------------------------

RATES = {"CNY": Decimal("0.015"), "USD": Decimal("0.043")}


@pytest.mark.parametrize("days", [7, 30, 90, 180])
def test_forward_points_follow_the_rate_differential(days):
    spot = 709_000_000
    terms = forward_terms(spot, days, RATES, -40)
    years = Decimal(days) / 365
    expected = to_minor(Decimal(spot) * (1 + RATES["CNY"] * years) / (1 + RATES["USD"] * years))
    assert terms["outright"] == expected == parity_forward(spot, RATES["CNY"], RATES["USD"], days)
    assert terms["points"] == expected - spot < 0  # CNY rates below USD: forward discount
    assert terms["basis"] == "parity" and terms["rate_differential"] == "-0.0280"
    # The points, annualised, give back the differential (less the compounding term).
    assert abs(Decimal(terms["implied_differential"]) - Decimal("-0.028")) < Decimal("0.0015")


def test_equal_rates_mean_no_points():
    terms = forward_terms(709_000_000, 90, {"CNY": Decimal("0.03"), "USD": Decimal("0.03")}, -40)
    assert terms["points"] == 0 and terms["implied_differential"] == "0.0000"


def test_without_rates_the_fixed_points_apply():
    terms = forward_terms(700_000_000, 100, {}, -40)
    assert terms["basis"] == "fixed_points" and terms["rate_differential"] is None
    assert terms["outright"] == 700_000_000 * (1_000_000 - 4_000) // 1_000_000


def test_bank_books_forwards_at_the_parity_rate(make_market):
    market = make_market(days=30)
    exposed = [f for f in market.state.firms if open_exposure(market, f) >= 10_000]
    assert exposed, "the bots should hold some receivables after 30 days"
    market.execute(c.BookForward(exposed[0], 10_000, 90))
    booked = [e for e in market.store.read() if e.type == "ForwardBooked"][-1]
    expected = forward_terms(usd_bid(market), 90, market.world.fx_rules.interest, -40)
    assert booked.data["rate"] == expected["outright"]


def test_a_jump_in_the_dollar_carries_the_pegs_the_same_day(gulf_world):
    market = Market.open(gulf_world, buyers=20)
    market.step()
    market.execute(c.InjectShock("fx_shock", {"currency": "USD", "percent": 5}))
    market.step()
    usd = market.state.fx["USD"]
    for code, peg in PEGS:
        assert market.state.fx[code] == to_minor(Decimal(usd) / Decimal(peg))


def test_a_jump_aimed_at_a_pegged_currency_breaks_the_peg_for_a_day(gulf_world):
    market = Market.open(gulf_world, buyers=20)
    market.step()
    market.execute(c.InjectShock("fx_shock", {"currency": "AED", "percent": -10}))
    market.step()
    on_peg = to_minor(Decimal(market.state.fx["USD"]) / Decimal("3.6725"))
    assert market.state.fx["AED"] < on_peg
    market.step()
    assert market.state.fx["AED"] == to_minor(Decimal(market.state.fx["USD"]) / Decimal("3.6725"))
