"""A student's firm pages in Chromium: the quotation's lane, the rates, the phone layout, the charts.

The market is made in the database (a class market of the demo teacher with one firm
for a demo student, listing the first RFQ's product); everything the student does is
done in the browser. The first RFQ of this world and seed asks for CIF: a sea term.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.auth.models import User
from academy.db import db
from academy.labs import markets
from academy.labs.models import MarketKind
from tests.e2e.browser import log_in, new_page

STUDENT = "student7@academy.test"
MARKET_NAME = "Firm pages (e2e)"
RFQ = "R0000001"


@pytest.fixture(scope="module")
def firm_market(live_server, live_app) -> int:
    """A market on sim-day 4 whose student firm spent on its listing on day 2."""
    with live_app.app_context(), db.unit_of_work():
        teacher = db.session.scalar(sa.select(User).where(User.email == "teacher@academy.test"))
        student = db.session.scalar(sa.select(User).where(User.email == STUDENT))
        market = markets.create_market(
            kind=MarketKind.CLASS_MARKET,
            scenario="zhengzhou_rail_air",
            seed=7,
            buyers=200,
            name=MARKET_NAME,
            owner=teacher,
        )
        markets.advance_market(market, 1)
        rfq = markets.open_market(market).state.rfqs[RFQ]
        assert rfq["incoterm"] in ("FOB", "CFR", "CIF")
        firm = markets.add_firm(
            market, display_name="Lane Test Trading", user=student, products=[rfq["product_id"]]
        )
        markets.advance_market(market, 1)
        result = markets.execute_command(
            market,
            student,
            firm.firm_id,
            {"command": "ImproveListing", "product_id": rfq["product_id"]},
        )
        assert result.ok, result.error
        markets.advance_market(market, 2)
        market_id = market.id
    return market_id


def test_a_sea_term_quotation_starts_on_a_sea_lane_and_sends(browser, live_server, firm_market):
    page = new_page(browser, live_server)
    log_in(page, STUDENT)
    page.goto(f"/sandbox/markets/{firm_market}/firm/rfqs/{RFQ}/quote")
    lane = page.get_by_label("Lane").first
    chosen = lane.locator("option:checked").inner_text()
    assert "sea" in chosen.lower(), f"the lane box starts on {chosen!r} for a sea term"
    helper_lane = page.locator("select[name=lane]").locator("option:checked").inner_text()
    assert helper_lane == chosen, "the price helper prices another lane than the form's"
    page.get_by_label("Unit price (USD)").fill("6.10")
    page.get_by_role("button", name=re.compile("Send the quotation", re.I)).click()
    expect(page.get_by_text(f"Your quotation for {RFQ} was sent.")).to_be_visible()


def test_firm_rates_read_as_percentages_with_their_meaning(browser, live_server, firm_market):
    page = new_page(browser, live_server)
    log_in(page, STUDENT)
    page.goto(f"/sandbox/markets/{firm_market}/firm")
    rates = page.locator("#firm-rates")
    for text in ("Response rate", "On-time delivery", "Dispute rate"):
        expect(rates).to_contain_text(text)
    for value in rates.locator("[data-kpi]").all_inner_texts():
        assert value == "—" or re.fullmatch(r"\d{1,3}\.\d%", value), value
    card = rates.locator(".card").first
    assert "answered within a day" in (card.get_attribute("title") or "")
    expect(card).to_contain_text("answered within a day")


def test_the_firm_dashboard_fits_a_390_px_phone(browser, live_server, firm_market):
    context = browser.new_context(
        base_url=live_server, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, STUDENT)
    page.goto(f"/sandbox/markets/{firm_market}/firm")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                    && !el.closest('.table, [style*=overflow]'))
            .map(el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className)
            .slice(0, 5)"""
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, f"the page is {width} px wide; too wide: {wide}"


def test_the_cash_chart_spans_the_cash_not_zero(browser, live_server, firm_market):
    page = new_page(browser, live_server)
    log_in(page, STUDENT)
    page.goto(f"/sandbox/markets/{firm_market}/firm/history")
    points = page.locator("figure").first.locator("polyline").get_attribute("points") or ""
    heights = [float(pair.split(",")[1]) for pair in points.split()]
    assert len(heights) >= 2
    assert max(heights) - min(heights) > 100, f"the cash line is flat: {points}"
