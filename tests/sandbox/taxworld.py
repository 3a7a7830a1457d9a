"""A small forced world for the tax, duty and Incoterm-split tests: one market, one
product, a rail lane and a sea lane, buyers who always pay and never complain."""

from __future__ import annotations

from pathlib import Path

from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.market import Market
from sandbox.scenario import load_scenario, scenario_dir

SCENARIO = """
name = "taxworld"
seed = 23
start_date = "2026-03-02"
world = "{catalogue}"
markets = ["{market}"]
products = ["{product}"]

[[extra_lanes]]
id = "TEST-RAIL"
carrier = "CRE"
mode = "rail"
origin = "CNCGO"
market = "{market}"
destination = "Terminal"
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
market = "{market}"
destination = "Port"
basis = "container40"
cost = [200000, 200000]
days = [20, 20]
delay_probability = 0.0
delay_days = [0, 0]
damage_probability = 0.0
loss_probability = 0.0

[overrides.events]
buyer_rfq_per_day = 0.3
buyer_inquiry_per_day = 0.0
complaint_base = 0.0
dp_refusal_base = {refusal}

[overrides.customs]
base_risk_rate = 0.0
random_sample_rate = 0.0

[overrides.credit.default_probability]
AAA = 0.0
AA = 0.0
A = 0.0
BBB = 0.0
BB = 0.0
B = 0.0
C = 0.0
"""


def tax_market(
    tmp_path: Path, *, market: str = "DE", product: str = "P01", refusal: float = 0.0
) -> Market:
    """Open the forced world for one market and product with a student firm ``H1``."""
    path = tmp_path / f"taxworld_{market}_{product}.toml"
    catalogue = (scenario_dir() / "_henan_world.toml").as_posix()
    path.write_text(
        SCENARIO.format(catalogue=catalogue, market=market, product=product, refusal=refusal)
    )
    m = Market.open(load_scenario(str(path)), buyers=40)
    m.execute(c.RegisterFirm("H1", "Student firm", (product,)))
    return m


def sign(
    m: Market, incoterm: str, *, lane: str = "TEST-RAIL", price: int = 1_000, payment: str = "tt"
) -> dict:
    """Quote one open RFQ at a time at ``price`` cents a unit until one is awarded."""
    product = next(iter(m.world.products))
    pending: str | None = None
    for _ in range(120):
        if pending is None or m.state.rfqs[pending]["status"] != "open":
            open_rfqs = list(m.state.open_rfqs_by_product.get(product, {}))
            pending = open_rfqs[-1] if open_rfqs else None
            if pending is not None:
                m.execute(c.SubmitQuote("H1", pending, price, incoterm, payment, lane, 40))
        m.step()
        if m.state.contracts:
            return next(iter(m.state.contracts.values()))
    raise AssertionError("no contract signed")


def ship(m: Market, contract: dict, *, before_freight=None) -> None:
    """Buy, book, declare (unless EXW) and step until the goods leave."""
    contract_id = contract["contract_id"]
    m.execute(
        c.PlacePurchaseOrder(
            "H1", contract_id, m.world.suppliers_by_product[contract["product_id"]][0]
        )
    )
    while m.state.purchase_orders[contract["po_id"]]["status"] == "ordered":
        m.step()
    if before_freight is not None:
        before_freight()
    m.execute(c.BookFreight("H1", contract_id))
    if contract["incoterm"] != "EXW":
        m.execute(c.FileDeclaration("H1", contract_id, expected_for(m, contract)))
    while contract["departed_day"] is None:
        m.step()


def arrive(m: Market, contract: dict) -> None:
    """Step until the goods have arrived."""
    for _ in range(60):
        if contract["stage"] == "arrived":
            return
        m.step()
    raise AssertionError("goods never arrived")


def events_of(m: Market, type_: str, contract_id: str) -> list[dict]:
    """The data of every event of ``type_`` about a contract."""
    return [
        e.data
        for e in m.store.read()
        if e.type == type_ and e.data.get("contract_id") == contract_id
    ]
