"""Negotiation by letter: a firm proposes new terms, the buyer accepts, counters or declines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.bots.pricing import quote_unit_price
from sandbox.buyers.negotiation import (
    WALK_AWAY,
    answer_proposal,
    buyer_rounds,
    effective_cost,
    opening_discount,
)
from sandbox.engine import commands as c
from sandbox.engine.market import Market, replay
from sandbox.errors import CommandRejected
from sandbox.ledger import trial_balance
from sandbox.scenario import load_scenario
from sandbox.trade.costing import fitting_lanes

HUMAN = "H1"


def quoted_market(margin: str = "0.05", *, by_sea: bool | None = None) -> tuple[Market, dict]:
    """A market where the human firm has quoted an open RFQ (its first fitting one).

    ``by_sea=False`` quotes FCA on the first lane that is not by sea.
    """
    world = load_scenario("exam_standard")
    market = Market.open(world, buyers=120)
    market.execute(c.RegisterFirm(HUMAN, "Human Trading", tuple(sorted(world.products))[:6]))
    for _ in range(3):
        market.step()
    for rfq in market.state.rfqs.values():
        if (
            rfq["status"] != "open"
            or rfq["product_id"] not in market.state.firms[HUMAN]["products"]
        ):
            continue
        buyer = market.state.buyers[rfq["buyer_id"]]
        term = rfq["incoterm"] if by_sea is None else "FCA"
        lanes = fitting_lanes(world, rfq["product_id"], rfq["quantity"], buyer["market"], term)
        if by_sea is False:
            lanes = [lane for lane in lanes if not world.lanes[lane].mode.startswith("sea")]
        if not lanes:
            continue
        price = quote_unit_price(market, rfq, lanes[0], term, Decimal(margin))
        market.execute(
            c.SubmitQuote(HUMAN, rfq["rfq_id"], price, term, rfq["payment"], lanes[0], 30)
        )
        return market, rfq
    raise AssertionError("no RFQ to quote")


def own_quote(market: Market, rfq: dict) -> dict:
    return next(market.state.quotes[q] for q in rfq["quotes"])


def propose(market: Market, rfq: dict, price: int, **changes) -> dict:
    quote = own_quote(market, rfq)
    terms = {
        "incoterm": quote["incoterm"],
        "payment": quote["payment"],
        "lead_days": quote["lead_days"],
        **changes,
    }
    events = market.execute(c.ProposeTerms(HUMAN, rfq["rfq_id"], price, **terms))
    return next(e.data for e in events if e.type == "NegotiationAnswered")


# --- the buyer's rule, as a pure function -----------------------------------------------


def judge(market: Market, rfq: dict, *, reservation_share: int, round_no: int = 1, **extra):
    """Answer the firm's own quote with the reservation set to a share (in ‰) of its cost."""
    quote = own_quote(market, rfq)
    buyer = market.state.buyers[rfq["buyer_id"]]
    buyer = {**buyer, "persona": {**buyer["persona"], **extra.pop("persona", {})}}
    cost = effective_cost(
        market.world, buyer=buyer, rfq=rfq, offer=quote, firm_score=0.5, fx=market.state.fx
    )
    trial = {**rfq, "reservation": cost * reservation_share // 1000}
    answer = answer_proposal(
        market.world,
        buyer=buyer,
        rfq=trial,
        proposal=quote,
        round_no=round_no,
        rivals=extra.get("rivals", []),
        firm_score=0.5,
        fx=market.state.fx,
        counter=extra.get("counter"),
    )
    return answer, cost, buyer, trial


@pytest.mark.parametrize(
    ("share", "round_no", "patience", "decision", "reason"),
    [
        (1200, 1, 1.0, "accept", "within_target"),  # far within the ceiling even at the opening
        (1000, 1, 1.0, "counter", "price_high"),  # at the ceiling: the buyer opens lower
        (1000, 5, 1.0, "accept", "within_target"),  # by its last round it concedes to the ceiling
        (1000, 2, 0.0, "accept", "within_target"),  # an impatient buyer's last round is the 2nd
        (900, 2, 0.0, "decline", "patience"),  # ... and after that it stops
        (900, 3, 1.0, "counter", "price_high"),
        (800, 1, 1.0, "decline", "too_far"),  # 25 % above the ceiling: no point in writing back
    ],
)
def test_buyer_answers_by_reservation_round_and_patience(
    share, round_no, patience, decision, reason
):
    market, rfq = quoted_market()
    answer, *_ = judge(
        market, rfq, reservation_share=share, round_no=round_no, persona={"patience": patience}
    )
    assert (answer.decision, answer.reason) == (decision, reason)


@pytest.mark.parametrize(
    ("patience", "rounds"), [(0.0, 2), (0.32, 2), (0.34, 3), (0.5, 3), (0.67, 4), (1.0, 5)]
)
def test_patience_gives_two_to_five_rounds(patience, rounds):
    assert buyer_rounds({"patience": patience}) == rounds


@pytest.mark.parametrize(
    ("sensitivity", "honesty", "discount"), [(0.0, 1.0, 300), (1.0, 1.0, 800), (1.0, 0.0, 1100)]
)
def test_price_sensitive_and_dishonest_buyers_open_lower(sensitivity, honesty, discount):
    persona = {"price_sensitivity": sensitivity, "honesty": honesty}
    assert opening_discount(persona) == discount


def test_counter_is_the_highest_price_within_the_target_on_the_buyers_payment():
    market, rfq = quoted_market()
    answer, _cost, buyer, trial = judge(
        market, rfq, reservation_share=1000, persona={"patience": 1}
    )
    assert answer.decision == "counter"
    terms = answer.terms
    quote = own_quote(market, rfq)
    assert terms["payment"] == buyer["persona"]["preferred_payment"]
    assert (terms["incoterm"], terms["lead_days"]) == (quote["incoterm"], quote["lead_days"])
    assert terms["unit_price"] < quote["unit_price"]
    ceiling = trial["reservation"]
    target = ceiling * (10_000 - opening_discount(buyer["persona"])) // 10_000

    def cost_at(price):
        offer = {**quote, **terms, "unit_price": price}
        return effective_cost(
            market.world, buyer=buyer, rfq=trial, offer=offer, firm_score=0.5, fx=market.state.fx
        )

    assert cost_at(terms["unit_price"]) <= target < cost_at(terms["unit_price"] + 1)


def test_meeting_the_counter_offer_is_accepted_whatever_the_round():
    market, rfq = quoted_market()
    quote = own_quote(market, rfq)
    counter = {k: quote[k] for k in ("incoterm", "payment", "lead_days")}
    counter["unit_price"] = quote["unit_price"] + 1
    answer, *_ = judge(market, rfq, reservation_share=900, round_no=2, counter=counter)
    assert (answer.decision, answer.reason) == ("accept", "counter_met")
    longer = {**counter, "lead_days": quote["lead_days"] - 1}
    answer, *_ = judge(market, rfq, reservation_share=900, round_no=2, counter=longer)
    assert (
        answer.reason != "counter_met"
    )  # a longer lead time than the buyer asked is not its offer


def test_a_better_rival_offer_lowers_the_ceiling_and_is_named():
    market, rfq = quoted_market()
    alone, cost, *_ = judge(market, rfq, reservation_share=1200, persona={"honesty": 0.9})
    assert alone.decision == "accept"
    rival, *_ = judge(
        market, rfq, reservation_share=1200, persona={"honesty": 0.9}, rivals=[cost * 99 // 100]
    )
    assert (rival.decision, rival.claim) == ("counter", "rival")


@pytest.mark.parametrize(("honesty", "claim"), [(0.9, "budget"), (0.3, "rival")])
def test_a_dishonest_buyer_claims_a_rival_it_does_not_have(honesty, claim):
    market, rfq = quoted_market()
    answer, *_ = judge(market, rfq, reservation_share=1000, persona={"honesty": honesty})
    assert (answer.decision, answer.claim) == ("counter", claim)


def test_walk_away_is_fifteen_percent():
    assert WALK_AWAY == 1500


# --- the command through the engine -----------------------------------------------------


def test_agreeing_signs_the_contract_on_the_agreed_terms():
    market, rfq = quoted_market()
    quote = own_quote(market, rfq)
    first = propose(market, rfq, quote["unit_price"])
    answers = [first]
    while answers[-1]["decision"] == "counter":
        offer = answers[-1]["terms"]
        answers.append(propose(market, rfq, offer["unit_price"], payment=offer["payment"]))
    assert answers[-1]["decision"] == "accept", answers
    agreed = answers[-1]["terms"]
    contract = next(v for v in market.state.contracts.values() if v["rfq_id"] == rfq["rfq_id"])
    assert contract["unit_price"] == agreed["unit_price"]
    assert contract["payment"] == agreed["payment"]
    assert contract["amount"] == agreed["unit_price"] * rfq["quantity"]
    assert contract["ship_by_day"] == market.state.day + agreed["lead_days"]
    assert market.state.rfqs[rfq["rfq_id"]]["status"] == "awarded"
    thread = market.state.rfqs[rfq["rfq_id"]]["negotiations"][HUMAN]
    assert thread["status"] == "accepted" and quote["negotiated"] is True
    assert [r["round"] for r in thread["rounds"]] == list(range(1, len(answers) + 1))
    assert trial_balance(market.state.ledger)["ok"]


def test_a_firm_that_never_concedes_is_declined_within_the_buyers_rounds():
    market, rfq = quoted_market(margin="0.08")
    quote = own_quote(market, rfq)
    buyer = market.state.buyers[rfq["buyer_id"]]
    answers = []
    for step in range(6):
        try:
            answers.append(propose(market, rfq, quote["unit_price"] - step))
        except CommandRejected as error:
            assert error.code == "NEGOTIATION_CLOSED"
            break
        if answers[-1]["decision"] != "counter":
            break
    assert answers[-1]["decision"] in {"decline", "accept"}
    assert len(answers) <= buyer_rounds(buyer["persona"])


def test_negotiation_replays_and_is_deterministic():
    first, rfq = quoted_market()
    second, _ = quoted_market()
    price = own_quote(first, rfq)["unit_price"]
    for market in (first, second):
        propose(market, rfq, price, message="Dear Sir, our best price.")
    assert first.state_hash() == second.state_hash()
    rebuilt = replay(list(first.store.read()))
    assert rebuilt.state_hash() == first.state_hash()
    thread = rebuilt.state.rfqs[rfq["rfq_id"]]["negotiations"][HUMAN]
    assert thread["rounds"][0]["message"] == "Dear Sir, our best price."


def test_markets_without_negotiation_keep_their_rfq_shape():
    market, rfq = quoted_market()
    assert "negotiations" not in market.state.rfqs[rfq["rfq_id"]]


def rejection(market: Market, command) -> str:
    before = market.state_hash()
    with pytest.raises(CommandRejected) as caught:
        market.execute(command)
    assert market.state_hash() == before
    return caught.value.code


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"firm_id": "NOPE"}, "FIRM_NOT_FOUND", "firm_id"),
        ({"rfq_id": "R9999999"}, "RFQ_NOT_FOUND", "rfq_id"),
        ({"unit_price": 0}, "PRICE_INVALID", "unit_price"),
        ({"unit_price": "12.5"}, "PRICE_INVALID", "unit_price"),
        ({"incoterm": "XYZ"}, "INCOTERM_UNKNOWN", "incoterm"),
        ({"payment": "cash"}, "PAYMENT_UNKNOWN", "payment"),
        ({"lead_days": 0}, "LEAD_TIME_INVALID", "lead_days"),
        ({"lead_days": 121}, "LEAD_TIME_INVALID", "lead_days"),
        ({"message": "x" * 1001}, "MESSAGE_TOO_LONG", "message"),
        ({"message": 5}, "FIELD_TYPE", "message"),
    ],
)
def test_malformed_proposals_are_refused_and_change_nothing(changes, code, field):
    market, rfq = quoted_market()
    quote = own_quote(market, rfq)
    base = {
        "firm_id": HUMAN,
        "rfq_id": rfq["rfq_id"],
        "unit_price": quote["unit_price"],
        "incoterm": quote["incoterm"],
        "payment": quote["payment"],
        "lead_days": 30,
        "message": "",
    }
    before = market.state_hash()
    with pytest.raises(CommandRejected) as caught:
        market.execute(c.ProposeTerms(**{**base, **changes}))
    assert (caught.value.code, caught.value.field) == (code, field)
    assert market.state_hash() == before


