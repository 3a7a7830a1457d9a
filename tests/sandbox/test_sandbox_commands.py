"""Rejected commands: a specific code, rule and field, and no change to the market."""

from __future__ import annotations

import pytest

from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.market import Market
from sandbox.errors import CommandRejected


@pytest.fixture(scope="module")
def market(exam_world) -> Market:
    from sandbox.bots import register_bot_firms, run_bots

    market = Market.open(exam_world, buyers=300)
    register_bot_firms(market, 3, ["cautious", "aggressive", "sloppy"])
    market.execute(c.RegisterFirm("H1", "Student firm", ("P01", "P05", "P19")))
    for _ in range(25):
        run_bots(market)
        market.step()
    return market


def rejected(market: Market, command) -> CommandRejected:
    before_hash, before_seq = market.state_hash(), market.state.seq
    with pytest.raises(CommandRejected) as caught:
        market.execute(command)
    assert market.state.seq == before_seq
    assert market.state_hash() == before_hash
    return caught.value


def an_open_rfq(market: Market, product: str = "P19") -> dict:
    for rfq_id in market.state.open_rfqs_by_product.get(product, {}):
        return market.state.rfqs[rfq_id]
    raise AssertionError("no open RFQ for the test")


def first_contract(market: Market, **where) -> dict:
    for contract in market.state.contracts.values():
        if all(contract.get(key) == value for key, value in where.items()):
            return contract
    raise AssertionError(f"no contract with {where}")


def lane_of(market: Market, rfq: dict, mode: str | None = None) -> str:
    market_code = market.state.buyers[rfq["buyer_id"]]["market"]
    for lane_id in market.world.lanes_by_market[market_code]:
        if mode is None or market.world.lanes[lane_id].mode == mode:
            return lane_id
    raise AssertionError("no lane")


def test_quote_rules(market):
    rfq = an_open_rfq(market)
    lane = lane_of(market, rfq)
    ok = {
        "firm_id": "H1",
        "rfq_id": rfq["rfq_id"],
        "unit_price": 9_000,
        "incoterm": "FCA",
        "payment": "tt",
        "lane_id": lane,
        "lead_days": 30,
    }
    cases = [
        ({"rfq_id": "R9999999"}, "RFQ_NOT_FOUND", "rfq_id"),
        ({"firm_id": "ZZ"}, "FIRM_NOT_FOUND", "firm_id"),
        ({"unit_price": 0}, "PRICE_INVALID", "unit_price"),
        ({"incoterm": "FOB2"}, "INCOTERM_UNKNOWN", "incoterm"),
        ({"payment": "bitcoin"}, "PAYMENT_UNKNOWN", "payment"),
        ({"lane_id": "NOPE"}, "LANE_WRONG_MARKET", "lane_id"),
        ({"lead_days": 0}, "LEAD_TIME_INVALID", "lead_days"),
    ]
    for changes, code, field in cases:
        error = rejected(market, c.SubmitQuote(**{**ok, **changes}))
        assert (error.code, error.field) == (code, field)
        assert error.rule


def test_sea_only_rule_on_a_rail_or_air_lane_is_refused(market):
    rfq = an_open_rfq(market)
    lane = next(
        lane_id
        for lane_id in market.world.lanes_by_market[market.state.buyers[rfq["buyer_id"]]["market"]]
        if not market.world.lanes[lane_id].mode.startswith("sea")
    )
    error = rejected(market, c.SubmitQuote("H1", rfq["rfq_id"], 9_000, "CIF", "tt", lane, 30))
    assert error.code == "INCOTERM_MODE_MISMATCH" and error.field == "incoterm"


def test_product_not_listed(market):
    rfq = an_open_rfq(market, "P18")
    error = rejected(
        market, c.SubmitQuote("H1", rfq["rfq_id"], 5_000, "FCA", "tt", lane_of(market, rfq), 30)
    )
    assert error.code == "PRODUCT_NOT_LISTED"


def test_register_rules(market):
    assert rejected(market, c.RegisterFirm("H1", "Again", ("P01",))).code == "FIRM_EXISTS"
    assert rejected(market, c.RegisterFirm("H9", "New", ("P77",))).field == "products"
    assert rejected(market, c.RegisterFirm("H9", "New", ())).code == "PRODUCTS_INVALID"
    assert rejected(market, c.RegisterFirm("H 9", "New", ("P01",))).code == "FIRM_ID_INVALID"


