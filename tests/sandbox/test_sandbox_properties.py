"""Property tests over random command sequences from random seeds.

Whatever a student types, and whatever the seed: every party's books balance, money
is conserved across all parties, replaying the log gives the same hash, and a
rejected command changes nothing.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.bots import register_bot_firms, run_bots
from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.market import Market, replay
from sandbox.errors import CommandRejected
from sandbox.payments import PAYMENT_METHODS, prepare_presentation
from sandbox.scenario import load_scenario
from sandbox.trade import INCOTERMS

HUMAN = "H1"
# The conftest registers the profiles; applying one here keeps it local to these tests.
SANDBOX_SETTINGS = settings.get_profile(os.environ.get("SANDBOX_HYPOTHESIS_PROFILE", "sandbox"))
KINDS = (
    "quote",
    "quote",
    "quote",
    "answer",
    "edit",
    "negotiate",
    "negotiate",
    "po",
    "freight",
    "declaration",
    "documents",
    "amend",
    "rebate",
    "respond",
    "forward",
    "insure",
    "dispute",
    "listing",
    "register",
)


def _pick(data: Any, options: list[str], fallback: str) -> str:
    return data.draw(st.sampled_from(options)) if options else fallback


def draw_command(data: Any, m: Market) -> Any:
    """Draw a command that is often valid, sometimes subtly wrong, sometimes absurd."""
    state = m.state
    world = m.world
    firm = data.draw(st.sampled_from([HUMAN, HUMAN, HUMAN, "F001", "F002", "NOPE"]))
    contracts = sorted(k for k, v in state.contracts.items() if v["firm_id"] == firm)
    contract_id = _pick(data, contracts, "C999999")
    kind = data.draw(st.sampled_from(KINDS))
    if kind == "quote":
        open_rfqs = sorted(r for r, v in state.rfqs.items() if v["status"] == "open")
        rfq_id = _pick(data, open_rfqs, "R0000000")
        market = (
            state.buyers[state.rfqs[rfq_id]["buyer_id"]]["market"] if rfq_id in state.rfqs else "DE"
        )
        lanes = [*world.lanes_by_market[market], "FCL-DE", "NOLANE"]
        return c.SubmitQuote(
            firm,
            rfq_id,
            data.draw(st.integers(-10, 3_000_000)),
            data.draw(st.sampled_from([*INCOTERMS, "XXX"])),
            data.draw(st.sampled_from([*PAYMENT_METHODS, "cash"])),
            data.draw(st.sampled_from(lanes)),
            data.draw(st.integers(0, 130)),
        )
    if kind == "edit":
        quotes = sorted(q for q, v in state.quotes.items() if v["firm_id"] == firm)
        return c.EditQuote(
            firm, _pick(data, quotes, "Q0000000"), data.draw(st.integers(-1, 3_000_000))
        )
    if kind == "negotiate":
        quoted = sorted(
            v["rfq_id"]
            for v in state.quotes.values()
            if v["firm_id"] == firm and state.rfqs[v["rfq_id"]]["status"] == "open"
        )
        rfq_id = _pick(data, quoted, "R0000000")
        own = next(
            (v for v in state.quotes.values() if v["rfq_id"] == rfq_id and v["firm_id"] == firm),
            None,
        )
        price = own["unit_price"] if own else 1000
        return c.ProposeTerms(
            firm,
            rfq_id,
            data.draw(st.sampled_from([price, price * 95 // 100, price * 80 // 100, 0, -3])),
            data.draw(st.sampled_from([own["incoterm"] if own else "FOB", "CIF", "XXX"])),
            data.draw(st.sampled_from([*PAYMENT_METHODS, "cash"])),
            data.draw(st.sampled_from([30, 10, 0])),
            data.draw(st.sampled_from(["", "Dear buyer", "x" * 1001])),
        )
    if kind == "answer":
        pending = sorted(state.pending_inquiries.get(firm, {}))
        return c.AnswerInquiry(firm, _pick(data, pending, "I0000000"))
    if kind == "po":
        return c.PlacePurchaseOrder(
            firm, contract_id, data.draw(st.sampled_from([*sorted(world.suppliers), "S99"]))
        )
    if kind == "freight":
        return c.BookFreight(firm, contract_id, data.draw(st.booleans()))
    if kind == "declaration":
        form: dict[str, Any] = {}
        if contract_id in state.contracts:
            form = expected_for(m, state.contracts[contract_id])
            field = data.draw(st.sampled_from([None, *sorted(form)]))
            if field is not None:
                form[field] = data.draw(
                    st.sampled_from([None, "", 0, "9610", "XX", 1, form[field]])
                )
        return c.FileDeclaration(firm, contract_id, form)
    if kind == "documents":
        contract = state.contracts.get(contract_id)
        documents: dict[str, Any] = {"invoice_amount": "lots"}
        if contract is not None and contract["lc"] is not None:
            documents = prepare_presentation(contract["lc"]["credit"], insurance_amount=None)
            if data.draw(st.booleans()):
                documents["invoice_description"] = "something else"
        return c.PresentDocuments(firm, contract_id, documents)
    if kind == "amend":
        return c.RequestLcAmendment(firm, contract_id)
    if kind == "respond":
        decision = data.draw(st.sampled_from(["accept", "refuse", "maybe"]))
        return c.RespondToCredit(firm, contract_id, decision)
    if kind == "rebate":
        return c.ClaimRebate(firm, contract_id)
    if kind == "forward":
        return c.BookForward(
            firm, data.draw(st.integers(-5, 50_000_000)), data.draw(st.integers(0, 200))
        )
    if kind == "insure":
        return c.InsureBuyerCredit(
            firm, data.draw(st.sampled_from([*state.buyer_ids[:20], "B999999"]))
        )
    if kind == "dispute":
        disputes = sorted(state.disputes)
        rate = data.draw(st.sampled_from(["0", "0.05", "0.3", "1", "2", "abc"]))
        return c.ResolveDispute(firm, _pick(data, disputes, "D999999"), rate)
    if kind == "listing":
        return c.ImproveListing(firm, data.draw(st.sampled_from([*sorted(world.products), "P99"])))
    return c.RegisterFirm(
        data.draw(st.sampled_from([HUMAN, "H2", "bad id", ""])),
        data.draw(st.sampled_from(["Second firm", " "])),
        tuple(data.draw(st.lists(st.sampled_from([*sorted(world.products), "P99"]), max_size=7))),
    )


@SANDBOX_SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**40), data=st.data())
def test_random_command_sequences_keep_the_books_and_replay(seed: int, data: Any) -> None:
    world = load_scenario("exam_standard", seed=seed)
    market = Market.open(world, buyers=80)
    register_bot_firms(market, 2, ["aggressive", "sloppy"])
    market.execute(c.RegisterFirm(HUMAN, "Student firm", tuple(sorted(world.products)[:4])))
    rejected = accepted = 0
    for _ in range(data.draw(st.integers(min_value=3, max_value=25))):
        run_bots(market)
        for _ in range(data.draw(st.integers(min_value=0, max_value=6))):
            command = draw_command(data, market)
            before_hash, before_seq = market.state_hash(), market.state.seq
            try:
                market.execute(command)
            except CommandRejected as error:
                rejected += 1
                assert error.code and error.message
                assert market.state.seq == before_seq
                assert market.state_hash() == before_hash
            else:
                accepted += 1
        market.step()
        assert market.trial_balance_ok()
        assert market.money_created() == 0
    events = list(market.store.read())
    assert replay(events).state_hash() == market.state_hash()


@SANDBOX_SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**40), days=st.integers(min_value=1, max_value=40))
def test_bot_markets_conserve_money_for_any_seed(seed: int, days: int) -> None:
    market = Market.open(load_scenario("exam_standard", seed=seed), buyers=100)
    register_bot_firms(market, 3, ["cautious", "aggressive", "sloppy"])
    for _ in range(days):
        run_bots(market)
        market.step()
    assert market.money_created() == 0
    assert market.trial_balance_ok()
    for firm_id in market.state.firms:
        assert market.kpis(firm_id)["balance_sheet_ok"]
    assert replay(market.store.read()).state_hash() == market.state_hash()


def test_replay_stops_nowhere_special():
    """Replaying any prefix of the log gives the state the market had at that point."""
    market = Market.open(load_scenario("exam_standard", seed=5), buyers=80)
    register_bot_firms(market, 3, ["cautious", "aggressive", "sloppy"])
    hashes = {}
    for _ in range(15):
        run_bots(market)
        market.step()
        hashes[market.state.seq] = market.state_hash()
    events = list(market.store.read())
    for seq, expected in hashes.items():
        assert replay(events[:seq]).state_hash() == expected