def test_sea_rules_are_refused_on_a_lane_that_is_not_by_sea():
    market, rfq = quoted_market(by_sea=False)
    quote = own_quote(market, rfq)
    assert not market.world.lanes[quote["lane_id"]].mode.startswith("sea")
    command = c.ProposeTerms(HUMAN, rfq["rfq_id"], quote["unit_price"], "FOB", "tt", 30)
    assert rejection(market, command) == "INCOTERM_MODE_MISMATCH"


def test_a_firm_must_quote_before_it_negotiates():
    market, rfq = quoted_market()
    market.execute(c.RegisterFirm("H2", "Second", (rfq["product_id"],)))
    command = c.ProposeTerms("H2", rfq["rfq_id"], 100, "FOB", "tt", 30)
    assert rejection(market, command) == "NEGOTIATION_NO_QUOTE"


def test_repeating_the_last_proposal_is_refused():
    market, rfq = quoted_market(margin="0.15")
    quote = own_quote(market, rfq)
    answer = propose(market, rfq, quote["unit_price"])
    assert answer["decision"] == "counter"
    command = c.ProposeTerms(
        HUMAN, rfq["rfq_id"], quote["unit_price"], quote["incoterm"], quote["payment"], 30
    )
    assert rejection(market, command) == "NEGOTIATION_UNCHANGED"


