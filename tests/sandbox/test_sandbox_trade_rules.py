"""The trade rules every shell shares: quote costs, payment terms, a firm's daily KPIs."""

from __future__ import annotations

from decimal import Decimal

from sandbox import (
    PAYMENT_METHODS,
    Escrow,
    Market,
    RegisterFirm,
    compare_payment_terms,
    firm_daily_kpis,
    firm_kpis,
    load_scenario,
    price_ladder,
    quote_inputs,
    quote_unit_price,
)


def _market() -> Market:
    market = Market.open(load_scenario("exam_standard", seed=7), buyers=20)
    market.execute(RegisterFirm("H1", "Student firm", ("P01", "P05", "P19")))
    return market


def test_the_bots_price_with_the_cost_build_up_the_helper_shows():
    market = _market()
    while not market.state.rfqs:
        market.step()
    rfq = next(iter(market.state.rfqs.values()))
    lane = market.world.lanes_by_market[market.state.buyers[rfq["buyer_id"]]["market"]][0]
    inputs = quote_inputs(
        market.world,
        rfq["product_id"],
        lane,
        rfq["quantity"],
        day=market.state.day,
        usd_rate=market.state.fx["USD"],
        margin=Decimal("0.15"),
    )
    total = price_ladder(inputs)["DAP"]
    assert quote_unit_price(market, rfq, lane, "DAP", Decimal("0.15")) == -(
        -total // rfq["quantity"]
    )
    at_cost = quote_inputs(
        market.world,
        rfq["product_id"],
        lane,
        rfq["quantity"],
        day=market.state.day,
        usd_rate=market.state.fx["USD"],
    )
    assert at_cost.exw < inputs.exw and at_cost.main_freight == inputs.main_freight


def test_payment_terms_compared_with_the_fees_the_engine_books():
    world = _market().world
    terms = {
        term.code: term for term in compare_payment_terms(world, 2_000_000, 1_500_000, 7 * 10**8)
    }
    assert list(terms) == list(PAYMENT_METHODS)
    escrow = PAYMENT_METHODS["escrow"]
    assert isinstance(escrow, Escrow)
    assert terms["escrow"].fees == escrow.seller_fee_usd(2_000_000, world)
    for term in terms.values():
        assert term.net == 2_000_000 - 1_500_000 - term.fees
        assert sum(share for _part, share, _trigger in term.schedule) == 1


def test_a_firms_daily_kpis_fold_the_log_once_per_closed_day():
    market = _market()
    for _ in range(4):
        market.step()
    days = firm_daily_kpis(market.store.read(), "H1")
    assert len(days) == 4 and days[-1][0] == market.state.day - 1
    assert days[-1][1] == firm_kpis(market.state, "H1")
