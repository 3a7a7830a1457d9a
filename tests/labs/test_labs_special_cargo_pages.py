"""The contract page for lithium battery packs: the booking form lists the dangerous-goods
papers and refuses without them on the papers field; the declaration form has the
freight and insurance boxes and, for a Chinese reader, the Chinese goods name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.models import SandboxMarket
from sandbox.bots.pricing import SEA_TO_ANY, quote_unit_price
from tests.conftest import login_as

PAPERS = ("un38_3_summary", "dg_declaration", "packaging_certificate", "sds")


def _quote_batteries(market_id: int, user) -> list[dict]:
    row = db.session.get(SandboxMarket, market_id)
    engine = markets.open_market(row)
    for rfq in engine.firm_view("F001")["open_rfqs"]:
        if rfq["quoted"]:
            continue
        for lane in engine.world.lanes.values():
            if lane.market != rfq["buyer"]["market"]:
                continue
            term = rfq["incoterm"]
            if not lane.mode.startswith("sea"):
                term = SEA_TO_ANY.get(term, term)
            price = quote_unit_price(
                engine, engine.state.rfqs[rfq["rfq_id"]], lane.id, term, Decimal("0.01")
            )
            command = {
                "command": "SubmitQuote",
                "rfq_id": rfq["rfq_id"],
                "unit_price": price,
                "incoterm": term,
                "payment": rfq["payment"],
                "lane_id": lane.id,
                "lead_days": 10,
            }
            if markets.execute_command(row, db.session.merge(user), "F001", command).ok:
                break
            engine = markets.open_market(row)
    return markets.open_market(row).firm_view("F001")["contracts"]


@pytest.fixture
def battery_contract(app, act, create_user, make_market, add_student_firm):
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=80)
    add_student_firm(market, user=student, products=("P19",))
    contracts = []
    for _ in range(30):
        contracts = act(_quote_batteries, market.id, student)
        if contracts:
            break
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    assert contracts, "the firm should win a battery contract within 30 days"
    return {"student": student, "market": market.id, "contract": contracts[0]}


def _path(won):
    return f"/sandbox/markets/{won['market']}/firm/contracts/{won['contract']['contract_id']}"


def _form(client, won) -> tuple[str, dict]:
    page = client.get(_path(won)).get_data(as_text=True)
    step_form = page.split('id="step-heading"')[1].split("</form>")[0]
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', step_form))
    # Checkboxes are sent only when ticked: the test ticks them itself.
    for name in ("documents", "cold_chain", "insure"):
        data.pop(name, None)
    return step_form, data


def test_battery_booking_needs_its_papers_and_the_declaration_has_money_boxes(
    app, battery_contract, no_csrf
):
    won = battery_contract
    client = app.test_client()
    login_as(client, won["student"])
    page, data = _form(client, won)
    supplier = re.search(r'name="supplier_id"[^>]*>\s*<option[^>]*value="([^"]+)"', page)
    assert client.post(_path(won), data={**data, "supplier_id": supplier.group(1)}).status_code
    for _ in range(25):
        page, data = _form(client, won)
        if data["step"] == "freight":
            break
        with app.app_context(), db.unit_of_work():
            markets.advance_market(db.session.get(SandboxMarket, won["market"]), 1)
    assert data["step"] == "freight"
    for paper in PAPERS:
        assert f'value="{paper}"' in page
    listed = re.findall(r'name="documents" type="checkbox" value="([^"]+)"', page)
    assert 'id="dg-hint"' in page and "UN3480" in page
    assert "Safety data sheet (SDS) · ¥0.00 · 1 day<" in page
    assert "Customs packaging certificate for dangerous goods · ¥800.00 · 4 days<" in page

    response = client.post(_path(won), data={**data, "documents": ["sds"]})
    assert response.status_code == 400
    refused = response.get_data(as_text=True)
    assert 'id="documents-error"' in refused
    assert "without every paper listed" in refused

    _page, data = _form(client, won)
    response = client.post(_path(won), data={**data, "documents": listed})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]

    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    page, data = _form(client, won)
    assert data["step"] == "declare"
    assert 'name="freight"' in page and 'name="insurance"' in page
    assert data["goods_name"] == "电动自行车用锂离子蓄电池组"
    assert "运费和保费" in page


@pytest.fixture
def dumpling_contract(app, act, create_user, make_market, add_student_firm):
    student = create_user(roles=[Role.STUDENT])
    market = make_market(scenario="henan_food_belt_road", seed=2031, buyers=80)
    add_student_firm(market, user=student, products=("P09",))
    contracts = []
    for _ in range(30):
        contracts = act(_quote_batteries, market.id, student)
        if contracts:
            break
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    assert contracts, "the firm should win a dumpling contract within 30 days"
    return {"student": student, "market": market.id, "contract": contracts[0]}


def test_frozen_food_booking_offers_the_reefer_and_refuses_without_it(
    app, dumpling_contract, no_csrf
):
    won = dumpling_contract
    client = app.test_client()
    login_as(client, won["student"])
    page, data = _form(client, won)
    supplier = re.search(r'name="supplier_id"[^>]*>\s*<option[^>]*value="([^"]+)"', page)
    client.post(_path(won), data={**data, "supplier_id": supplier.group(1)})
    page, data = _form(client, won)
    assert data["step"] == "freight"
    assert 'id="cold-chain-hint"' in page and 'name="cold_chain"' in page
    assert 'name="documents"' not in page
    response = client.post(_path(won), data=data)
    assert response.status_code == 400
    assert 'id="cold_chain-error"' in response.get_data(as_text=True)
    _page, data = _form(client, won)
    response = client.post(_path(won), data={**data, "cold_chain": "y"})
    assert response.status_code == 302


def test_quote_form_offers_no_service_that_refuses_batteries(
    app, act, create_user, make_market, add_student_firm
):
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=80)
    add_student_firm(market, user=student, products=("P19",))

    def open_rfqs() -> list[dict]:
        row = db.session.get(SandboxMarket, market.id)
        return markets.open_market(row).firm_view("F001")["open_rfqs"]

    rfqs = []
    for _ in range(30):
        rfqs = act(open_rfqs)
        if rfqs:
            break
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    assert rfqs
    client = app.test_client()
    login_as(client, student)
    page = client.get(f"/sandbox/markets/{market.id}/firm/rfqs/{rfqs[0]['rfq_id']}/quote")
    lane_select = page.get_data(as_text=True).split('name="lane_id"')[1].split("</select>")[0]
    offered = re.findall(r'<option[^>]*value="([^"]+)"', lane_select)
    assert offered and not [lane for lane in offered if lane.startswith(("EXP-", "PST-"))]
    assert any(lane.startswith(("AIR-", "RAIL-", "FCL-")) for lane in offered)
