"""A small world for the special-cargo, routing and declaration-box tests.

Germany only, with fixed-cost test lanes of every mode so freight figures are exact.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.engine import commands as c
from sandbox.engine.market import Market
from sandbox.scenario import load_scenario, scenario_dir

LANE = """
[[extra_lanes]]
id = "{id}"
carrier = "{carrier}"
mode = "{mode}"
origin = "{origin}"
market = "DE"
destination = "Hamburg"
basis = "{basis}"
cost = [{cost}, {cost}]
days = [20, 20]
delay_probability = 0.0
delay_days = [0, 0]
damage_probability = 0.0
loss_probability = 0.0
"""

LANES = {
    "T-RAIL": ("CRE", "rail", "CNCGO", "container40", 100000),
    "T-FCL": ("SEA", "sea_fcl", "CNTAO", "container40", 100000),
    "T-LCL": ("SEA", "sea_lcl", "CNTAO", "cbm", 5000),
    "T-AIR": ("AIR", "air", "CNCGO", "kg", 500),
    "T-EXP": ("EXP", "express", "CNCGO", "kg_express", 900),
}

SCENARIO = """
name = "special"
seed = 17
start_date = "{start}"
world = "{catalogue}"
markets = ["DE"]
products = ["P01", "P09", "P18", "P19"]

[overrides.events]
buyer_rfq_per_day = 0.4
buyer_inquiry_per_day = 0.0
complaint_base = 0.0

[overrides.customs]
base_risk_rate = 0.0
random_sample_rate = 0.0
"""


def special_world_path(tmp_path: Path, start: str = "2026-03-02") -> Path:
    """Write the test scenario and return its path."""
    catalogue = (scenario_dir() / "_henan_world.toml").as_posix()
    text = SCENARIO.format(catalogue=catalogue, start=start)
    for lane_id, (carrier, mode, origin, basis, cost) in LANES.items():
        text += LANE.format(
            id=lane_id, carrier=carrier, mode=mode, origin=origin, basis=basis, cost=cost
        )
    path = tmp_path / "special.toml"
    path.write_text(text)
    return path


def special_market(tmp_path: Path, start: str = "2026-03-02") -> Market:
    """Open the test world with one student firm H1 listing every product."""
    market = Market.open(load_scenario(str(special_world_path(tmp_path, start))), buyers=60)
    market.execute(c.RegisterFirm("H1", "Student firm", ("P01", "P09", "P18", "P19")))
    return market


def open_rfq(market: Market, product_id: str) -> str:
    """Step until an RFQ for the product is open; return its id."""
    for _ in range(60):
        found = list(market.state.open_rfqs_by_product.get(product_id, {}))
        if found:
            return found[0]
        market.step()
    raise AssertionError(f"no RFQ for {product_id}")


def contract_on(
    market: Market, product_id: str, lane_id: str, incoterm: str, *, wait_goods: bool = True
) -> dict:
    """Win a contract for the product on the lane (a low price) and buy the goods.

    With ``wait_goods`` the market steps until the goods have arrived from the supplier.
    """
    supplier = market.world.suppliers_by_product[product_id][0]
    for _ in range(10):
        rfq_id = open_rfq(market, product_id)
        price = market.world.products[product_id].market_price // 3
        market.execute(c.SubmitQuote("H1", rfq_id, price, incoterm, "tt", lane_id, 40))
        for _ in range(15):
            market.step()
            signed = [k for k in market.state.contracts.values() if k["lane_id"] == lane_id]
            if signed:
                contract = signed[0]
                market.execute(c.PlacePurchaseOrder("H1", contract["contract_id"], supplier))
                while (
                    wait_goods
                    and market.state.purchase_orders[contract["po_id"]]["status"] == "ordered"
                ):
                    market.step()
                return contract
            if market.state.rfqs[rfq_id]["status"] != "open":
                break
    raise AssertionError("no contract signed")
