"""Injected events: each kind has an effect the events show, bad parameters are
rejected, and a run with shocks replays to the same hash with balanced books."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.handlers import freight_costs
from sandbox.engine.market import Market, replay
from sandbox.errors import CommandRejected
from sandbox.fx import next_rates
from sandbox.scenario import load_scenario, scenario_dir

SCENARIO = """
name = "shocks"
seed = 23
start_date = "2026-03-02"
world = "{catalogue}"
markets = ["DE"]
products = ["P01"]

[[extra_lanes]]
id = "TEST-RAIL"
carrier = "CRE"
mode = "rail"
origin = "CNCGO"
market = "DE"
destination = "Hamburg"
basis = "container40"
cost = [100000, 100000]
days = [10, 10]
delay_probability = 0.0
delay_days = [0, 0]
damage_probability = 0.0
loss_probability = 0.0

[[extra_lanes]]
id = "TEST-SEA"
carrier = "SEA"
mode = "sea_fcl"
origin = "CNTAO"
market = "DE"
destination = "Hamburg"
basis = "container40"
cost = [100000, 100000]
days = [20, 20]
delay_probability = 0.0
delay_days = [0, 0]
damage_probability = 0.0
loss_probability = 0.0

[overrides.events]
buyer_rfq_per_day = 0.3
buyer_inquiry_per_day = 0.0
complaint_base = 0.0

[overrides.customs]
base_risk_rate = 0.0
random_sample_rate = 0.0

[overrides.credit.default_probability]
AAA = 0.0

