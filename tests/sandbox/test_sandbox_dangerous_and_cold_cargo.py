"""Rule 7 of issue 17: lithium battery packs as dangerous goods, frozen food in cold chain.

Table tests on the shipped catalogue's rules (UN3480; frozen at -18 °C) in a small
world whose test lanes have fixed freight, so every surcharge is an exact figure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.engine import commands as c
from sandbox.errors import CommandRejected
from sandbox.logistics.handling import booking_terms, lane_refusal, missing_documents
from sandbox.money import apply_rate
from sandbox.scenario import load_scenario
from sandbox.trade.costing import fitting_lanes
from tests.sandbox.special_cargo_world import contract_on, open_rfq, special_market

PAPERS = ("un38_3_summary", "dg_declaration", "packaging_certificate", "sds")


@pytest.fixture(scope="module")
def world():
    return load_scenario("zhengzhou_rail_air")


@pytest.mark.parametrize(
    ("lane_id", "refused"),
    [
        ("EXP-DE", "DG_MODE_REFUSED"),
        ("PST-DE", "DG_MODE_REFUSED"),
        ("AIR-DE", None),
        ("RAIL-DE", None),
        ("FCL-DE", None),
        ("LCL-DE", None),
        ("OWH-DE", None),
    ],
)
def test_lithium_batteries_modes(world, lane_id, refused):
    refusal = lane_refusal(world, world.products["P19"], world.lanes[lane_id])
    assert (refusal.code if refusal else None) == refused
    if refusal:
        assert refusal.field == "lane_id"


@pytest.mark.parametrize(
    ("mode_lane", "papers", "rate", "fee"),
    [
        ("AIR-DE", PAPERS, "0.50", 15000),
        ("FCL-DE", PAPERS, "0.10", 40000),
        ("LCL-DE", PAPERS, "0.20", 15000),
        ("RAIL-DE", (*PAPERS, "rail_dg_approval"), "0.25", 30000),
        ("OWH-DE", (*PAPERS, "rail_dg_approval"), "0.25", 30000),
    ],
)
def test_lithium_battery_papers_and_surcharge_by_mode(world, mode_lane, papers, rate, fee):
    terms = booking_terms(world, world.products["P19"], world.lanes[mode_lane])
    assert tuple(terms["documents"]) == papers
    assert terms["surcharge_rate"] == Decimal(rate) and terms["fee_usd"] == fee
    assert terms["cold_chain"] is False


def test_ordinary_goods_need_no_papers(world):
    terms = booking_terms(world, world.products["P01"], world.lanes["AIR-DE"])
    assert terms["documents"] == [] and terms["fee_usd"] == 0


@pytest.mark.parametrize(
    ("provided", "missing"),
    [
        ((), list(PAPERS)),
        (("sds",), ["un38_3_summary", "dg_declaration", "packaging_certificate"]),
        (PAPERS[:3], ["sds"]),
        (PAPERS, []),
        ((*PAPERS, "extra"), []),
    ],
)
def test_missing_papers_listed_in_order(provided, missing):
    assert missing_documents(list(PAPERS), provided) == missing


def test_frozen_food_modes():
    world = load_scenario("henan_food_belt_road")
    frozen = world.products["P09"]
    by_mode = {}
    for lane in world.lanes.values():
        refusal = lane_refusal(world, frozen, lane)
        by_mode.setdefault(lane.mode, refusal.code if refusal else None)
    assert by_mode["sea_fcl"] is None and by_mode["rail"] is None and by_mode["air"] is None
    for mode in ("sea_lcl", "express"):
        assert by_mode[mode] == "COLD_CHAIN_UNAVAILABLE"
    # The price helper offers only lanes that can carry the goods.
    for lane_id in fitting_lanes(world, "P09", 500, "KZ", "FCA"):
        assert world.lanes[lane_id].mode in ("sea_fcl", "rail", "air")


@pytest.mark.parametrize(
    ("product_id", "lane_id", "code"),
    [
        ("P19", "T-EXP", "DG_MODE_REFUSED"),
        ("P09", "T-EXP", "COLD_CHAIN_UNAVAILABLE"),
        ("P09", "T-LCL", "COLD_CHAIN_UNAVAILABLE"),
    ],
)
def test_quotes_on_a_service_that_refuses_the_goods_are_rejected(
    tmp_path, product_id, lane_id, code
):
    market = special_market(tmp_path)
    rfq_id = open_rfq(market, product_id)
    before = len(list(market.store.read()))
    with pytest.raises(CommandRejected) as error:
        market.execute(c.SubmitQuote("H1", rfq_id, 500, "CPT", "tt", lane_id, 40))
    assert (error.value.code, error.value.field) == (code, "lane_id")
    assert len(list(market.store.read())) == before


@pytest.fixture
def battery_by_air(tmp_path):
    market = special_market(tmp_path)
    return market, contract_on(market, "P19", "T-AIR", "CPT")


@pytest.mark.parametrize(
    "provided",
    [(), ("sds",), PAPERS[:3], ("un38_3_summary", "dg_declaration", "sds")],
)
def test_battery_booking_without_the_papers_is_refused(battery_by_air, provided):
    market, contract = battery_by_air
    before = (len(list(market.store.read())), market.state_hash())
    with pytest.raises(CommandRejected) as error:
        market.execute(c.BookFreight("H1", contract["contract_id"], documents=provided))
    assert (error.value.code, error.value.field) == ("DG_DOCUMENTS_MISSING", "documents")
    for paper in missing_documents(list(PAPERS), provided):
        assert paper in error.value.message
    assert (len(list(market.store.read())), market.state_hash()) == before
    assert contract["freight"] is None


def test_battery_booking_with_the_papers_pays_surcharge_fees_and_waits(battery_by_air):
    market, contract = battery_by_air
    world = market.world
    product = world.products["P19"]
    day = market.state.day
    market.execute(c.BookFreight("H1", contract["contract_id"], documents=PAPERS))
    booking = contract["freight"]
    kg = contract["quantity"] * product.gross_weight_g // 1000
    dry = 500 * max(kg, contract["quantity"] * product.volume_cm3 // 6000)
    assert booking["freight_usd"] == dry + apply_rate(dry, Decimal("0.50")) + 15000
    assert booking["documents"] == list(PAPERS)
    # The papers were prepared while the goods were made (more than four days): no wait.
    assert booking["ship_day"] == day + 1
    # Paper fees (CNY 300 + CNY 800) are paid with the local charges.
    local = booking["freight_cny"]
    assert local >= 30000 + 80000


@pytest.mark.parametrize(("after_order", "wait"), [(0, 5), (2, 3), (5, 0), (9, 0)])
def test_papers_not_ready_push_the_sailing_back(tmp_path, after_order, wait):
    market = special_market(tmp_path)
    contract = contract_on(market, "P19", "T-RAIL", "CPT", wait_goods=False)
    for _ in range(after_order):
        market.step()
    day = market.state.day
    market.execute(
        c.BookFreight("H1", contract["contract_id"], documents=(*PAPERS, "rail_dg_approval"))
    )
    # The railway's acceptance takes five days from the purchase order.
    assert contract["freight"]["ship_day"] == day + 1 + wait


def test_battery_by_rail_needs_the_railway_acceptance(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P19", "T-RAIL", "CPT")
    with pytest.raises(CommandRejected) as error:
        market.execute(c.BookFreight("H1", contract["contract_id"], documents=PAPERS))
    assert error.value.code == "DG_DOCUMENTS_MISSING"
    assert "rail_dg_approval" in error.value.message
    market.execute(
        c.BookFreight("H1", contract["contract_id"], documents=(*PAPERS, "rail_dg_approval"))
    )
    assert contract["freight"]["freight_usd"] == 100000 + 25000 + 30000


def test_frozen_food_needs_a_reefer_and_pays_its_rate(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P09", "T-FCL", "CFR")
    with pytest.raises(CommandRejected) as error:
        market.execute(c.BookFreight("H1", contract["contract_id"]))
    assert (error.value.code, error.value.field) == ("COLD_CHAIN_REQUIRED", "cold_chain")
    market.execute(c.BookFreight("H1", contract["contract_id"], cold_chain=True))
    units = contract["freight"]["units"]
    assert contract["freight"]["cold_chain"] is True
    # Reefer freight: 1.8 x the dry container rate.
    assert contract["freight"]["freight_usd"] == apply_rate(100000 * units, Decimal("1.8"))


def test_frozen_food_by_air_uses_cold_chain_air(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P09", "T-AIR", "CPT")
    market.execute(c.BookFreight("H1", contract["contract_id"], cold_chain=True))
    dry = 500 * contract["freight"]["units"]
    assert contract["freight"]["freight_usd"] == apply_rate(dry, Decimal("1.4"))


def test_dry_goods_book_no_cold_chain(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P01", "T-FCL", "CFR")
    with pytest.raises(CommandRejected) as error:
        market.execute(c.BookFreight("H1", contract["contract_id"], cold_chain=True))
    assert error.value.code == "COLD_CHAIN_NOT_NEEDED"
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    assert contract["freight"]["documents"] == [] and contract["freight"]["cold_chain"] is False


def test_quote_costing_carries_the_special_cargo_rates():
    from sandbox.trade.costing import quote_inputs

    world = load_scenario("zhengzhou_rail_air")
    dry = quote_inputs(world, "P01", "AIR-DE", 100, day=0, usd_rate=710_000_000)
    battery = quote_inputs(world, "P19", "AIR-DE", 100, day=0, usd_rate=710_000_000)
    lane = world.lanes["AIR-DE"]
    mid = (lane.cost[0] + lane.cost[1]) // 2
    kg = 100 * world.products["P19"].gross_weight_g // 1000
    assert battery.main_freight == mid * kg + apply_rate(mid * kg, Decimal("0.50")) + 15000
    assert dry.main_freight == mid * max(
        -(-100 * world.products["P01"].gross_weight_g // 1000),
        -(-100 * world.products["P01"].volume_cm3 // 6000),
    )
    food = load_scenario("henan_food_belt_road")
    lane = food.lanes["FCL-VN"]
    reefer = quote_inputs(food, "P09", "FCL-VN", 500, day=0, usd_rate=710_000_000)
    assert reefer.main_freight == apply_rate((lane.cost[0] + lane.cost[1]) // 2, Decimal("1.8"))


@pytest.mark.parametrize("documents", ["sds", ("sds", 3), None])
def test_papers_of_the_wrong_type_are_refused_on_their_field(battery_by_air, documents):
    market, contract = battery_by_air
    with pytest.raises(CommandRejected) as error:
        market.execute(c.BookFreight("H1", contract["contract_id"], documents=documents))
    assert (error.value.code, error.value.field) == ("FIELD_TYPE", "documents")
    assert contract["freight"] is None
