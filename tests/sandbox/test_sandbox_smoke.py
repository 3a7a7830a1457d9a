"""End-to-end: a bot market runs, conserves money and replays to the same hash."""

from __future__ import annotations

from sandbox.engine.market import replay


def test_bot_market_conserves_money_and_replays(make_market):
    market = make_market(days=40)
    assert market.money_created() == 0
    assert market.trial_balance_ok()
    assert len(market.state.contracts) > 0
    events = list(market.store.read())
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert replay(events).state_hash() == market.state_hash()


def test_every_firm_balance_sheet_balances(make_market):
    market = make_market(days=30)
    for firm_id in market.state.firms:
        assert market.kpis(firm_id)["balance_sheet_ok"]