def test_contract_rules(market):
    shipped = first_contract(market, stage="departed")
    firm = shipped["firm_id"]
    assert rejected(market, c.PlacePurchaseOrder(firm, shipped["contract_id"], "S01")).code in {
        "PO_EXISTS",
        "CONTRACT_CLOSED",
    }
    assert rejected(market, c.BookFreight(firm, shipped["contract_id"])).code in {
        "FREIGHT_BOOKED",
        "CONTRACT_CLOSED",
    }
    assert (
        rejected(market, c.BookFreight("H1", shipped["contract_id"])).code == "CONTRACT_NOT_FOUND"
    )
    unshipped = next(
        contract
        for contract in market.state.contracts.values()
        if (contract["stage"], contract["status"], contract["freight"])
        == ("signed", "active", None)
        and contract["incoterm"] != "EXW"  # an EXW sale is domestic: REBATE_DOMESTIC_SALE
    )
    error = rejected(market, c.ClaimRebate(unshipped["firm_id"], unshipped["contract_id"]))
    assert error.code == "REBATE_NOT_EXPORTED"
    error = rejected(market, c.FileDeclaration(unshipped["firm_id"], unshipped["contract_id"], {}))
    assert error.code in {"FREIGHT_NOT_BOOKED", "DECLARATION_NOT_REQUIRED"}
    not_lc = first_contract(market, payment="tt", status="active")
    assert (
        rejected(market, c.PresentDocuments(not_lc["firm_id"], not_lc["contract_id"], {})).code
        == "NOT_LC"
    )


def test_declaration_format_error_names_the_field(exam_world):
    from sandbox.bots import register_bot_firms, run_bots

    market = Market.open(exam_world, buyers=300)
    register_bot_firms(market, 2, ["cautious", "aggressive"])
    waiting = []
    for _ in range(40):
        run_bots(market)
        market.step()
        # Bots book freight one day and declare the next: catch one in between.
        waiting = [
            k
            for k in market.state.contracts.values()
            if k["status"] == "active" and k["freight"] is None and k["incoterm"] != "EXW"
            and k["po_id"] and market.state.purchase_orders[k["po_id"]]["status"] != "ordered"
        ]  # fmt: skip
        if waiting:
            break
    contract = waiting[0]
    market.execute(c.BookFreight(contract["firm_id"], contract["contract_id"]))
    form = expected_for(market, contract)
    form["hs_code"] = "12345"
    error = rejected(market, c.FileDeclaration(contract["firm_id"], contract["contract_id"], form))
    assert (error.code, error.field, error.rule) == (
        "HS_CODE_FORMAT",
        "hs_code",
        "customs.declaration",
    )
    form["hs_code"] = market.world.products[contract["product_id"]].hs_code
    form["declared_value"] = form["declared_value"] // 2
    events = market.execute(c.FileDeclaration(contract["firm_id"], contract["contract_id"], form))
    assert [e.type for e in events] == ["DeclarationFiled"]
    assert [f["code"] for f in events[0].data["findings"]] == ["VALUE_MISMATCH"]
    number = events[0].data["customs_no"]
    assert len(number) == 18 and number.isdigit() and number[4:8] == "2026" and number[8] == "0"


def test_forward_needs_real_trade_and_valid_tenor(market):
    assert rejected(market, c.BookForward("H1", 10**12, 60)).code == "FORWARD_EXCEEDS_EXPOSURE"
    assert rejected(market, c.BookForward("H1", 100, 3)).code == "TENOR_INVALID"
    assert rejected(market, c.BookForward("H1", -1, 30)).code == "AMOUNT_INVALID"


def test_credit_insurance_refuses_weak_buyers(market):
    weak = next(
        b for b in market.state.buyers.values() if b["persona"]["credit_rating"] in {"B", "C"}
    )
    assert (
        rejected(market, c.InsureBuyerCredit("H1", weak["buyer_id"])).code
        == "CREDIT_INSURANCE_REFUSED"
    )
    assert rejected(market, c.InsureBuyerCredit("H1", "B999999")).code == "BUYER_NOT_FOUND"


def test_other_rejections(market):
    assert rejected(market, c.ResolveDispute("H1", "D999999", "0.1")).code == "DISPUTE_NOT_FOUND"
    assert rejected(market, c.ImproveListing("H1", "P18")).code == "PRODUCT_NOT_LISTED"
    assert rejected(market, c.AnswerInquiry("H1", "I0000000")).code == "INQUIRY_NOT_FOUND"


def test_unknown_commands_from_json():
    with pytest.raises(CommandRejected) as caught:
        c.command_from_dict({"command": "LaunchRocket"})
    assert caught.value.code == "COMMAND_UNKNOWN"
    with pytest.raises(CommandRejected) as caught:
        c.command_from_dict(
            {"command": "BookFreight", "firm_id": "F1", "contract_id": "C1", "rush": True}
        )
    assert (caught.value.code, caught.value.field) == ("FIELD_UNKNOWN", "rush")
    command = c.command_from_dict(
        {"command": "RegisterFirm", "firm_id": "X1", "name": "X", "products": ["P01"]}
    )
    assert command == c.RegisterFirm("X1", "X", ("P01",))


def test_commands_describe_themselves():
    described = {item["command"]: item for item in c.describe_commands()}
    assert set(described) == set(c.COMMANDS)
    quote = described["SubmitQuote"]
    assert [f["name"] for f in quote["fields"]][:2] == ["firm_id", "rfq_id"]
    assert all(f["required"] for f in quote["fields"])
    insure = {f["name"]: f for f in described["BookFreight"]["fields"]}["insure"]
    assert insure == {"name": "insure", "type": "bool", "required": False, "default": False}
