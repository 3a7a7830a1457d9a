"""The order pipeline in the browser: a won contract taken step by step through forms.

The fixture plays a small market in which the student's firm quotes every RFQ at a
thin margin on the cheapest lane (through the persistence layer, as the quotation form
would) until it wins a contract; the tests then post each next step's form.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.models import MarketEvent, SandboxMarket
from sandbox import input_vat_rate
from sandbox.bots.pricing import SEA_TO_ANY, quote_unit_price
from sandbox.engine.declarations import expected_for
from sandbox.money import apply_rate
from sandbox.trade.costing import fitting_lanes
from tests.conftest import login_as


def _quote_everything(market_id: int, user) -> list[dict]:
    row = db.session.get(SandboxMarket, market_id)
    engine = markets.open_market(row)
    view = engine.firm_view("F001")
    for rfq in view["open_rfqs"]:
        if rfq["quoted"]:
            continue
        rfq_state = engine.state.rfqs[rfq["rfq_id"]]
        # Cheapest lane first: buyers compare landed costs, so a dear lane is not awarded.
        lanes = fitting_lanes(
            engine.world,
            rfq_state["product_id"],
            rfq_state["quantity"],
            rfq["buyer"]["market"],
            "",
        )
        for lane in (engine.world.lanes[lane_id] for lane_id in lanes):
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
    step_form = page.split('id="step-heading"')[1].split("</form>")[0]
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', step_form)
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
    assert dashboard.count('aria-current="step"') >= 1


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


def _act_for(user, market_id, command):
    row = db.session.get(SandboxMarket, market_id)
    result = markets.execute_command(row, db.session.merge(user), "F001", command)
    assert result.ok, result.error


@pytest.fixture
def shipped_lc(app, act, create_user, make_market, add_student_firm):
    """A contract paid by letter of credit, procured, booked, declared and departed."""
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=("P01", "P05", "P18"))

    def advance(days=1):
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), days))

    def view():
        row = db.session.get(SandboxMarket, market.id)
        return markets.open_market(row).firm_view("F001")

    contract = None
    for _ in range(40):
        contracts = act(_quote_everything, market.id, student)
        contract = next((c for c in contracts if c["payment"] == "lc" and c["lc"]), None)
        if contract:
            break
        advance()
    if contract is None:
        pytest.skip("no letter-of-credit contract in this world")
    contract_id = contract["contract_id"]

    def supplier():
        engine = markets.open_market(db.session.get(SandboxMarket, market.id))
        return engine.world.suppliers_by_product[contract["product_id"]][0]

    act(
        _act_for,
        student,
        market.id,
        {"command": "PlacePurchaseOrder", "contract_id": contract_id, "supplier_id": act(supplier)},
    )
    act(_act_for, student, market.id, {"command": "BookFreight", "contract_id": contract_id})

    def declaration():
        engine = markets.open_market(db.session.get(SandboxMarket, market.id))
        return expected_for(engine, engine.state.contracts[contract_id])

    act(
        _act_for,
        student,
        market.id,
        {"command": "FileDeclaration", "contract_id": contract_id, "declaration": act(declaration)},
    )
    for _ in range(40):
        current = next(c for c in act(view)["contracts"] if c["contract_id"] == contract_id)
        if current["departed_day"] is not None:
            break
        advance()
    else:
        pytest.skip("the goods did not leave in time")
    return {"student": student, "market": market.id, "contract": current}


def test_presenting_documents_under_the_credit(app, act, shipped_lc, no_csrf):
    from sandbox.payments.lc import prepare_presentation

    client = app.test_client()
    login_as(client, shipped_lc["student"])
    page, data = _form(client, shipped_lc)
    assert data["step"] == "documents"
    assert "Letter of credit" in page
    credit = shipped_lc["contract"]["lc"]["credit"]
    presentation = prepare_presentation(credit, insurance_amount=None)
    form = {
        **data,
        **{k: v for k, v in presentation.items() if k not in ("documents", "insurance_amount")},
        "documents": presentation["documents"],
    }
    if credit.get("insurance_required"):
        form["insurance_amount"] = str(credit["amount"] * 11 // 10)
    form.pop("inspection_certificate_signed", None)
    response = client.post(_path(shipped_lc), data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "flash-success" in page, page[-3000:]
    with app.app_context():
        presented = db.session.scalar(
            sa.select(sa.func.count()).where(MarketEvent.type == "DocumentsPresented")
        )
    assert presented == 1, re.findall(r'class="flash[^"]*"[^>]*>([^<]*)', page)


def test_claiming_the_rebate_after_presenting(app, shipped_lc, no_csrf):
    from sandbox.payments.lc import prepare_presentation

    client = app.test_client()
    login_as(client, shipped_lc["student"])
    _page, data = _form(client, shipped_lc)
    credit = shipped_lc["contract"]["lc"]["credit"]
    presentation = prepare_presentation(credit, insurance_amount=None)
    presentation.pop("inspection_certificate_signed", None)
    presentation.pop("insurance_amount", None)
    if credit.get("insurance_required"):
        presentation["insurance_amount"] = str(credit["amount"] * 11 // 10)
    assert client.post(_path(shipped_lc), data={**data, **presentation}).status_code == 302
    _page, data = _form(client, shipped_lc)
    assert data["step"] == "rebate"
    assert client.post(_path(shipped_lc), data=data).status_code == 302
    # A second click on the same form: the step has moved on, nothing is sent twice,
    # and the student is not told off for it.
    second = client.post(_path(shipped_lc), data=data, follow_redirects=True)
    assert "no longer the next one" not in second.get_data(as_text=True)
    with app.app_context():
        claimed = db.session.scalar(
            sa.select(sa.func.count()).where(MarketEvent.type == "RebateClaimed")
        )
    assert claimed == 1


def test_packing_list_gives_what_customs_compares_and_the_quote_shows_won(app, act, won):
    client = app.test_client()
    login_as(client, won["student"])
    contract_id = won["contract"]["contract_id"]

    def expected():
        row = db.session.get(SandboxMarket, won["market"])
        engine = markets.open_market(row)
        return expected_for(engine, engine.state.contracts[contract_id])

    declaration = act(expected)
    page = client.get(_path(won)).get_data(as_text=True)
    papers = dict(re.findall(r'<dd data-fact="([a-z_]+)">([^<]*)</dd>', page))
    assert papers["packages"] == str(declaration["package_count"])
    assert papers["net_weight_kg"] == str(declaration["net_weight_kg"])
    assert papers["gross_weight_kg"] == str(declaration["gross_weight_kg"])
    assert papers["port_of_loading"] == declaration["port_of_exit"]

    dashboard = client.get(f"/sandbox/markets/{won['market']}/firm").get_data(as_text=True)
    quote = dashboard.split(f'data-quote="{won["contract"]["quote_id"]}"')[1].split("</li>")[0]
    assert "Won" in quote
    assert contract_id in quote


def test_dashboard_lists_cash_per_currency_and_the_supplier_payable(app, act, won, no_csrf):
    client = app.test_client()
    login_as(client, won["student"])
    page, data = _form(client, won)
    supplier = re.search(r'name="supplier_id"[^>]*>\s*<option[^>]*value="([^"]+)"', page)
    assert (
        client.post(_path(won), data={**data, "supplier_id": supplier.group(1)}).status_code == 302
    )
    dashboard_path = f"/sandbox/markets/{won['market']}/firm"
    assert "You owe your suppliers nothing" in client.get(dashboard_path).get_data(as_text=True)

    def received_order():
        row = db.session.get(SandboxMarket, won["market"])
        engine = markets.open_market(row)
        orders = [o for o in engine.state.purchase_orders.values() if o["firm_id"] == "F001"]
        if orders and orders[0]["status"] == "received":
            # The supplier's invoice carries the product's VAT rate (9 % for groundnuts).
            return orders[0], input_vat_rate(engine.world, orders[0]["product_id"])
        markets.advance_market(row, 1)
        return None

    found = None
    for _ in range(30):
        found = act(received_order)
        if found:
            break
    assert found, "the goods should arrive within 30 days"
    order, vat_rate = found
    net = order["quantity"] * order["unit_cost"]
    owed = net + apply_rate(net, vat_rate)
    page = client.get(dashboard_path).get_data(as_text=True)
    payables = page.split('id="payables-heading"')[1].split("</table>")[0]
    assert order["po_id"] in payables
    assert f"¥{owed / 100:,.2f}" in payables
    assert "Cash (CNY)" in page
