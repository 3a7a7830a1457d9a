"""Negotiating with a buyer by letter from the student's RFQ pages.

The student's firm F001 quotes an open RFQ through the engine, then writes to the
buyer from ``/firm/rfqs/<rfq>/negotiate``: the thread shows its proposals and the
buyer's answers (English or Chinese), a deal lands on the contract page.
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.firm import load_firm_page
from academy.labs.models import MarketEvent, SandboxMarket
from academy.labs.pricing import quote_helper
from tests.conftest import login_as

PRODUCTS = ("P01", "P05", "P18")


def _quote(act, student, market_id: int, margin: str) -> tuple[str, int]:
    """F001 quotes its first open RFQ at ``margin`` over cost on the asked terms."""

    def run():
        row = db.session.get(SandboxMarket, market_id)
        page = load_firm_page(row, "F001")
        rfq = page.view["open_rfqs"][0]
        lane = page.default_lane(rfq)
        helper = quote_helper(page, rfq, lane, Decimal(margin))
        price = next(r["price"] for r in helper["rows"] if r["incoterm"] == rfq["incoterm"])
        command = {
            "command": "SubmitQuote",
            "rfq_id": rfq["rfq_id"],
            "unit_price": price,
            "incoterm": rfq["incoterm"],
            "payment": rfq["payment"],
            "lane_id": lane,
            "lead_days": 30,
        }
        result = markets.execute_command(
            row, db.session.merge(student), "F001", command, secrets.token_urlsafe(18)
        )
        assert result.ok, result.error
        return rfq["rfq_id"], price

    return act(run)


@pytest.fixture
def deal_world(app, act, create_user, make_market, add_student_firm):
    student = create_user(roles=[Role.STUDENT])
    rival = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=PRODUCTS)
    add_student_firm(market, user=rival, products=PRODUCTS)
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 4))
    return {"student": student, "rival": rival, "market": market.id}


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def _path(world, rfq_id):
    return f"/sandbox/markets/{world['market']}/firm/rfqs/{rfq_id}/negotiate"


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, name
    return found.group(1)


def _selected(page: str, name: str) -> str:
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return re.search(r'<option selected value="([^"]+)"', select).group(1)


def _form(client, world, rfq_id, **overrides):
    page = client.get(_path(world, rfq_id)).get_data(as_text=True)
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "unit_price": _hidden(page, "unit_price"),
        "incoterm": _selected(page, "incoterm"),
        "payment": _selected(page, "payment"),
        "lead_days": "30",
        "message": "Dear buyer, please consider our offer.",
    }
    data.update(overrides)
    return data


def _events(app, world, kind):
    with app.app_context():
        return db.session.scalars(
            sa.select(MarketEvent).where(
                MarketEvent.market_id == world["market"], MarketEvent.type == kind
            )
        ).all()


def _terms_of_quote(app, world, rfq_id):
    with app.app_context():
        view = markets.open_market(db.session.get(SandboxMarket, world["market"])).firm_view("F001")
    quote = next(q for q in view["quotes"] if q["rfq_id"] == rfq_id)
    return quote


def test_the_page_needs_a_quotation_first(app, act, deal_world):
    client = _client(app, deal_world["student"])

    def first_rfq():
        row = db.session.get(SandboxMarket, deal_world["market"])
        return markets.open_market(row).firm_view("F001")["open_rfqs"][0]["rfq_id"]

    assert client.get(_path(deal_world, act(first_rfq))).status_code == 404


def test_a_letter_gets_the_buyers_answer_in_the_thread(app, act, deal_world, no_csrf):
    rfq_id, price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    quote = _terms_of_quote(app, deal_world, rfq_id)
    client = _client(app, deal_world["student"])
    dashboard = client.get(f"/sandbox/markets/{deal_world['market']}/firm").get_data(as_text=True)
    assert _path(deal_world, rfq_id) in dashboard  # the RFQ inbox links the letters
    page = client.get(_path(deal_world, rfq_id)).get_data(as_text=True)
    assert "No letters yet." in page and "Send to the buyer" in page
    assert f'value="{Decimal(price) / 100:.2f}"' in page  # starts from the quotation
    data = _form(
        client,
        deal_world,
        rfq_id,
        incoterm=quote["incoterm"],
        payment=quote["payment"],
        unit_price=f"{Decimal(price) / 100:.2f}",
    )
    first = client.post(_path(deal_world, rfq_id), data=data)
    again = client.post(_path(deal_world, rfq_id), data=data)  # a double click
    assert first.status_code == 302 and again.status_code == 302
    assert len(_events(app, deal_world, "NegotiationProposed")) == 1
    answer = _events(app, deal_world, "NegotiationAnswered")[0].data
    follow = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Dear buyer, please consider our offer." in follow or answer["decision"] == "accept"
    if answer["decision"] != "accept":  # the RFQ is still open: its quotation page shows the thread
        quote_page = client.get(
            f"/sandbox/markets/{deal_world['market']}/firm/rfqs/{rfq_id}/quote"
        ).get_data(as_text=True)
        assert "Letters with the buyer" in quote_page and "Write to the buyer" in quote_page
        assert "Your proposal 1, day" in quote_page
    if answer["decision"] == "counter":
        offered = f"${answer['terms']['unit_price'] / 100:,.2f}"
        assert "We can agree to" in follow and offered in follow
        assert f'value="{answer["terms"]["unit_price"] / 100:.2f}"' in follow  # form takes it up
    elif answer["decision"] == "accept":
        assert "/contracts/" in first.headers["Location"]
        assert "We accept" in follow
    else:
        assert "the negotiation is over" in follow


def test_meeting_the_counter_offer_signs_the_contract(app, act, deal_world, no_csrf):
    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.10")
    client = _client(app, deal_world["student"])
    for _ in range(6):
        data = _form(client, deal_world, rfq_id)  # the buyer's last counter-offer as it stands
        response = client.post(_path(deal_world, rfq_id), data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        if "/contracts/" in response.headers["Location"]:
            break
        decisions = [e.data["decision"] for e in _events(app, deal_world, "NegotiationAnswered")]
        if decisions[-1] == "decline":
            pytest.skip("this buyer declined the quotation outright")
    else:
        raise AssertionError("no deal after six letters")
    contract = client.get(response.headers["Location"])
    assert contract.status_code == 200
    assert len(_events(app, deal_world, "ContractSigned")) == 1
    # The RFQ is awarded, but its letters stay readable; no form is offered any more.
    thread = client.get(_path(deal_world, rfq_id))
    text = thread.get_data(as_text=True)
    assert thread.status_code == 200
    assert "The buyer accepted; the contract is on your dashboard." in text
    assert "Send to the buyer" not in text and "We accept" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lead_days": "0"}, "lead_days", "The lead time must be 1 to 120 days."),
        ({"unit_price": "-1"}, "unit_price", "The price must be positive."),
        ({"message": "x" * 1001}, "message", "A letter has at most 1000 characters."),
        ({"payment": "cash"}, "payment", "Not a valid choice."),
        ({"message": "Best \u202eregards"}, "message", "no control or direction marks"),
    ],
)
def test_bad_input_is_shown_on_its_field(app, act, deal_world, no_csrf, overrides, field, message):
    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    client = _client(app, deal_world["student"])
    response = client.post(
        _path(deal_world, rfq_id), data=_form(client, deal_world, rfq_id, **overrides)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.split(f'id="{field}-error"')[1][:400]
    assert _events(app, deal_world, "NegotiationProposed") == []


def test_an_engine_refusal_lands_on_its_field(app, act, deal_world, no_csrf):
    rfq_id, price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    quote = _terms_of_quote(app, deal_world, rfq_id)
    client = _client(app, deal_world["student"])
    letter = {"incoterm": quote["incoterm"], "payment": quote["payment"]}
    letter["unit_price"] = f"{Decimal(price) / 100:.2f}"
    client.post(_path(deal_world, rfq_id), data=_form(client, deal_world, rfq_id, **letter))
    if _events(app, deal_world, "NegotiationAnswered")[0].data["decision"] != "counter":
        pytest.skip("the buyer did not counter this quotation")
    # The same letter again (a new form, so a new key): the engine refuses it by code.
    response = client.post(
        _path(deal_world, rfq_id), data=_form(client, deal_world, rfq_id, **letter)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "change at least one term" in page.split('id="unit_price-error"')[1][:400]
    assert len(_events(app, deal_world, "NegotiationProposed")) == 1


def test_a_rival_student_cannot_write_for_the_firm(app, act, deal_world, no_csrf):
    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    owner = _client(app, deal_world["student"])
    data = _form(owner, deal_world, rfq_id)
    rival = _client(app, deal_world["rival"])
    response = rival.post(_path(deal_world, rfq_id), data=data)
    # The rival's own firm F002 has no quotation on this RFQ: nothing to negotiate.
    assert response.status_code in {400, 404}
    assert _events(app, deal_world, "NegotiationProposed") == []


def test_the_form_needs_its_csrf_token(app, act, deal_world):
    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    client = _client(app, deal_world["student"])
    data = _form(client, deal_world, rfq_id)
    response = client.post(_path(deal_world, rfq_id), data=data)  # no csrf_token field
    assert response.status_code in {400, 403}
    assert _events(app, deal_world, "NegotiationProposed") == []


def test_the_buyers_answer_reads_in_chinese(app, act, deal_world, no_csrf):
    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    quote = _terms_of_quote(app, deal_world, rfq_id)
    client = _client(app, deal_world["student"])
    data = _form(client, deal_world, rfq_id, incoterm=quote["incoterm"], payment=quote["payment"])
    client.post(_path(deal_world, rfq_id), data=data)
    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    answer = _events(app, deal_world, "NegotiationAnswered")[0].data
    page = client.get(_path(deal_world, rfq_id)).get_data(as_text=True)
    assert "与买家的往来函件" in page
    expected = {"accept": "我们接受", "counter": "我们可以接受", "decline": "买家已拒绝"}
    assert expected[answer["decision"]] in page


def test_the_teachers_timeline_shows_the_letters_and_answers(app, act, deal_world, no_csrf):
    from academy.labs.labels import EventName
    from academy.labs.teaching import firm_timeline

    rfq_id, _price = _quote(act, deal_world["student"], deal_world["market"], "0.15")
    quote = _terms_of_quote(app, deal_world, rfq_id)
    client = _client(app, deal_world["student"])
    data = _form(client, deal_world, rfq_id, incoterm=quote["incoterm"], payment=quote["payment"])
    client.post(_path(deal_world, rfq_id), data=data)

    def timeline():
        return firm_timeline(db.session.get(SandboxMarket, deal_world["market"]), "F001")

    entries = act(timeline)["entries"]
    letter = next(e for e in entries if e["type"] == "NegotiationProposed")
    answer = next(e for e in entries if e["type"] == "NegotiationAnswered")
    assert letter["actor"]  # the student who wrote it
    assert ("decision", answer["data"]["decision"]) in answer["details"]
    assert {"NegotiationProposed", "NegotiationAnswered"} <= set(EventName.as_dict())
