"""The order pipeline in the browser: a won contract taken step by step through forms.

The fixture plays a small market in which the student's firm quotes every RFQ at a
thin margin (through the persistence layer, as the quotation form would) until it
wins a contract; the tests then post each next step's form.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.models import SandboxMarket
from sandbox.bots.pricing import SEA_TO_ANY, quote_unit_price
from sandbox.engine.declarations import expected_for
from tests.conftest import login_as


def _quote_everything(market_id: int, user) -> list[dict]:
    row = db.session.get(SandboxMarket, market_id)
    engine = markets.open_market(row)
    view = engine.firm_view("F001")
    for rfq in view["open_rfqs"]:
        if rfq["quoted"]:
            continue
        for lane in engine.world.lanes.values():
            if lane.market != rfq["buyer"]["market"]:
                continue
            term = rfq["incoterm"]
            if not lane.mode.startswith("sea"):
                term = SEA_TO_ANY.get(term, term)
            price = quote_unit_price(
                engine, engine.state.rfqs[rfq["rfq_id"]], lane.id, term, Decimal("0.02")
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
def won(app, act, create_user, make_market, add_student_firm):
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=("P01", "P05", "P18"))
    contracts = []
    for _ in range(20):
        contracts = act(_quote_everything, market.id, student)
        if contracts:
            break
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    assert contracts, "the firm should win a contract within 20 days"
    return {"student": student, "market": market.id, "contract": contracts[0]}


def _path(won):
    return f"/sandbox/markets/{won['market']}/firm/contracts/{won['contract']['contract_id']}"


def _form(client, won) -> tuple[str, dict]:
    page = client.get(_path(won)).get_data(as_text=True)
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    return page, data


def test_contract_page_highlights_the_next_step(app, won):
    client = app.test_client()
    login_as(client, won["student"])
    page, data = _form(client, won)
    assert 'aria-current="step"' in page
    assert data["step"] == "procure"
    dashboard = client.get(f"/sandbox/markets/{won['market']}/firm").get_data(as_text=True)
    assert won["contract"]["contract_id"] in dashboard
    assert "step-next" in dashboard


def test_steps_procure_freight_and_declaration(app, act, won, no_csrf):
    client = app.test_client()
    login_as(client, won["student"])
    page, data = _form(client, won)
    supplier = re.search(r'name="supplier_id"[^>]*>\s*<option[^>]*value="([^"]+)"', page)
    response = client.post(_path(won), data={**data, "supplier_id": supplier.group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)

    page, data = _form(client, won)
    assert data["step"] == "freight"
    response = client.post(_path(won), data={**data, "insure": "y"})
    assert response.status_code == 302

    page, data = _form(client, won)
    assert data["step"] == "declare"

    def expected():
        row = db.session.get(SandboxMarket, won["market"])
        engine = markets.open_market(row)
        return expected_for(engine, engine.state.contracts[won["contract"]["contract_id"]])

    declaration = act(expected)
    wrong = {**data, **declaration, "hs_code": "12345"}
    response = client.post(_path(won), data=wrong)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="hs_code-error"' in page

    response = client.post(_path(won), data={**data, **declaration})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    page, data = _form(client, won)
    assert data.get("step") != "declare"


def test_a_stale_step_is_not_sent(app, won, no_csrf):
    client = app.test_client()
    login_as(client, won["student"])
    _page, data = _form(client, won)
    response = client.post(_path(won), data={**data, "step": "rebate"})
    assert response.status_code == 302
