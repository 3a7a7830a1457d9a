"""Table tests: soft clauses recognised from a credit's text, and what the beneficiary's
choice (accept, ask for an amendment, refuse) does to the contract."""

from __future__ import annotations

import pytest

from sandbox.engine import commands as c
from sandbox.engine.handlers import finance
from sandbox.errors import CommandRejected
from sandbox.payments import examine, find_soft_clauses, prepare_presentation
from sandbox.payments.credit_terms import BENIGN_CLAUSES, SOFT_CLAUSE_TEXTS, without_soft_clauses
from sandbox.payments.soft_clauses import credit_clauses
from tests.sandbox.test_sandbox_lifecycle import (
    check_books,
    forced_market,
    run_until,
    ship,
    sign_contract,
)

WORDINGS = [(kind, text) for kind, texts in SOFT_CLAUSE_TEXTS.items() for text in texts]
OTHER_WORDINGS = [
    ("vessel_approval", "Shipment only on a vessel approved by the applicant."),
    ("vessel_approval", "CARRIER TO BE NOMINATED BY APPLICANT AT ITS DISCRETION."),
    ("applicant_inspection", "Inspection certificate countersigned by the buyer."),
    ("not_operative", "THIS L/C IS NOT YET EFFECTIVE UNTIL WE RECEIVE THE IMPORT LICENSE."),
    ("not_operative", "Credit not available pending applicant's notification to us."),
    ("documents_to_applicant", "Full set of bills of lading to be sent direct to the opener."),
]


@pytest.mark.parametrize(("kind", "text"), WORDINGS + OTHER_WORDINGS)
def test_each_soft_clause_is_recognised(kind, text):
    found = find_soft_clauses(["ALL DOCUMENTS MUST INDICATE THIS CREDIT NUMBER.", text])
    assert [(hit["index"], hit["kind"]) for hit in found] == [(1, kind)]


@pytest.mark.parametrize(
    "text",
    [
        *BENIGN_CLAUSES,
        "INSPECTION CERTIFICATE ISSUED BY SGS SHANGHAI.",
        "COPY OF THE BILL OF LADING TO BE SENT DIRECTLY TO THE APPLICANT BY FAX.",
        "THIS CREDIT IS OPERATIVE.",
    ],
)
def test_ordinary_clauses_are_not_soft(text):
    assert find_soft_clauses([text]) == []


def test_a_credit_issued_before_the_text_reads_as_its_one_soft_clause():
    legacy = {"soft_clause": "inspection_certificate_signed_by_applicant"}
    assert [hit["kind"] for hit in find_soft_clauses(credit_clauses(legacy))] == [
        "applicant_inspection"
    ]
    assert credit_clauses({"soft_clause": None}) == []


CREDIT = {
    "amount": 1_000_000,
    "expiry_day": 60,
    "latest_shipment_day": 30,
    "presentation_days": 21,
    "description": "HUMAN HAIR WIGS HS 6704200000",
    "quantity": 500,
    "unit": "piece",
    "port_of_loading": "CNCGO",
    "required_documents": ["commercial_invoice", "packing_list", "rail_consignment_note"],
    "insurance_required": False,
}


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("vessel_approval", "SOFT_VESSEL_NOT_APPROVED"),
        ("applicant_inspection", "SOFT_CLAUSE_UNMET"),
        ("not_operative", "CREDIT_NOT_OPERATIVE"),
        ("documents_to_applicant", "ORIGINALS_NOT_FULL_SET"),
    ],
)
def test_each_soft_clause_used_by_the_applicant_refuses_the_documents(kind, code):
    terms = {**CREDIT, "clauses": [SOFT_CLAUSE_TEXTS[kind][0]]}
    documents = prepare_presentation(terms, insurance_amount=None)
    used = examine(terms, documents, shipped_day=10, presented_day=12, withheld=[kind])
    assert [d["code"] for d in used["discrepancies"]] == [code]
    kept = examine(terms, documents, shipped_day=10, presented_day=12, withheld=[])
    assert kept["discrepancies"] == []


def test_an_inoperative_credit_pays_nothing_whatever_the_documents():
    terms = {**CREDIT, "clauses": [SOFT_CLAUSE_TEXTS["not_operative"][0]]}
    documents = prepare_presentation(terms, insurance_amount=None)
    documents["invoice_description"] = "WIGS"
    result = examine(terms, documents, shipped_day=10, presented_day=12, withheld=["not_operative"])
    assert [d["code"] for d in result["discrepancies"]] == ["CREDIT_NOT_OPERATIVE"]
    assert result["payable"] == 0


def test_amendment_removes_soft_clauses_and_their_documents():
    terms = {
        **CREDIT,
        "clauses": [BENIGN_CLAUSES[0], SOFT_CLAUSE_TEXTS["applicant_inspection"][0]],
        "required_documents": [*CREDIT["required_documents"], "inspection_certificate"],
        "soft_clause": "applicant_inspection",
    }
    amended = without_soft_clauses(terms)
    assert amended["clauses"] == [BENIGN_CLAUSES[0]]
    assert "inspection_certificate" not in amended["required_documents"]
    assert find_soft_clauses(amended["clauses"]) == []


# --- the beneficiary's choice, in a running market -------------------------------------


def _with_soft_clause(market, contract, kind):
    """The issuing bank re-issues the credit with a soft clause (a test's lever)."""
    credit = dict(contract["lc"]["credit"])
    credit["clauses"] = [*credit.get("clauses", []), SOFT_CLAUSE_TEXTS[kind][0]]
    market.emit("LcIssued", {"contract_id": contract["contract_id"], "credit": credit})
    market.flush()


