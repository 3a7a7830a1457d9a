"""A student's firm pages: the dashboard, quoting an RFQ, refusals and the pipeline.

Each test builds a tiny market (the compact exam world, 60 buyers, four sim-days) in
which the student's firm F001 lists P01, P05 and P18, so a few RFQs are open.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.firm import pipeline_of
from academy.labs.models import CommandReceipt, MarketEvent, SandboxMarket
from tests.conftest import login_as

PRODUCTS = ("P01", "P05", "P18")


@pytest.fixture
def firm_world(app, act, create_user, make_market, add_student_firm):
    student = create_user(roles=[Role.STUDENT])
    rival = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=PRODUCTS)
    add_student_firm(market, user=rival, products=PRODUCTS)
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 4))

    def rfqs():
        row = db.session.get(SandboxMarket, market.id)
        return markets.open_market(row).firm_view("F001")["open_rfqs"]

    return {"student": student, "rival": rival, "market": market.id, "rfqs": act(rfqs)}


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def _quote_path(world, rfq_id=None):
    rfq_id = rfq_id or world["rfqs"][0]["rfq_id"]
    return f"/sandbox/markets/{world['market']}/firm/rfqs/{rfq_id}/quote"


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, name
    return found.group(1)


def _quote_data(app, client, world, **overrides):
    page = client.get(_quote_path(world)).get_data(as_text=True)
    lanes = re.findall(r'<option[^>]*value="([^"]+)"', page.split('name="lane_id"')[1])
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "unit_price": "25.00",
        "incoterm": "CIP",
        "payment": "tt",
        "lane_id": lanes[0].split('"')[0],
        "lead_days": "30",
    }
    data.update(overrides)
    return data


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_my_firms_lists_the_students_market(app, firm_world):
    client = _client(app, firm_world["student"])
    page = client.get("/sandbox/firms").get_data(as_text=True)
    assert f"/sandbox/markets/{firm_world['market']}/firm" in page
    assert "F001" in page
    assert ">My firms<" in page  # the navigation item for students


def test_dashboard_shows_cash_kpis_and_the_rfq_inbox(app, firm_world):
    assert firm_world["rfqs"], "the fixture should have open RFQs"
    client = _client(app, firm_world["student"])
    response = client.get(f"/sandbox/markets/{firm_world['market']}/firm")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "¥3,000,000.00" in page or "¥" in page
    assert "Star rating" in page
    assert firm_world["rfqs"][0]["rfq_id"] in page
    assert firm_world["rfqs"][0]["buyer"]["company"] in page
    assert "<svg" in page


def test_price_helper_shows_every_incoterm(app, firm_world):
    client = _client(app, firm_world["student"])
    page = client.get(_quote_path(firm_world) + "?margin=10").get_data(as_text=True)
    for rule in ("EXW", "FCA", "CIP", "DAP", "DDP"):
        assert f">{rule}" in page
    assert "10.0 %" in page or "9." in page


def test_price_helper_weighs_the_payment_terms_and_the_buyers_currency(app, act, firm_world):
    from academy.labs.firm import load_firm_page, quote_helper

    rfq_id = firm_world["rfqs"][0]["rfq_id"]

    def helper():
        page = load_firm_page(db.session.get(SandboxMarket, firm_world["market"]), "F001")
        rfq = page.rfq(rfq_id)
        lane = page.lanes_to(rfq["buyer"]["market"])[0]
        return quote_helper(page, rfq, lane.id, Decimal("0.10")), page.world.markets[
            rfq["buyer"]["market"]
        ].currency

    figures, currency = act(helper)
    terms = {row["code"]: row for row in figures["payment_terms"]["rows"]}
    assert set(terms) == {"tt", "lc", "dp", "da", "escrow", "open_account"}
    chosen = next(
        r for r in figures["rows"] if r["incoterm"] == figures["payment_terms"]["incoterm"]
    )
    # Charges come off the margin; a letter of credit costs more than two transfers.
    for row in terms.values():
        assert row["margin"] <= chosen["margin"]
    assert terms["lc"]["fee_per_unit"] >= terms["tt"]["fee_per_unit"]
    assert [share for share, _when in terms["tt"]["schedule"]] == [30, 70]
    assert terms["open_account"]["risk"] > terms["lc"]["risk"]

    client = _client(app, firm_world["student"])
    page = client.get(_quote_path(firm_world)).get_data(as_text=True)
    assert page.count("data-payment=") == 6
    assert "when the goods leave" in page
    if currency != "USD":
        assert f"In {currency} (today)" in page


def test_quote_is_sent_once_despite_a_double_click(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    data = _quote_data(app, client, firm_world)
    first = client.post(_quote_path(firm_world), data=data)
    second = client.post(_quote_path(firm_world), data=data)
    assert first.status_code == 302, first.get_data(as_text=True)
    assert second.status_code == 302
    with app.app_context():
        events = db.session.scalars(
            sa.select(MarketEvent).where(
                MarketEvent.market_id == firm_world["market"], MarketEvent.type == "QuoteSubmitted"
            )
        ).all()
    assert len(events) == 1
    assert (
        _count(app, CommandReceipt, CommandReceipt.idempotency_key == data["idempotency_key"]) == 1
    )


def _edit_data(client, world, price):
    page = client.get(_quote_path(world)).get_data(as_text=True)
    assert "Change the price" in page
    return {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "unit_price": price,
    }


def test_a_quote_price_can_be_changed_once(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    assert (
        client.post(_quote_path(firm_world), data=_quote_data(app, client, firm_world)).status_code
        == 302
    )
    response = client.post(_quote_path(firm_world), data=_edit_data(client, firm_world, "24.50"))
    assert response.status_code == 302
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteEdited") == 1
    response = client.post(_quote_path(firm_world), data=_edit_data(client, firm_world, "24.00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Each quote may be edited once." in page.split('role="alert"')[1]
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteEdited") == 1


def test_incoterm_rejection_is_shown_on_the_incoterm_field(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    page = client.get(_quote_path(firm_world)).get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="([^"]+)"', page.split('name="lane_id"')[1])
    non_sea = [lane for lane in options if "sea" not in lane]
    if not non_sea:
        pytest.skip("no non-sea lane to this buyer's market")
    data = _quote_data(app, client, firm_world, incoterm="FOB", lane_id=non_sea[0])
    response = client.post(_quote_path(firm_world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = page.split('id="incoterm-error"')[1][:300]
    assert "sea transport only" in error


def test_chinese_rejection_message(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    client.post(_quote_path(firm_world), data=_quote_data(app, client, firm_world))
    client.post(_quote_path(firm_world), data=_edit_data(client, firm_world, "24.50"))
    data = _edit_data(client, firm_world, "24.00")
    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    page = client.post(_quote_path(firm_world), data=data).get_data(as_text=True)
    assert "Each quote may be edited once." not in page
    assert "每份报价只能修改一次" in page


def test_paused_market_refuses_with_its_message(app, act, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    data = _quote_data(app, client, firm_world)
    act(lambda: markets.pause_market(db.session.get(SandboxMarket, firm_world["market"])))
    response = client.post(_quote_path(firm_world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The market is paused" in page
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteSubmitted") == 0


def test_forged_firm_id_is_refused(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    data = _quote_data(app, client, firm_world, firm_id="F002")
    response = client.post(_quote_path(firm_world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can only act for your own firm." in page
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteSubmitted") == 0


def test_student_without_a_firm_in_the_market_is_refused(app, create_user, firm_world, no_csrf):
    outsider = create_user(roles=[Role.STUDENT])
    client = _client(app, outsider)
    assert client.get(f"/sandbox/markets/{firm_world['market']}/firm").status_code == 403
    response = client.post(_quote_path(firm_world), data={"unit_price": "1"})
    assert response.status_code == 403
    assert client.get("/sandbox/markets/999999/firm").status_code == 404


def test_each_student_sees_only_their_own_firm(app, firm_world):
    client = _client(app, firm_world["rival"])
    page = client.get(f"/sandbox/markets/{firm_world['market']}/firm").get_data(as_text=True)
    assert "(F002)" in page
    assert "(F001)" not in page


def test_pipeline_marks_the_next_step():
    contract = {
        "status": "active",
        "incoterm": "CIP",
        "po_id": "PO1",
        "freight": None,
        "declaration": None,
        "departed_day": None,
        "lc": None,
        "receivables": [],
        "rebate": None,
    }
    states = {step["key"]: step["state"] for step in pipeline_of(contract)}
    assert states == {
        "procure": "done",
        "freight": "next",
        "declare": "later",
        "ship": "later",
        "documents": "skipped",
        "payment": "later",
        "rebate": "later",
    }
    exw = {**contract, "incoterm": "EXW", "freight": {"lane_id": "L1"}}
    exw_states = {s["key"]: s["state"] for s in pipeline_of(exw)}
    # EXW: the buyer exports; the sale is taxed at home, so there is no rebate to claim.
    assert exw_states["declare"] == exw_states["rebate"] == "skipped"
    # A T/T deposit paid before shipment does not make the payment collected.
    deposit_paid = {
        **contract,
        "receivables": [{"part": "deposit", "amount": 30, "due_day": 5, "status": "paid"}],
    }
    assert {s["key"]: s["state"] for s in pipeline_of(deposit_paid)}["payment"] == "later"


def test_answering_an_inquiry_once(app, act, firm_world, no_csrf):
    def inquiries():
        row = db.session.get(SandboxMarket, firm_world["market"])
        return markets.open_market(row).firm_view("F001")["inquiries"]

    pending = act(inquiries)
    if not pending:
        pytest.skip("no inquiry in this world")
    inquiry_id = pending[0]["inquiry_id"]
    client = _client(app, firm_world["student"])
    dashboard = client.get(f"/sandbox/markets/{firm_world['market']}/firm").get_data(as_text=True)
    assert inquiry_id in dashboard
    form = dashboard.split(f"/inquiries/{inquiry_id}/answer")[1].split("</form>")[0]
    data = {
        "firm_id": _hidden(form, "firm_id"),
        "idempotency_key": _hidden(form, "idempotency_key"),
    }
    path = f"/sandbox/markets/{firm_world['market']}/firm/inquiries/{inquiry_id}/answer"
    assert client.post(path, data=data).status_code == 302
    assert client.post(path, data=data).status_code == 302  # a double click
    assert _count(app, MarketEvent, MarketEvent.type == "InquiryAnswered") == 1
    again = client.post(
        path, data={**data, "idempotency_key": "another-key"}, follow_redirects=True
    )
    assert "The inquiry was already answered." in again.get_data(as_text=True)
    forged = client.post(path, data={**data, "firm_id": "F002", "idempotency_key": "k3"})
    assert forged.status_code == 302
    assert _count(app, MarketEvent, MarketEvent.type == "InquiryAnswered") == 1


def test_history_charts_are_inline_svg(app, firm_world):
    client = _client(app, firm_world["student"])
    response = client.get(f"/sandbox/markets/{firm_world['market']}/firm/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<polyline") == 3  # cash; revenue and net profit
    assert "¥3,000,000.00" in page
    # Only our own script files (the live clock), never inline script (CSP).
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_rebate_can_be_claimed_while_payment_is_awaited():
    from academy.labs.firm import next_step

    contract = {
        "status": "active",
        "payment": "tt",
        "incoterm": "CIP",
        "po_id": "PO1",
        "freight": {"lane_id": "L1"},
        "declaration": {"status": "released"},
        "departed_day": 9,
        "lc": None,
        "receivables": [{"part": "balance", "amount": 100, "due_day": 40, "status": "open"}],
        "rebate": None,
    }
    states = {step["key"]: step["state"] for step in pipeline_of(contract)}
    assert states["payment"] == "next" and states["rebate"] == "next"
    assert next_step(contract) == "rebate"
    assert next_step({**contract, "rebate": {"refund": 1}}) == "payment"


def test_credit_insurance_on_a_buyer(app, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    path = f"/sandbox/markets/{firm_world['market']}/firm"
    dashboard = client.get(path).get_data(as_text=True)
    assert "Country risk:" in dashboard
    buyer = firm_world["rfqs"][0]["buyer"]["buyer_id"]
    action = f"{path}/buyers/{buyer}/insure"
    form = dashboard.split(action)[1].split("</form>")[0]
    data = {
        "firm_id": _hidden(form, "firm_id"),
        "idempotency_key": _hidden(form, "idempotency_key"),
    }
    page = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    granted = _count(app, MarketEvent, MarketEvent.type == "CreditLimitGranted")
    if granted:
        assert "insured limit" in page
    else:  # a B or C buyer: the insurer's refusal is shown
        assert "The insurer does not cover buyers rated this low." in page
    client.post(action, data=data)  # a double click changes nothing
    assert _count(app, MarketEvent, MarketEvent.type == "CreditLimitGranted") == granted


def test_finished_market_can_be_read_but_not_changed(app, act, firm_world, no_csrf):
    client = _client(app, firm_world["student"])
    data = _quote_data(app, client, firm_world)
    act(lambda: markets.finish_market(db.session.get(SandboxMarket, firm_world["market"])))
    dashboard = client.get(f"/sandbox/markets/{firm_world['market']}/firm")
    assert dashboard.status_code == 200
    assert "This market has finished." in dashboard.get_data(as_text=True)
    response = client.post(_quote_path(firm_world), data=data)
    assert response.status_code == 400
    assert "This market has finished." in response.get_data(as_text=True).split('role="alert"')[-1]
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteSubmitted") == 0


def test_paused_market_banner_on_the_dashboard(app, act, firm_world):
    act(lambda: markets.pause_market(db.session.get(SandboxMarket, firm_world["market"])))
    client = _client(app, firm_world["student"])
    page = client.get(f"/sandbox/markets/{firm_world['market']}/firm").get_data(as_text=True)
    banner = page.split('class="flash flash-error"')[1][:200]
    assert "The market is paused" in banner


def test_pages_keep_to_the_content_security_policy(app, firm_world):
    """style-src 'self': no <style> element and no style attribute on the firm pages."""
    client = _client(app, firm_world["student"])
    base = f"/sandbox/markets/{firm_world['market']}/firm"
    for path in ("/sandbox/firms", base, base + "/history", _quote_path(firm_world)):
        page = client.get(path).get_data(as_text=True)
        assert "<style" not in page, path
        assert " style=" not in page, path
        # Our own script files only (the live clock): no inline script.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path


@pytest.mark.parametrize(("typed", "cents"), [("0.29", 29), ("12.349", 1235), ("24.345", 2435)])
def test_a_changed_quote_price_is_read_exactly_and_rounded_half_up(
    app, firm_world, no_csrf, typed, cents
):
    client = _client(app, firm_world["student"])
    client.post(_quote_path(firm_world), data=_quote_data(app, client, firm_world))
    response = client.post(_quote_path(firm_world), data=_edit_data(client, firm_world, typed))
    assert response.status_code == 302
    with app.app_context():
        edited = db.session.scalars(
            sa.select(MarketEvent).where(
                MarketEvent.market_id == firm_world["market"], MarketEvent.type == "QuoteEdited"
            )
        ).one()
    assert edited.data["unit_price"] == cents


@pytest.mark.parametrize("typed", ["Infinity", "NaN", "sNaN", "1e30", "-0.01"])
def test_a_quote_price_that_is_no_real_price_is_refused_on_its_field(
    app, firm_world, no_csrf, typed
):
    client = _client(app, firm_world["student"])
    data = {**_quote_data(app, client, firm_world), "unit_price": typed}
    response = client.post(_quote_path(firm_world), data=data)
    assert response.status_code == 400
    assert 'id="unit_price-error"' in response.get_data(as_text=True)
    assert _count(app, MarketEvent, MarketEvent.type == "QuoteSubmitted") == 0


def test_the_price_helper_ignores_a_margin_that_is_no_number(app, firm_world):
    client = _client(app, firm_world["student"])
    for margin in ("NaN", "sNaN", "Infinity", "1e30"):
        assert client.get(f"{_quote_path(firm_world)}?margin={margin}").status_code == 200
