"""Shipped scenarios: world size, data hygiene, and the 120-day acceptance run."""

from __future__ import annotations

import pytest

from sandbox.bots import register_bot_firms, run_bots
from sandbox.engine.market import Market, replay
from sandbox.errors import ScenarioError
from sandbox.scenario import list_scenarios, load_scenario
from sandbox.scenario.loader import resolve_scenario

SHIPPED = ["zhengzhou_rail_air", "henan_food_belt_road", "exam_standard"]


def test_world_catalogue_size():
    world = load_scenario("zhengzhou_rail_air")
    assert len(world.markets) >= 12
    food = load_scenario("henan_food_belt_road")
    assert len(food.markets) >= 12
    assert len(set(world.products) | set(food.products)) >= 30
    modes = {lane.mode for lane in world.lanes.values()} | {
        lane.mode for lane in food.lanes.values()
    }
    assert modes == {"sea_fcl", "sea_lcl", "rail", "air", "express", "postal", "warehouse"}
    assert all(s.city for s in world.suppliers.values())


def test_scenarios_are_listed():
    assert sorted(item["name"] for item in list_scenarios()) == sorted(SHIPPED)


@pytest.mark.parametrize("name", ["no_such", "_henan_world", "../x"])
def test_unknown_scenarios_are_refused(name):
    with pytest.raises(ScenarioError):
        resolve_scenario(name)


def test_bad_scenario_file_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nseed = 1\nstart_date = "2026-01-01"\n[population]\nfirms = 1\n')
    with pytest.raises(ScenarioError):
        load_scenario(str(path))


@pytest.mark.parametrize("name", SHIPPED)
def test_120_days_with_bots_conserves_money_and_replays(name):
    world = load_scenario(name)
    market = Market.open(world)
    register_bot_firms(market, int(world.population["firms"]), list(world.population["bots"]))
    for _ in range(120):
        run_bots(market)
        market.step()
    assert market.money_created() == 0
    assert market.trial_balance_ok()
    assert len(market.state.contracts) > 20
    assert replay(market.store.read()).state_hash() == market.state_hash()
