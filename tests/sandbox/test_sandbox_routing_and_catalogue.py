"""Calibration bullets of issue 17 in hc's lane: sea transit times with the Cape of Good
Hope diversion dated in the scenario, and catalogue prices that follow rebate cuts and
market prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.logistics.handling import diversion_on
from sandbox.money import FX_SCALE, apply_rate
from sandbox.scenario import load_scenario
from sandbox.trade.catalogue import catalogue_price
from tests.sandbox.special_cargo_world import contract_on, special_market

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def world():
    return load_scenario("zhengzhou_rail_air")


@pytest.mark.parametrize(
    ("lane_id", "day", "extra"),
    [
        ("FCL-DE", "2026-03-02", (10, 14, "Cape of Good Hope")),
        ("FCL-NL", "2024-06-01", (10, 14, "Cape of Good Hope")),
        ("FCL-GB", "2023-12-18", (10, 14, "Cape of Good Hope")),  # first day of the diversion
        ("FCL-GB", "2023-12-17", None),  # the day before: through Suez
        ("FCL-TR", "2026-03-02", (14, 18, "Cape of Good Hope")),
        ("RAIL-DE", "2026-03-02", None),  # overland: no diversion
        ("AIR-DE", "2026-03-02", None),
    ],
)
def test_diversion_by_lane_and_date(world, lane_id, day, extra):
    assert diversion_on(world, world.lanes[lane_id], D(day)) == extra


def test_asian_sea_lanes_keep_their_direct_route():
    world = load_scenario("henan_food_belt_road")
    for lane_id in ("FCL-VN", "FCL-ID", "FCL-AE", "LCL-TH"):
        assert diversion_on(world, world.lanes[lane_id], D("2026-03-02")) is None


def test_every_routing_names_real_sea_lanes_and_dates():
    world = load_scenario("zhengzhou_rail_air")
    raw = load_scenario("henan_food_belt_road").logistics["routings"]
    assert raw and all(r["via"] == "Cape of Good Hope" and r["from"] for r in raw)
    for routing in world.logistics["routings"]:
        for lane_id in routing["lanes"]:
            lane = world.lanes.get(lane_id)
            assert lane is None or lane.mode in ("sea_fcl", "sea_lcl")


def test_a_diversion_ending_restores_the_direct_route(tmp_path):
    world = load_scenario("zhengzhou_rail_air")
    routing = {**world.logistics["routings"][0], "until": "2026-05-01"}
    logistics = {**world.logistics, "routings": [routing]}
    lane = world.lanes["FCL-DE"]

    class Shim:
        pass

    shim = Shim()
    shim.logistics = logistics
    assert diversion_on(shim, lane, D("2026-04-30")) is not None
    assert diversion_on(shim, lane, D("2026-05-01")) is None


def test_departure_adds_the_diversion_to_the_sealed_arrival(tmp_path):
    market = special_market(tmp_path)
    world = market.world
    # Route the test sea lane round the Cape as the shipped European lanes are.
    world.logistics["routings"].append(
        {
            "via": "Cape of Good Hope",
            "from": "2023-12-18",
            "lanes": ["T-FCL"],
            "extra_days": [12, 12],
        }
    )
    contract = contract_on(market, "P01", "T-FCL", "FOB")
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    market.execute(c.FileDeclaration("H1", contract["contract_id"], expected_for(market, contract)))
    while contract["departed_day"] is None:
        market.step()
    # The test lane takes exactly 20 days with no delay: 20 + 12 round the Cape.
    card = next(
        k
        for k in market.firm_view("H1")["contracts"]
        if k["contract_id"] == contract["contract_id"]
    )
    assert card["expected_arrival"] == [contract["departed_day"] + 32] * 2
    events = [e for e in market.store.read() if e.type == "ShipmentDeparted"]
    assert events[-1].data["arrival_day"] == contract["departed_day"] + 32


def _usd(world, cny_fen: int) -> int:
    return cny_fen * FX_SCALE // world.currencies["USD"].rate


@pytest.mark.parametrize(
    ("day", "cut"),
    [
        ("2024-11-30", "0.00"),  # 13 % rebate, as when the price was observed
        ("2024-12-01", "0.04"),  # 13 -> 9 %
        ("2026-03-31", "0.04"),  # 15 months later the cut is still priced in
        ("2026-04-01", "0.13"),  # 9 -> 0 %
    ],
)
def test_photovoltaic_price_passes_the_rebate_cuts_on(world, day, cut):
    product = world.products["P18"]
    extra = _usd(world, apply_rate(product.unit_cost, Decimal(cut)))
    assert catalogue_price(world, product, D(day)) == product.market_price + extra


def test_battery_price_follows_each_cut(world):
    product = world.products["P19"]
    prices = [
        catalogue_price(world, product, D(day))
        for day in ("2024-01-01", "2024-12-01", "2026-04-01", "2027-01-01")
    ]
    assert prices == sorted(prices) and len(set(prices)) == 4


def test_product_without_cuts_keeps_its_price(world):
    product = world.products["P01"]
    assert catalogue_price(world, product, D("2026-06-01")) == product.market_price


def test_dated_market_price_takes_over_from_its_date():
    world = load_scenario("henan_food_belt_road")
    garlic = world.products["P04"]
    assert catalogue_price(world, garlic, D("2026-05-31")) == garlic.market_price
    assert catalogue_price(world, garlic, D("2026-06-01")) == 950


@pytest.mark.parametrize(
    "scenario", ["exam_standard", "henan_food_belt_road", "zhengzhou_rail_air"]
)
def test_every_product_has_its_chinese_goods_name(scenario):
    # The export declaration is filed in Chinese (issue 18 §5): the labs form pre-fills it.
    for product in load_scenario(scenario).products.values():
        assert product.name_zh and any("\u4e00" <= ch <= "\u9fff" for ch in product.name_zh)
