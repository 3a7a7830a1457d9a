"""Money flows end to end: deposits, escrow fees, L/C, rebates, credit insurance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.bots import register_bot_firms, run_bots
from sandbox.engine.market import Market
from sandbox.money import apply_rate
from sandbox.scenario import load_scenario


@pytest.fixture(scope="module")
def played() -> Market:
    market = Market.open(load_scenario("zhengzhou_rail_air"), buyers=600)
    # Buyers weigh offers against reservations near the catalogue's market price, and the
    # PV modules' catalogue price sits below their cost once the rebate is cut: only the
    # firm pricing below cost (F008, the undercutter) wins PV orders, which the rebate
    # test needs on both sides of the cut.
    register_bot_firms(market, 9, ["cautious", "aggressive", "sloppy", "undercutter"])
    for _ in range(90):
        run_bots(market)
        market.step()
    return market


def events_of(market: Market, kind: str) -> list:
    return [e for e in market.store.read() if e.type == kind]


def test_tt_deposit_is_thirty_percent(played):
    for contract in played.state.contracts.values():
        if contract["payment"] == "tt":
            deposit = contract["receivables"][0]
            assert deposit["part"] == "deposit"
            assert deposit["amount"] == apply_rate(contract["amount"], Decimal("0.30"))
            return
    raise AssertionError("no T/T contract")


def test_escrow_fees(played):
    funded = events_of(played, "EscrowFunded")
    released = events_of(played, "EscrowReleased")
    assert funded and released
    for event in funded:
        assert event.data["fee"] == apply_rate(event.data["amount"], Decimal("0.0295"))
    for event in released:
        gross = event.data["amount"] + event.data["fee"]
        rate = Decimal("0.05") if gross < 200_000 else Decimal("0.02")
        assert event.data["fee"] == apply_rate(gross, rate)


def test_lc_examinations_refuse_with_all_discrepancies_and_honour_clean_ones(played):
    examined = events_of(played, "LcExamined")
    assert any(e.data["honoured"] for e in examined)
    refused = [e for e in examined if not e.data["honoured"]]
    assert refused and all(e.data["discrepancies"] for e in refused)
    for event in events_of(played, "DocumentsPresented"):
        # Examination within five banking days: at most seven calendar days.
        assert 1 <= event.data["examine_day"] - event.day <= 7


def test_rebate_uses_the_rate_on_the_export_date(played):
    world = played.world
    claims = events_of(played, "RebateClaimed")
    assert claims
    rates_seen = set()
    for event in claims:
        contract = played.state.contracts[event.data["contract_id"]]
        product = world.products[contract["product_id"]]
        expected = product.rebate_rate_on(world.date_of(contract["departed_day"]))
        assert Decimal(event.data["rate"]) == expected
        assert event.data["refund"] + event.data["non_refundable"] == apply_rate(
            contract["cost"], Decimal("0.13")
        )
        rates_seen.add(event.data["rate"])
    assert len(rates_seen) >= 2


def test_customs_inspections_and_credit(played):
    ordered = events_of(played, "InspectionOrdered")
    assert {e.data["reason"] for e in ordered} <= {"risk", "random"}
    assert all(e.data["inspector"].startswith("ZZ-INS-") for e in ordered)
    penalised = [e for e in events_of(played, "DeclarationReleased") if e.data["penalty"]]
    for event in penalised:
        assert event.data["inspected"] and event.data["findings"]


def test_money_is_conserved_per_currency(played):
    assert played.state.ledger.money_created() == {"CNY": 0, "USD": 0}
    assert played.trial_balance_ok()


def test_credit_insurance_pays_ninety_percent(played):
    for event in events_of(played, "CreditClaimPaid"):
        written_off = played.state.contracts[event.data["contract_id"]]["written_off"]
        assert event.data["amount_cny"] == apply_rate(written_off, Decimal("0.90"))
