"""The L/C reader on the firm's contract page: soft clauses named by kind, art. 30
ranges, the transport document by mode, art. 29(a) dates, and the student's answer to
the credit (accept, ask for an amendment, refuse) sent to the engine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.firm import read_credit
from academy.labs.models import MarketEvent, SandboxMarket
from sandbox import read_credit_terms
from sandbox.payments.credit_terms import SOFT_CLAUSE_TEXTS
from sandbox.payments.ucp import BankCalendar
from tests.conftest import login_as
from tests.labs.test_labs_student_pipeline import _quote_everything

CREDIT = {
    "amount": 200_000,
    "expiry_day": 33,
    "latest_shipment_day": 21,
    "presentation_days": 21,
    "description": "FRESH WHITE GARLIC HS 0703200000",
    "quantity": 1_000,
    "unit": "kg",
    "unit_price": 200,
    "partial_shipments": "allowed",
    "port_of_loading": "CNCGO",
    "mode": "rail",
    "transport_document": "rail_consignment_note",
    "transport_article": "24",
    "required_documents": ["commercial_invoice", "packing_list", "rail_consignment_note"],
    "clauses": ["ALL DOCUMENTS MUST INDICATE THIS CREDIT NUMBER."],
    "soft_clause": None,
    "insurance_required": False,
}
CALENDAR = BankCalendar(dt.date(2026, 3, 2), ("2026-04-06",))


def _contract(**changes):
    credit = {**CREDIT, **changes}
    lc = {"state": "issued", "presentations": 0, "credit": credit, "discrepancies": []}
    lc["reading"] = read_credit_terms(credit, CALENDAR)
    return {
        "status": "active",
        "amount": 200_000,
        "quantity": 1_000,
        "freight": None,
        "departed_day": None,
        "lc": lc,
    }


@pytest.fixture
def in_request(app):
    with app.test_request_context("/"):
        yield


def test_a_clean_credit_shows_ranges_transport_and_the_moved_expiry(in_request):
    reading = read_credit(_contract())
    assert reading["warnings"] == []
    ranges = {row["figure"]: row for row in reading["ranges"]}
    assert (ranges["quantity"]["low"], ranges["quantity"]["high"]) == (950, 1_050)
    assert "30(b)" in ranges["quantity"]["basis"] and "%" in ranges["quantity"]["basis"]
    assert ranges["amount"]["high"] == "$2,000.00"
    assert reading["transport"]["code"] == "rail_consignment_note"
    # Day 33 is Saturday 2026-04-04; Monday is a holiday: the credit expires on day 36.
    assert reading["expiry_moved"] == 36
    assert reading["choices"] == ["accept_credit", "amend", "refuse_credit"]


@pytest.mark.parametrize("kind", list(SOFT_CLAUSE_TEXTS))
def test_each_soft_clause_is_named_on_the_page(in_request, kind):
    contract = _contract(clauses=[*CREDIT["clauses"], SOFT_CLAUSE_TEXTS[kind][1]])
    reading = read_credit(contract)
    assert len(reading["warnings"]) == 1 and reading["warnings"][0].startswith("Soft clause")
    assert [clause["soft"] for clause in reading["clauses"]] == [None, kind]


def test_an_ocean_bill_asked_for_a_rail_shipment_is_flagged(in_request):
    documents = ["commercial_invoice", "packing_list", "bill_of_lading"]
    warnings = read_credit(_contract(required_documents=documents))["warnings"]
    assert len(warnings) == 1
    assert "bill of lading" in warnings[0] and "rail consignment note" in warnings[0]


def test_the_reader_speaks_chinese(app):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        contract = _contract(clauses=[SOFT_CLAUSE_TEXTS["not_operative"][0]])
        reading = read_credit(contract)
        assert reading["warnings"][0].startswith("软条款")
        assert (
            "第 30(b) 条" in {row["figure"]: row for row in reading["ranges"]}["quantity"]["basis"]
        )
        assert reading["transport_label"] == "铁路运单"
        documents = ["commercial_invoice", "packing_list", "bill_of_lading"]
        warning = read_credit(_contract(required_documents=documents))["warnings"][0]
        assert "提单" in warning and "铁路运单" in warning


@pytest.fixture
def lc_signed(app, act, create_user, make_market, add_student_firm):
    """A contract paid by letter of credit, just signed (nothing shipped)."""
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=("P01", "P05", "P18"))
    for _ in range(40):
        contracts = act(_quote_everything, market.id, student)
        contract = next((c for c in contracts if c["payment"] == "lc" and c["lc"]), None)
        if contract:
            return {"student": student, "market": market.id, "contract": contract}
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    pytest.skip("no letter-of-credit contract in this world")


def _path(signed):
    return f"/sandbox/markets/{signed['market']}/firm/contracts/{signed['contract']['contract_id']}"


def _answer(app, signed, action):
    client = app.test_client()
    login_as(client, signed["student"])
    page = client.get(_path(signed)).get_data(as_text=True)
    assert 'id="credit-answer"' in page and 'id="credit-tolerances"' in page
    form = page.split('id="credit-answer"')[1].split("</form>")[0]
    data = {
        name: value
        for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form)
        if name != "action"
    }
    data["action"] = action
    return client.post(_path(signed), data=data, follow_redirects=True).get_data(as_text=True)


def _events(app, type_):
    with app.app_context():
        return db.session.scalars(sa.select(MarketEvent).where(MarketEvent.type == type_)).all()


def test_student_accepts_the_credit(app, lc_signed, no_csrf):
    page = _answer(app, lc_signed, "accept_credit")
    assert "flash-success" in page
    answered = _events(app, "LcResponded")
    assert [event.data["decision"] for event in answered] == ["accept"]
    assert 'value="accept_credit"' not in page  # answered once


def test_student_refuses_the_credit_and_the_contract_closes(app, lc_signed, no_csrf):
    page = _answer(app, lc_signed, "refuse_credit")
    assert "flash-success" in page
    closed = _events(app, "ContractClosed")
    assert [event.data["status"] for event in closed] == ["credit_refused"]


def test_student_asks_for_an_amendment_before_shipping(app, lc_signed, no_csrf):
    page = _answer(app, lc_signed, "amend")
    assert "flash-success" in page
    assert len(_events(app, "LcAmended")) == 1
