"""One contract driven by hand through forced outcomes: loss in transit, D/P refusal,
customs inspection. Each world is a small scenario written for the test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.market import Market, replay
from sandbox.money import apply_rate, convert
from sandbox.payments import prepare_presentation
from sandbox.scenario import load_scenario, scenario_dir

SCENARIO = """
name = "forced"
seed = 11
start_date = "2026-03-02"
world = "{catalogue}"
markets = ["DE"]
products = ["P01"]

[[extra_lanes]]
id = "TEST-DE"
carrier = "CRE"
mode = "rail"
origin = "CNCGO"
market = "DE"
destination = "Hamburg"
basis = "container40"
cost = [100000, 100000]
days = [10, 10]
delay_probability = 0.0
delay_days = [0, 0]
damage_probability = 0.0
loss_probability = {loss}

[overrides.events]
buyer_rfq_per_day = 0.3
buyer_inquiry_per_day = 0.0
complaint_base = 0.0
dp_refusal_base = {refusal}

[overrides.customs]
base_risk_rate = {risk}

[overrides.credit.default_probability]
AAA = {default}

[overrides.credit.rating_weights.low]
AAA = 1
AA = 0
A = 0
BBB = 0
BB = 0
B = 0
C = 0
"""


def forced_market(
    tmp_path: Path,
    *,
    loss: float = 0.0,
    refusal: float = 0.0,
    risk: float = 0.0,
    default: float = 0.0,
) -> Market:
    path = tmp_path / "forced.toml"
    catalogue = (scenario_dir() / "_henan_world.toml").as_posix()
    text = SCENARIO.format(
        catalogue=catalogue, loss=loss, refusal=refusal, risk=risk, default=default
    )
    path.write_text(text)
    market = Market.open(load_scenario(str(path)), buyers=40)
    market.execute(c.RegisterFirm("H1", "Student firm", ("P01",)))
    return market


def sign_contract(market: Market, incoterm: str, payment: str) -> dict:
    quoted = False
    for _ in range(40):
        open_rfqs = list(market.state.open_rfqs_by_product.get("P01", {}))
        if open_rfqs and not quoted:
            market.execute(
                c.SubmitQuote("H1", open_rfqs[0], 1_000, incoterm, payment, "TEST-DE", 40)
            )
            quoted = True
        market.step()
        if market.state.contracts:
            return next(iter(market.state.contracts.values()))
    raise AssertionError("no contract signed")


def ship(market: Market, contract: dict, *, declaration: dict | None = None) -> None:
    market.execute(c.PlacePurchaseOrder("H1", contract["contract_id"], "S01"))
    while market.state.purchase_orders[contract["po_id"]]["status"] == "ordered":
        market.step()
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    form = declaration if declaration is not None else expected_for(market, contract)
    market.execute(c.FileDeclaration("H1", contract["contract_id"], form))
    while contract["departed_day"] is None:
        market.step()


def run_until(market: Market, predicate, days: int = 60) -> None:
    for _ in range(days):
        if predicate():
            return
        market.step()
    raise AssertionError("condition never met")


def check_books(market: Market) -> None:
    assert market.money_created() == 0
    assert market.trial_balance_ok()
    assert replay(market.store.read()).state_hash() == market.state_hash()


def test_loss_before_risk_passes_hits_the_seller(tmp_path):
    market = forced_market(tmp_path, loss=1.0)
    contract = sign_contract(market, "DAP", "tt")
    ship(market, contract)
    run_until(market, lambda: contract["stage"] == "lost")
    assert contract["loss_bearer"] == "seller" and contract["status"] == "lost"
    ledger = market.state.ledger
    assert ledger.balance("firm:H1", "non_operating_loss") == contract["cost"]
    assert ledger.balance("firm:H1", "sales") == 0  # never recognised
    assert ledger.balance("firm:H1", "customer_advances") == 0  # deposit refunded
    check_books(market)


def test_loss_after_risk_passes_leaves_the_buyer_owing(tmp_path):
    market = forced_market(tmp_path, loss=1.0)
    contract = sign_contract(market, "FCA", "tt")
    ship(market, contract)
    run_until(market, lambda: contract["stage"] == "lost")
    assert contract["loss_bearer"] == "buyer"
    ledger = market.state.ledger
    # The sale stands and the seller books no loss; the buyer still owes the price.
    assert contract["recognized"] and ledger.balance("firm:H1", "sales") < 0
    assert ledger.balance("firm:H1", "non_operating_loss") == 0
    assert {item["part"] for item in contract["receivables"]} == {"deposit", "balance"}
    check_books(market)


def test_dp_refusal_returns_goods_and_reverses_the_sale(tmp_path):
    market = forced_market(tmp_path, refusal=50.0)
    contract = sign_contract(market, "CPT", "dp")
    ship(market, contract)
    run_until(market, lambda: contract["status"] != "active")
    assert contract["status"] == "refused"
    ledger = market.state.ledger
    assert ledger.balance("firm:H1", "sales") == 0
    assert ledger.balance("firm:H1", "inventory") == contract["cost"]
    assert market.state.firms["H1"]["stock"]["P01"][0] == contract["quantity"]
    check_books(market)


@pytest.mark.parametrize(("undervalue", "penalised"), [(True, True), (False, False)])
def test_inspection_fines_misdeclaration_and_moves_credit(tmp_path, undervalue, penalised):
    market = forced_market(tmp_path, risk=1.0)
    contract = sign_contract(market, "FCA", "tt")
    form = expected_for(market, contract)
    if undervalue:
        form["declared_value"] //= 2
    score = market.state.firms["H1"]["customs_score"]
    ship(market, contract, declaration=form)
    declaration = contract["declaration"]
    assert declaration["inspected"] and declaration["inspector"].startswith("ZZ-INS-")
    assert (declaration["penalty"] > 0) is penalised
    new_score = market.state.firms["H1"]["customs_score"]
    assert new_score == (score - 20 if penalised else score + 3)
    paid = market.state.ledger.balance("customs", "fine_income")
    assert -paid == declaration["penalty"]
    check_books(market)


def test_late_shipment_cancels_and_refunds_the_deposit(tmp_path):
    market = forced_market(tmp_path)
    contract = sign_contract(market, "FCA", "tt")
    run_until(market, lambda: contract["status"] != "active", days=120)
    assert contract["status"] == "cancelled_late"
    assert market.state.ledger.balance("firm:H1", "customer_advances") == 0
    assert market.state.buyers[contract["buyer_id"]]["memory"]["H1"] < 0
    check_books(market)


def test_letter_of_credit_discrepancy_then_waiver_or_corrected_presentation(tmp_path):
    market = forced_market(tmp_path)
    contract = sign_contract(market, "FCA", "lc")
    credit = contract["lc"]["credit"]
    assert credit["presentation_days"] == 21 and credit["amount"] == contract["amount"]
    ship(market, contract)
    documents = prepare_presentation(credit, insurance_amount=None)
    market.execute(
        c.PresentDocuments(
            "H1", contract["contract_id"], {**documents, "invoice_description": "WIGS"}
        )
    )
    run_until(market, lambda: contract["lc"]["state"] != "presented")
    assert [d["code"] for d in contract["lc"]["discrepancies"]] == ["DESCRIPTION_MISMATCH"]
    if contract["lc"]["state"] == "honoured":  # the applicant waived: paid less the fee
        assert contract["lc"]["waived"] is True
        assert market.state.ledger.balance("bank", "fee_income", "USD") <= -7_500
    else:
        market.execute(c.PresentDocuments("H1", contract["contract_id"], documents))
        run_until(market, lambda: contract["lc"]["state"] != "presented")
        assert contract["lc"]["state"] == "honoured" and contract["lc"]["discrepancies"] == []
    assert contract["paid_usd"] == contract["amount"]
    check_books(market)


def test_credit_insurance_indemnifies_ninety_percent_of_a_default(tmp_path):
    market = forced_market(tmp_path, default=50.0)
    contract = sign_contract(market, "FCA", "open_account")
    market.execute(c.InsureBuyerCredit("H1", contract["buyer_id"]))
    ship(market, contract)
    assert contract["credit_insured"]
    run_until(market, lambda: contract["status"] != "active", days=200)
    assert contract["receivables"][0]["status"] == "defaulted"
    written_off = contract["written_off"]
    assert written_off > 0 and contract["credit_claim"] == apply_rate(written_off, Decimal("0.90"))
    ledger = market.state.ledger
    assert ledger.balance("firm:H1", "impairment_loss") == written_off
    assert -ledger.balance("firm:H1", "claims_income") == contract["credit_claim"]
    check_books(market)


def test_a_forward_fixes_the_conversion_rate(tmp_path):
    market = forced_market(tmp_path)
    contract = sign_contract(market, "FCA", "open_account")
    market.execute(c.BookForward("H1", contract["amount"], 180))
    forward = next(iter(market.state.forwards.values()))
    ship(market, contract)
    run_until(market, lambda: contract["paid_usd"] > 0, days=150)
    payment = next(e for e in market.store.read() if e.type == "PaymentReceived")
    assert payment.data["forward_id"] == forward["forward_id"]
    assert payment.data["forward_used"] == contract["amount"]
    assert payment.data["cny"] == convert(contract["amount"], forward["rate"])
    check_books(market)
