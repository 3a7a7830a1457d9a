"""Platform mechanics: RFQs close after 10 quotes, quotas, response rate, star rating."""

from __future__ import annotations

from sandbox.engine import commands as c
from sandbox.engine.kpis import response_rate, response_time, star_rating
from sandbox.engine.market import Market
from sandbox.errors import CommandRejected

THRESHOLDS = [60, 70, 80, 85, 90]


def firm_record(**overrides):
    firm = {
        "inquiry_log": [],
        "listing_quality": {"P01": 50},
        "stats": {
            "quotes": 0,
            "contracts": 0,
            "shipped": 0,
            "on_time": 0,
            "arrived": 0,
            "disputes": 0,
        },
    }
    firm.update(overrides)
    return firm


def test_star_rating_is_capped_by_the_weakest_indicator():
    strong = firm_record(
        stats={
            "shipped": 10,
            "on_time": 10,
            "arrived": 10,
            "disputes": 0,
            "quotes": 0,
            "contracts": 0,
        }
    )
    assert star_rating(strong, 40, THRESHOLDS)[0] == 5
    late = firm_record(
        stats={
            "shipped": 10,
            "on_time": 7,
            "arrived": 10,
            "disputes": 0,
            "quotes": 0,
            "contracts": 0,
        }
    )
    stars, indicators = star_rating(late, 40, THRESHOLDS)
    assert indicators["on_time"] == 70.0 and stars == 2
    weak_listing = firm_record(listing_quality={"P01": 29})
    assert star_rating(weak_listing, 40, THRESHOLDS)[0] == 0


def test_response_rate_counts_24_hours_over_30_days():
    log = [[10, 10], [11, 13], [12, None], [20, 21], [39, None]]
    firm = firm_record(inquiry_log=log)
    # Day 40: the one from day 39 is still within 24 h; day 12 was never answered;
    # day 11 was answered late. Answered in time: days 10 and 20.
    assert response_rate(firm, 40) == 2 / 4
    # Day 45: days 10-12 fall out of the window and day 39 is now overdue.
    assert response_rate(firm, 45) == 1 / 2
    assert response_rate(firm_record(), 5) is None
    assert response_time(firm, 40) == round((0 + 2 + 1) / 3, 2)


def test_rfq_closes_after_ten_quotes(exam_world):
    market = Market.open(exam_world, buyers=300)
    products = tuple(sorted(exam_world.products))
    for index in range(11):
        market.execute(c.RegisterFirm(f"H{index:02d}", f"Firm {index}", products))
    while not any(market.state.open_rfqs_by_product.values()):
        market.step()
    rfq = next(
        market.state.rfqs[r] for ids in market.state.open_rfqs_by_product.values() for r in ids
    )
    lane = exam_world.lanes_by_market[market.state.buyers[rfq["buyer_id"]]["market"]][0]
    for index in range(10):
        events = market.execute(
            c.SubmitQuote(f"H{index:02d}", rfq["rfq_id"], 10_000 + index, "FCA", "tt", lane, 30)
        )
    assert [e.type for e in events] == ["QuoteSubmitted", "RfqClosed"]
    assert events[1].data == {"rfq_id": rfq["rfq_id"], "reason": "max_quotes"}
    try:
        market.execute(c.SubmitQuote("H10", rfq["rfq_id"], 9_000, "FCA", "tt", lane, 30))
    except CommandRejected as error:
        assert (error.code, error.rule) == ("RFQ_CLOSED", "platform.rfq.closes_after_10_quotes")
    else:
        raise AssertionError("an eleventh quote was accepted")
    market.step()
    assert market.state.rfqs[rfq["rfq_id"]]["status"] in {"awarded", "lapsed"}


def test_monthly_quote_quota(exam_world):
    market = Market.open(exam_world, buyers=300)
    market.execute(c.RegisterFirm("H1", "Busy firm", tuple(sorted(exam_world.products))))
    codes = []
    for _ in range(20):
        market.step()
        for ids in list(market.state.open_rfqs_by_product.values()):
            for rfq_id in list(ids):
                rfq = market.state.rfqs[rfq_id]
                lane = exam_world.lanes_by_market[market.state.buyers[rfq["buyer_id"]]["market"]][0]
                try:
                    market.execute(c.SubmitQuote("H1", rfq_id, 10**7, "FCA", "tt", lane, 30))
                    codes.append("ok")
                except CommandRejected as error:
                    codes.append(error.code)
    assert codes.count("ok") == 20  # 20 basic quotes; no reward quotes below three stars
    assert "QUOTE_QUOTA_EXHAUSTED" in codes


def test_a_quote_can_be_edited_once(exam_world):
    market = Market.open(exam_world, buyers=300)
    market.execute(c.RegisterFirm("H1", "Firm", tuple(sorted(exam_world.products))))
    while not any(market.state.open_rfqs_by_product.values()):
        market.step()
    rfq = next(
        market.state.rfqs[r] for ids in market.state.open_rfqs_by_product.values() for r in ids
    )
    lane = exam_world.lanes_by_market[market.state.buyers[rfq["buyer_id"]]["market"]][0]
    quote_id = market.execute(c.SubmitQuote("H1", rfq["rfq_id"], 20_000, "FCA", "tt", lane, 30))[
        0
    ].data["quote_id"]
    assert [e.type for e in market.execute(c.EditQuote("H1", quote_id, 18_000))] == ["QuoteEdited"]
    assert market.state.quotes[quote_id]["unit_price"] == 18_000
    try:
        market.execute(c.EditQuote("H1", quote_id, 17_000))
    except CommandRejected as error:
        assert error.code == "QUOTE_ALREADY_EDITED"
    else:
        raise AssertionError("second edit accepted")