def test_after_acceptance_the_rfq_is_closed_to_further_letters():
    market, rfq = quoted_market()
    quote = own_quote(market, rfq)
    answer = propose(market, rfq, quote["unit_price"] // 2)
    assert answer["decision"] == "accept"
    command = c.ProposeTerms(HUMAN, rfq["rfq_id"], 1, quote["incoterm"], quote["payment"], 30)
    assert rejection(market, command) == "RFQ_CLOSED"


def test_a_declined_negotiation_is_over_but_the_quote_stands():
    market, rfq = quoted_market(margin="0.30")
    quote = own_quote(market, rfq)
    answer = propose(market, rfq, quote["unit_price"] * 2)
    assert answer == {**answer, "decision": "decline", "reason": "too_far", "terms": None}
    command = c.ProposeTerms(HUMAN, rfq["rfq_id"], 1, quote["incoterm"], quote["payment"], 30)
    assert rejection(market, command) == "NEGOTIATION_CLOSED"
    assert (
        rfq["quotes"] == [quote["quote_id"]]
        and market.state.rfqs[rfq["rfq_id"]]["status"] == "open"
    )


def test_a_firm_sees_its_own_letters_and_never_a_rivals():
    market, rfq = quoted_market()
    quote = own_quote(market, rfq)
    market.execute(c.RegisterFirm("H2", "Rival", (rfq["product_id"],)))
    market.execute(
        c.SubmitQuote(
            "H2",
            rfq["rfq_id"],
            quote["unit_price"],
            quote["incoterm"],
            quote["payment"],
            quote["lane_id"],
            30,
        )
    )
    rival = c.ProposeTerms(
        "H2", rfq["rfq_id"], quote["unit_price"] * 2, quote["incoterm"], quote["payment"], 30
    )
    market.execute(rival)
    assert rfq["rfq_id"] not in market.firm_view(HUMAN)["negotiations"]
    thread = market.firm_view("H2")["negotiations"][rfq["rfq_id"]]
    assert thread["status"] == "declined" and len(thread["rounds"]) == 1
    assert "reservation" not in thread and "reservation" not in thread["buyer"]


RANK = {"decline": 0, "counter": 1, "accept": 2}
_PROPERTY_MARKET = quoted_market()


@settings(max_examples=40, deadline=None)
@given(
    share=st.integers(700, 1400),
    round_no=st.integers(1, 5),
    cut=st.integers(1, 400),
    patience=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_a_lower_price_never_gets_a_worse_answer(share, round_no, cut, patience):
    market, rfq = _PROPERTY_MARKET
    quote = own_quote(market, rfq)
    persona = {"patience": patience}
    high, *_ = judge(market, rfq, reservation_share=share, round_no=round_no, persona=persona)
    cheaper = {**quote, "unit_price": max(1, quote["unit_price"] * (1000 - cut) // 1000)}
    buyer = market.state.buyers[rfq["buyer_id"]]
    buyer = {**buyer, "persona": {**buyer["persona"], **persona}}
    cost = effective_cost(
        market.world, buyer=buyer, rfq=rfq, offer=quote, firm_score=0.5, fx=market.state.fx
    )
    low = answer_proposal(
        market.world,
        buyer=buyer,
        rfq={**rfq, "reservation": cost * share // 1000},
        proposal=cheaper,
        round_no=round_no,
        rivals=[],
        firm_score=0.5,
        fx=market.state.fx,
        counter=None,
    )
    assert RANK[low.decision] >= RANK[high.decision]
    if low.decision == "counter":
        assert low.terms["unit_price"] <= cheaper["unit_price"]