[overrides.credit.rating_weights.low]
AAA = 1
AA = 0
A = 0
BBB = 0
BB = 0
B = 0
C = 0
"""


def shock_market(tmp_path: Path) -> Market:
    path = tmp_path / "shocks.toml"
    catalogue = (scenario_dir() / "_henan_world.toml").as_posix()
    path.write_text(SCENARIO.format(catalogue=catalogue))
    market = Market.open(load_scenario(str(path)), buyers=40)
    market.execute(c.RegisterFirm("H1", "Student firm", ("P01",)))
    return market


def inject(market: Market, kind: str, /, **params) -> dict:
    events = market.execute(c.InjectShock(kind, params))
    assert events[0].type == "ShockInjected"
    return events[0].data


def sign_contract(market: Market, lane_id: str, incoterm: str, payment: str = "tt") -> dict:
    quoted: set[str] = set()
    for _ in range(60):
        for rfq_id in list(market.state.open_rfqs_by_product.get("P01", {})):
            if rfq_id not in quoted and len(quoted) < 15:
                market.execute(c.SubmitQuote("H1", rfq_id, 500, incoterm, payment, lane_id, 40))
                quoted.add(rfq_id)
        market.step()
        if market.state.contracts:
            return next(iter(market.state.contracts.values()))
    raise AssertionError("no contract signed")


def goods_in(market: Market, contract: dict) -> None:
    market.execute(c.PlacePurchaseOrder("H1", contract["contract_id"], "S01"))
    while market.state.purchase_orders[contract["po_id"]]["status"] == "ordered":
        market.step()


def book_and_declare(market: Market, contract: dict) -> dict:
    events = market.execute(c.BookFreight("H1", contract["contract_id"]))
    market.execute(c.FileDeclaration("H1", contract["contract_id"], expected_for(market, contract)))
    return next(e for e in events if e.type == "FreightBooked").data


def departure(market: Market, contract: dict, days: int = 60) -> dict:
    for _ in range(days):
        for event in market.step():
            if (
                event.type == "ShipmentDeparted"
                and event.data["contract_id"] == contract["contract_id"]
            ):
                return event.data
    raise AssertionError("never departed")


def events_of(market: Market, type_: str) -> list[dict]:
    return [e.data for e in market.store.read() if e.type == type_]


def check_books(market: Market) -> None:
    assert market.money_created() == 0
    assert market.trial_balance_ok()
    assert replay(market.store.read()).state_hash() == market.state_hash()


# --- port strike --------------------------------------------------------------------


def test_a_port_strike_delays_cargo_booked_before_it(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-SEA", "FOB")
    goods_in(market, contract)
    booking = book_and_declare(market, contract)
    assert booking["ship_day"] == market.state.day + 1
    shock = inject(market, "port_strike", port="CNTAO", delay_days=5, duration_days=30)
    assert shock["end_day"] == shock["start_day"] + 29
    departed = departure(market, contract)
    assert departed["delay_days"] == 5
    assert departed["arrival_day"] == contract["departed_day"] + 20 + 5
    check_books(market)


def test_bookings_during_a_port_strike_sail_later_and_are_not_delayed_twice(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-SEA", "FOB")
    goods_in(market, contract)
    inject(market, "port_strike", port="CNTAO", delay_days=5, duration_days=30)
    booking = book_and_declare(market, contract)
    assert booking["ship_day"] == market.state.day + 1 + 5
    departed = departure(market, contract)
    assert contract["departed_day"] == booking["ship_day"]
    assert departed["delay_days"] == 0
    check_books(market)


def test_a_port_strike_leaves_rail_and_other_ports_alone(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-RAIL", "FCA")
    goods_in(market, contract)
    inject(market, "port_strike", port="CNTAO", delay_days=5, duration_days=30)
    booking = book_and_declare(market, contract)
    assert booking["ship_day"] == market.state.day + 1
    assert departure(market, contract)["delay_days"] == 0


# --- rail corridor disruption ----------------------------------------------------------


def test_a_rail_disruption_adds_days_and_freight(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-RAIL", "CPT")
    goods_in(market, contract)
    normal = freight_costs(market, contract, False)
    inject(market, "rail_disruption", market="DE", delay_days=6, percent=40, duration_days=30)
    booking = book_and_declare(market, contract)
    surcharged = (normal["freight"] * 140 + 50) // 100
    assert booking["freight_cny"] == surcharged + normal["local"]
    departed = departure(market, contract)
    assert departed["delay_days"] == 6
    assert departed["arrival_day"] == contract["departed_day"] + 10 + 6
    check_books(market)


def test_a_rail_disruption_ends_on_its_last_day(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-RAIL", "CPT")
    goods_in(market, contract)
    base = freight_costs(market, contract, False)["freight"]
    inject(market, "rail_disruption", market="", delay_days=6, percent=40, duration_days=1)
    assert freight_costs(market, contract, False)["freight"] == (base * 140 + 50) // 100
    market.step()
    normal = freight_costs(market, contract, False)
    booking = book_and_declare(market, contract)
    assert booking["freight_cny"] == normal["freight"] + normal["local"]
    assert departure(market, contract)["delay_days"] == 0


# --- FX shock ---------------------------------------------------------------------------


def test_an_fx_shock_jumps_the_next_fixing_then_the_walk_goes_on(tmp_path):
    market, twin = shock_market(tmp_path), shock_market(tmp_path)
    inject(market, "fx_shock", currency="EUR", percent=-12)
    fixed = next(e for e in market.step() if e.type == "FxRatesSet").data["rates"]
    plain = next(e for e in twin.step() if e.type == "FxRatesSet").data["rates"]
    assert fixed["EUR"] == (plain["EUR"] * 88 + 50) // 100
    assert fixed["USD"] == plain["USD"]
    day = market.state.day
    expected = next_rates(fixed, market.world.currencies, market.state.seed, day)
    after = next(e for e in market.step() if e.type == "FxRatesSet").data["rates"]
    assert after == expected
    assert (
        after["EUR"] < next(e for e in twin.step() if e.type == "FxRatesSet").data["rates"]["EUR"]
    )


# --- customs crackdown --------------------------------------------------------------------


@pytest.mark.parametrize("crackdown", [True, False])
def test_a_customs_crackdown_raises_inspection_of_the_product(tmp_path, crackdown):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-RAIL", "FCA")
    goods_in(market, contract)
    if crackdown:
        inject(market, "customs_crackdown", product_id="P01", percent=100, duration_days=10)
    book_and_declare(market, contract)
    market.step()
    ordered = events_of(market, "InspectionOrdered")
    if crackdown:
        assert [o["reason"] for o in ordered] == ["crackdown"]
        assert contract["declaration"]["status"] == "inspecting"
    else:
        assert ordered == [] and contract["declaration"]["status"] == "released"
    check_books(market)


# --- buyer bankruptcy ----------------------------------------------------------------------


def test_a_bankrupt_buyer_defaults_at_once_and_the_insurer_pays(tmp_path):
    market = shock_market(tmp_path)
    contract = sign_contract(market, "TEST-RAIL", "FCA", "open_account")
    market.execute(c.InsureBuyerCredit("H1", contract["buyer_id"]))
    goods_in(market, contract)
    book_and_declare(market, contract)
    departure(market, contract)
    while not contract["receivables"]:
        market.step()
    assert contract["receivables"][0]["status"] == "open"
    events = market.execute(c.InjectShock("buyer_bankruptcy", {"buyer_id": contract["buyer_id"]}))
    types = [e.type for e in events]
    assert "ReceivableDefaulted" in types and "CreditClaimPaid" in types
    assert contract["receivables"][0]["status"] == "defaulted"
    assert contract["written_off"] > 0 and contract["status"] == "completed"
    ledger = market.state.ledger
    assert ledger.balance("firm:H1", "impairment_loss") == contract["written_off"]
    with pytest.raises(CommandRejected) as refused:
        market.execute(c.InjectShock("buyer_bankruptcy", {"buyer_id": contract["buyer_id"]}))
    assert refused.value.code == "SHOCK_BUYER_BANKRUPT"
    check_books(market)


def test_a_bankrupt_buyer_lapses_its_rfq_and_posts_no_more(tmp_path):
    market = shock_market(tmp_path)
    while not any(b["open_rfq"] for b in market.state.buyers.values()):
        market.step()
    buyer = next(b for b in market.state.buyers.values() if b["open_rfq"])
    rfq_id = buyer["open_rfq"]
    events = market.execute(c.InjectShock("buyer_bankruptcy", {"buyer_id": buyer["buyer_id"]}))
    assert [(e.type, e.data.get("reason")) for e in events[1:]] == [("RfqLapsed", "buyer_bankrupt")]
    assert market.state.rfqs[rfq_id]["status"] == "lapsed"
    with pytest.raises(CommandRejected) as refused:
        market.execute(c.InsureBuyerCredit("H1", buyer["buyer_id"]))
    assert refused.value.code == "CREDIT_INSURANCE_REFUSED"
    posted_before = len(events_of(market, "RfqPosted"))
    for _ in range(30):
        market.step()
    posted = events_of(market, "RfqPosted")
    assert len(posted) > posted_before  # others still buy
    assert all(r["buyer_id"] != buyer["buyer_id"] for r in posted[posted_before:])
    check_books(market)


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "code", "field"),
    [
        ("meteor", {}, "SHOCK_KIND_UNKNOWN", "kind"),
        (
            "port_strike",
            {"port": "USNYC", "delay_days": 3, "duration_days": 5},
            "SHOCK_PORT_UNKNOWN",
            "port",
        ),
        (
            "port_strike",
            {"port": "CNCGO", "delay_days": 3, "duration_days": 5},
            "SHOCK_PORT_UNKNOWN",
            "port",
        ),
        (
            "port_strike",
            {"port": "CNTAO", "delay_days": 0, "duration_days": 5},
            "SHOCK_VALUE_OUT_OF_RANGE",
            "delay_days",
        ),
        (
            "port_strike",
            {"port": "CNTAO", "delay_days": 3, "duration_days": 91},
            "SHOCK_VALUE_OUT_OF_RANGE",
            "duration_days",
        ),
        (
            "port_strike",
            {"port": "CNTAO", "delay_days": "3", "duration_days": 5},
            "FIELD_TYPE",
            "delay_days",
        ),
        ("port_strike", {"port": "CNTAO", "duration_days": 5}, "FIELD_MISSING", "delay_days"),
        (
            "port_strike",
            {"port": "CNTAO", "delay_days": 3, "duration_days": 5, "x": 1},
            "FIELD_UNKNOWN",
            "x",
        ),
        (
            "rail_disruption",
            {"market": "VN", "delay_days": 3, "percent": 10, "duration_days": 5},
            "SHOCK_MARKET_UNKNOWN",
            "market",
        ),
        (
            "rail_disruption",
            {"delay_days": 3, "percent": 301, "duration_days": 5},
            "SHOCK_VALUE_OUT_OF_RANGE",
            "percent",
        ),
        ("fx_shock", {"currency": "XYZ", "percent": 5}, "SHOCK_CURRENCY_UNKNOWN", "currency"),
        ("fx_shock", {"currency": "EUR", "percent": 0}, "SHOCK_VALUE_OUT_OF_RANGE", "percent"),
        ("fx_shock", {"currency": "EUR", "percent": -51}, "SHOCK_VALUE_OUT_OF_RANGE", "percent"),
        (
            "customs_crackdown",
            {"product_id": "P99", "percent": 50, "duration_days": 5},
            "PRODUCT_UNKNOWN",
            "product_id",
        ),
        (
            "customs_crackdown",
            {"product_id": "P01", "percent": 101, "duration_days": 5},
            "SHOCK_VALUE_OUT_OF_RANGE",
            "percent",
        ),
        ("buyer_bankruptcy", {"buyer_id": "nobody"}, "BUYER_NOT_FOUND", "buyer_id"),
        ("buyer_bankruptcy", {}, "FIELD_MISSING", "buyer_id"),
    ],
)
def test_bad_parameters_are_rejected_and_change_nothing(tmp_path, kind, params, code, field):
    market = shock_market(tmp_path)
    before = market.state_hash()
    with pytest.raises(CommandRejected) as rejected:
        market.execute(c.InjectShock(kind, params))
    assert (rejected.value.code, rejected.value.field) == (code, field)
    assert market.state_hash() == before


def test_inject_shock_builds_from_json():
    command = c.command_from_dict(
        {"command": "InjectShock", "kind": "fx_shock", "params": {"currency": "EUR", "percent": 5}}
    )
    assert command == c.InjectShock("fx_shock", {"currency": "EUR", "percent": 5})


# --- replay and hashes -------------------------------------------------------------------------


def test_a_run_with_every_kind_of_shock_replays_to_the_same_hash(make_market):
    market = make_market(days=5)
    buyer_id = market.state.buyer_ids[0]
    inject(market, "port_strike", port="CNTAO", delay_days=4, duration_days=20)
    inject(market, "rail_disruption", market="DE", delay_days=5, percent=30, duration_days=20)
    inject(market, "fx_shock", currency="USD", percent=-8)
    inject(market, "customs_crackdown", product_id="P01", percent=60, duration_days=20)
    inject(market, "buyer_bankruptcy", buyer_id=buyer_id)
    from sandbox.bots import run_bots

    for _ in range(40):
        run_bots(market)
        market.step()
    assert market.money_created() == 0 and market.trial_balance_ok()
    events = list(market.store.read())
    assert replay(events).state_hash() == market.state_hash()
    middle = events[len(events) // 2].seq
    snap = replay([e for e in events if e.seq <= middle]).snapshot()
    assert replay(events, snapshot=snap).state_hash() == market.state_hash()
    assert len(market.state.shocks) == 5


def test_markets_without_shocks_hash_as_before(make_market):
    market = make_market(days=3)
    assert "shocks" not in market.state.canonical()
    inject(market, "fx_shock", currency="USD", percent=3)
    assert "shocks" in market.state.canonical()
