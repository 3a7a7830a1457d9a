"""The shipped worlds' names (products, markets, scenario titles) in both languages."""

from __future__ import annotations

from academy.labs.world_names import WORLD_NAMES, world_name
from sandbox.scenario import load_scenario
from sandbox.scenario.loader import list_scenarios


def test_every_name_of_the_shipped_worlds_is_listed():
    missing = set()
    for entry in list_scenarios():
        world = load_scenario(entry["name"])
        names = {product.name for product in world.products.values()}
        names |= {market.name for market in world.markets.values()}
        names.add(world.title)
        missing |= names - set(WORLD_NAMES)
    assert missing == set()


def test_names_follow_the_reader_and_unknown_names_pass_through(app):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert world_name("Stuffed plush toys") == "毛绒玩具"
        assert world_name("Kazakhstan") == "哈萨克斯坦"
        assert world_name("Our spring market") == "Our spring market"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert world_name("Stuffed plush toys") == "Stuffed plush toys"
