"""Issue 11, acceptance 2 (first part): a student negotiates with a buyer by letter and wins.

The market is made in the database (a class market of the demo teacher, one firm for a
demo student listing the first RFQ's product, which it has quoted 20 % over cost); the
letters are written in Chromium: the student writes from the quotation, reads the
buyer's counter-offer in the thread, sends it back as it stands and lands on the signed
contract.
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.auth.models import User
from academy.db import db
from academy.labs import markets
from academy.labs.firm import load_firm_page
from academy.labs.models import MarketKind
from academy.labs.pricing import quote_helper
from tests.e2e.browser import log_in, new_page

STUDENT = "student8@academy.test"
RFQ = "R0000001"


@pytest.fixture(scope="module")
def quoted_market(live_server, live_app) -> int:
    with live_app.app_context(), db.unit_of_work():
        teacher = db.session.scalar(sa.select(User).where(User.email == "teacher@academy.test"))
        student = db.session.scalar(sa.select(User).where(User.email == STUDENT))
        market = markets.create_market(
            kind=MarketKind.CLASS_MARKET,
            scenario="zhengzhou_rail_air",
            seed=7,
            buyers=200,
            name="Negotiation (e2e)",
            owner=teacher,
        )
        markets.advance_market(market, 1)
        rfq = markets.open_market(market).state.rfqs[RFQ]
        firm = markets.add_firm(
            market, display_name="Letter Writers Ltd", user=student, products=[rfq["product_id"]]
        )
        page = load_firm_page(market, firm.firm_id)
        view_rfq = page.rfq(RFQ)
        lane = page.default_lane(view_rfq)
        helper = quote_helper(page, view_rfq, lane, Decimal("0.20"))
        price = next(r["price"] for r in helper["rows"] if r["incoterm"] == rfq["incoterm"])
        command = {
            "command": "SubmitQuote",
            "rfq_id": RFQ,
            "unit_price": price,
            "incoterm": rfq["incoterm"],
            "payment": rfq["payment"],
            "lane_id": lane,
            "lead_days": 30,
        }
        result = markets.execute_command(
            market, student, firm.firm_id, command, secrets.token_urlsafe(18)
        )
        assert result.ok, result.error
        market_id = market.id
    return market_id


def test_a_student_wins_the_order_by_letter(browser, live_server, quoted_market):
    page = new_page(browser, live_server)
    log_in(page, STUDENT)
    page.goto(f"/sandbox/markets/{quoted_market}/firm/rfqs/{RFQ}/quote")
    page.get_by_role("link", name="Write to the buyer").click()
    expect(page.get_by_role("heading", name=f"Negotiate {RFQ}")).to_be_visible()
    expect(page.get_by_text("No letters yet.")).to_be_visible()
    page.get_by_label("Your letter").fill("Dear buyer, this is our best offer for a long order.")
    page.get_by_role("button", name="Send to the buyer").click()
    countered = 0
    for _ in range(4):
        if "/contracts/" in page.url:
            break
        countered += 1
        thread = page.get_by_role("list", name="Letters with the buyer")
        expect(thread).to_contain_text("Dear buyer, this is our best offer")
        expect(thread).to_contain_text("We can agree to")
        # The form now holds the buyer's counter-offer: sending it unchanged accepts it.
        page.get_by_label("Your letter").fill("Agreed: we accept your terms.")
        page.get_by_role("button", name="Send to the buyer").click()
    expect(page).to_have_url(re.compile(r"/firm/contracts/C\d+$"))
    assert countered >= 1, "the buyer took the 20 % quotation at once: nothing was negotiated"
    expect(page.get_by_text(re.compile("We accept"))).to_be_visible()