@pytest.fixture
def lc_contract(tmp_path):
    market = forced_market(tmp_path)
    contract = sign_contract(market, "FCA", "lc")
    return market, contract


def test_refusing_a_credit_before_shipment_closes_the_contract(lc_contract):
    market, contract = lc_contract
    _with_soft_clause(market, contract, "vessel_approval")
    buyer = market.state.buyers[contract["buyer_id"]]
    before = buyer["memory"].get("H1", 0)
    market.execute(c.RespondToCredit("H1", contract["contract_id"], "refuse"))
    assert contract["status"] == "credit_refused"
    assert contract["lc"]["response"] == "refuse"
    # Refusing a credit with a soft clause is sound business: the buyer cannot blame it.
    assert buyer["memory"].get("H1", 0) == before
    check_books(market)


def test_refusing_a_clean_credit_costs_the_buyers_goodwill(lc_contract):
    market, contract = lc_contract
    buyer = market.state.buyers[contract["buyer_id"]]
    before = buyer["memory"].get("H1", 0)
    market.execute(c.RespondToCredit("H1", contract["contract_id"], "refuse"))
    assert contract["status"] == "credit_refused"
    assert buyer["memory"]["H1"] == before - 1
    check_books(market)


@pytest.mark.parametrize(
    ("decision", "code"),
    [("maybe", "LC_DECISION_UNKNOWN")],
)
def test_unknown_decision_is_rejected(lc_contract, decision, code):
    market, contract = lc_contract
    with pytest.raises(CommandRejected) as error:
        market.execute(c.RespondToCredit("H1", contract["contract_id"], decision))
    assert error.value.code == code


def test_a_credit_is_answered_once(lc_contract):
    market, contract = lc_contract
    market.execute(c.RespondToCredit("H1", contract["contract_id"], "accept"))
    assert contract["lc"]["response"] == "accept" and contract["status"] == "active"
    with pytest.raises(CommandRejected) as error:
        market.execute(c.RespondToCredit("H1", contract["contract_id"], "refuse"))
    assert error.value.code == "LC_ALREADY_ANSWERED"


def test_refusal_after_shipment_is_rejected(lc_contract):
    market, contract = lc_contract
    ship(market, contract)
    with pytest.raises(CommandRejected) as error:
        market.execute(c.RespondToCredit("H1", contract["contract_id"], "refuse"))
    assert error.value.code == "LC_REFUSE_AFTER_SHIPMENT"


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("vessel_approval", "SOFT_VESSEL_NOT_APPROVED"),
        ("applicant_inspection", "SOFT_CLAUSE_UNMET"),
        ("not_operative", "CREDIT_NOT_OPERATIVE"),
        ("documents_to_applicant", "ORIGINALS_NOT_FULL_SET"),
    ],
)
def test_accepting_a_soft_clause_lets_the_applicant_block_payment(
    lc_contract, monkeypatch, kind, code
):
    market, contract = lc_contract
    _with_soft_clause(market, contract, kind)
    market.execute(c.RespondToCredit("H1", contract["contract_id"], "accept"))
    # This applicant uses the clause (a dishonest buyer); its choice is in the event.
    monkeypatch.setattr(finance, "applicant_withholds", lambda m, contract: [kind])
    ship(market, contract)
    documents = prepare_presentation(contract["lc"]["credit"], insurance_amount=None)
    market.execute(c.PresentDocuments("H1", contract["contract_id"], documents))
    run_until(market, lambda: contract["lc"]["state"] != "presented")
    assert [d["code"] for d in contract["lc"]["discrepancies"]] == [code]
    # A buyer who used a soft clause never waives: the credit does not pay.
    assert contract["lc"]["state"] == "refused" and contract["paid_usd"] == 0
    check_books(market)


def test_an_accepted_amendment_frees_the_credit(lc_contract, monkeypatch):
    market, contract = lc_contract
    _with_soft_clause(market, contract, "applicant_inspection")
    monkeypatch.setattr(finance, "rng_for", lambda *names: _Yes())
    market.execute(c.RequestLcAmendment("H1", contract["contract_id"]))
    credit = contract["lc"]["credit"]
    assert contract["lc"]["amended"] is True
    assert find_soft_clauses(credit_clauses(credit)) == []
    monkeypatch.undo()
    ship(market, contract)
    documents = prepare_presentation(credit, insurance_amount=None)
    market.execute(c.PresentDocuments("H1", contract["contract_id"], documents))
    run_until(market, lambda: contract["lc"]["state"] != "presented")
    assert contract["lc"]["state"] == "honoured" and contract["paid_usd"] == contract["amount"]
    check_books(market)


class _Yes:
    """A stream whose every draw says yes (the buyer accepts the amendment)."""

    def random(self) -> float:
        return 0.0


def test_advising_fee_is_booked_once_per_credit(lc_contract):
    market, contract = lc_contract
    ship(market, contract)
    documents = prepare_presentation(contract["lc"]["credit"], insurance_amount=None)
    market.execute(c.PresentDocuments("H1", contract["contract_id"], documents))
    run_until(market, lambda: contract["lc"]["state"] == "honoured")
    memos = [
        event.data["memo"]
        for event in market.store.read()
        if event.type == "JournalPosted" and event.data["ref"] == contract["contract_id"]
    ]
    assert memos.count("L/C advising fee") == 1
    received = next(
        event.data
        for event in market.store.read()
        if event.type == "JournalPosted" and event.data["memo"] == "credit received"
    )
    bank_fees = [
        line[3]
        for line in received["lines"]
        if line[0] == "bank" and line[1] == "fee_income" and line[2] == "CNY"
    ]
    advising = int(market.world.money["lc_advising_fee_cny"])
    assert bank_fees and all(-fee < advising for fee in bank_fees)
