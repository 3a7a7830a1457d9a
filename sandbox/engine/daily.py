"""One sim-day: the world's side of the market.

``run_day`` calls the phases in a fixed order. Market-wide draws use a stream named
after the phase and the day (``rng_for(seed, "rfq", day)``); draws about one entity
use a stream named after it, so the outcome for one contract never depends on how
many others exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.buyers import choose_quote, landed_unit_cost, payment_day
from sandbox.buyers.behaviour import (
    REFERENCE_LEAD_DAYS,
    delivery_burden,
    reservation_multiplier,
    to_local,
)
from sandbox.engine import lifecycle, shocks
from sandbox.engine.flows import transfer
from sandbox.engine.kpis import star_rating
from sandbox.engine.parties import BANK, PLATFORM, buyer_party, firm_party
from sandbox.fx import apply_pegs, next_rates
from sandbox.logistics.handling import lane_refusal
from sandbox.money import apply_rate, convert
from sandbox.payments.credit_terms import issue_credit
from sandbox.payments.methods import PAYMENT_METHODS
from sandbox.rng import rng_for
from sandbox.trade import INCOTERMS
from sandbox.trade.catalogue import catalogue_price

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["firm_scores", "run_day", "sign_contract"]


def run_day(m: Market) -> None:
    """Play the world's part of the current sim-day (the caller closes the day)."""
    state = m.state
    # Today's rates come first so every phase of the day sees the same ones.
    pegs = m.world.fx_rules.pegs
    rates = next_rates(state.fx, m.world.currencies, state.seed, state.day, pegs)
    jumped = shocks.apply_fx_jumps(state, rates, state.day)
    # A jump in an anchor carries its pegged currencies along the same day; a jump aimed
    # at a pegged currency itself is a break of the peg and stands for that day.
    held = {code: peg for code, peg in pegs.items() if jumped.get(code) == rates.get(code)}
    m.emit("FxRatesSet", {"rates": apply_pegs(jumped, held) if held else jumped})
    _inquiries(m)
    _rfqs(m)
    _deadlines(m)
    _awards(m)
    lifecycle.run_phases(m)


def _expected_count(rng: Any, population: int, rate: float) -> int:
    expected = population * rate
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def _inquiries(m: Market) -> None:
    state = m.state
    if not state.firms or not state.buyer_ids:
        return
    rng = rng_for(state.seed, "inquiry", state.day)
    count = _expected_count(
        rng, len(state.buyer_ids), float(m.world.events["buyer_inquiry_per_day"])
    )
    for _ in range(count):
        buyer = state.buyers[state.buyer_ids[rng.randrange(len(state.buyer_ids))]]
        product_id = rng.choice(buyer["persona"]["interests"])
        firms = state.firms_by_product.get(product_id)
        if not firms or shocks.is_bankrupt(state, buyer["buyer_id"]):
            continue
        weights = [state.firms[f]["listing_quality"][product_id] + 1 for f in firms]
        firm_id = rng.choices(firms, weights=weights)[0]
        m.emit(
            "InquirySent",
            {
                "inquiry_id": state.next_id("inquiry", "I", 7),
                "buyer_id": buyer["buyer_id"],
                "firm_id": firm_id,
                "product_id": product_id,
            },
        )


def reference_reservation(m: Market, buyer: dict[str, Any], product_id: str, quantity: int) -> int:
    """Return the most a buyer will pay per unit landed, in its own currency.

    The reference is the landed cost at the product's catalogue price (market prices
    with rebate cuts passed on, ``catalogue_price``) on the lane that can carry the goods
    and is cheapest once the wait is counted (``delivery_burden`` of a
    ``REFERENCE_LEAD_DAYS`` promise plus the lane's transit, at the buyer's patience);
    the buyer's reservation is that reference times a multiplier drawn
    around 1 (``reservation_multiplier``) from a stream named after the buyer and the
    day, so an RFQ's reservation never depends on other buyers' draws.
    """
    world = m.world
    product = world.products[product_id]
    patience = buyer["persona"]["patience"]
    price = catalogue_price(world, product, world.date_of(m.state.day))
    best = None
    for lane_id in world.lanes_by_market[buyer["market"]]:
        lane = world.lanes[lane_id]
        if lane_refusal(world, product, lane) is not None:
            continue
        term = "FOB" if lane.mode in ("sea_fcl", "sea_lcl") else "FCA"
        quote = {"unit_price": price, "lane_id": lane_id, "incoterm": term}
        landed = landed_unit_cost(world, product_id, quantity, quote, buyer["market"])
        wait = delivery_burden(REFERENCE_LEAD_DAYS + sum(lane.days) // 2, patience)
        landed = landed * (10_000 + wait) // 10_000
        best = landed if best is None else min(best, landed)
    if best is None:  # no lane can carry the goods: price off the catalogue alone
        best = price
    rng = rng_for(m.state.seed, "reservation", buyer["buyer_id"], m.state.day)
    multiplier = reservation_multiplier(rng, buyer["persona"]["price_sensitivity"])
    currency = world.markets[buyer["market"]].currency
    return to_local(best * multiplier // 1000, m.state.fx, currency)


def _rfqs(m: Market) -> None:
    state = m.state
    world = m.world
    if not state.buyer_ids:
        return
    rng = rng_for(state.seed, "rfq", state.day)
    count = _expected_count(rng, len(state.buyer_ids), float(world.events["buyer_rfq_per_day"]))
    low, high = world.platform["rfq_open_days"]
    for _ in range(count):
        buyer = state.buyers[state.buyer_ids[rng.randrange(len(state.buyer_ids))]]
        persona = buyer["persona"]
        product_id = rng.choice(persona["interests"])
        scale = rng.randint(1, persona["order_scale"])
        open_days = rng.randint(int(low), int(high))
        active = rng.random() < persona["activity"] / 1.5
        if buyer["open_rfq"] is not None or not active:
            continue
        if shocks.is_bankrupt(state, buyer["buyer_id"]):
            continue
        product = world.products[product_id]
        quantity = product.moq * scale
        cash = state.ledger.cash(buyer_party(buyer["buyer_id"]), "USD")
        # Buyers do not ask for more than half their cash can buy at market price.
        while quantity > product.moq and quantity * product.market_price * 2 > cash:
            quantity -= product.moq
        if quantity * product.market_price * 2 > cash:
            continue
        m.emit(
            "RfqPosted",
            {
                "rfq_id": state.next_id("rfq", "R", 7),
                "buyer_id": buyer["buyer_id"],
                "product_id": product_id,
                "quantity": quantity,
                "incoterm": persona["preferred_incoterm"],
                "payment": persona["preferred_payment"],
                "deadline_day": state.day + open_days,
                "reservation": reference_reservation(m, buyer, product_id, quantity),
            },
        )


def _deadlines(m: Market) -> None:
    state = m.state
    for rfq_id in state.agenda["rfq_deadline"].pop(state.day, []):
        if state.rfqs[rfq_id]["status"] == "open":
            m.emit("RfqClosed", {"rfq_id": rfq_id, "reason": "deadline"})


def firm_scores(m: Market) -> dict[str, float]:
    """Return each firm's reputation as buyers see it (0-1): stars and listing quality."""
    thresholds = list(m.world.platform["star_thresholds"])
    scores = {}
    for firm_id, firm in m.state.firms.items():
        stars, _ = star_rating(firm, m.state.day, thresholds)
        listing = sum(firm["listing_quality"].values()) / max(1, len(firm["listing_quality"]))
        scores[firm_id] = round(0.6 * stars / 5 + 0.4 * listing / 50, 4)
    return scores


def _awards(m: Market) -> None:
    state = m.state
    if not state.awaiting_award:
        return
    scores = firm_scores(m)
    for rfq_id in list(state.awaiting_award):
        rfq = state.rfqs[rfq_id]
        buyer = state.buyers[rfq["buyer_id"]]
        quotes = [state.quotes[q] for q in rfq["quotes"]]
        rng = rng_for(state.seed, "award", rfq_id)
        quote_id, reason = choose_quote(
            rng, world=m.world, buyer=buyer, rfq=rfq, quotes=quotes, firm_scores=scores, fx=state.fx
        )
        if quote_id is None:
            m.emit("RfqLapsed", {"rfq_id": rfq_id, "reason": reason})
            continue
        quote = state.quotes[quote_id]
        amount = quote["unit_price"] * rfq["quantity"]
        if state.ledger.cash(buyer_party(buyer["buyer_id"]), "USD") < amount:
            m.emit("RfqLapsed", {"rfq_id": rfq_id, "reason": "buyer_funds"})
            continue
        sign_contract(m, rfq, quote, amount)


def sign_contract(m: Market, rfq: dict[str, Any], quote: dict[str, Any], amount: int) -> None:
    """Sign the sales contract for an awarded quote and set up its payment terms."""
    state = m.state
    world = m.world
    contract_id = state.next_id("contract", "C", 6)
    m.emit(
        "ContractSigned",
        {
            "contract_id": contract_id,
            "rfq_id": rfq["rfq_id"],
            "quote_id": quote["quote_id"],
            "firm_id": quote["firm_id"],
            "buyer_id": rfq["buyer_id"],
            "product_id": rfq["product_id"],
            "quantity": rfq["quantity"],
            "unit_price": quote["unit_price"],
            "amount": amount,
            "incoterm": quote["incoterm"],
            "payment": quote["payment"],
            "lane_id": quote["lane_id"],
            "ship_by_day": state.day + quote["lead_days"],
        },
    )
    contract = state.contracts[contract_id]
    buyer = state.buyers[rfq["buyer_id"]]
    persona = buyer["persona"]
    rng = rng_for(state.seed, "contract", contract_id)
    firm = firm_party(quote["firm_id"])
    if quote["payment"] == "tt":
        deposit = apply_rate(amount, world.rate("tt_deposit_rate"))
        pay_on = payment_day(
            rng,
            world=world,
            persona=persona,
            method="tt",
            due_day=state.day,
            memory=buyer["memory"].get(quote["firm_id"], 0),
        )
        m.emit(
            "ReceivableScheduled",
            {
                "contract_id": contract_id,
                "part": "deposit",
                "amount": deposit,
                "due_day": state.day,
                "pay_day": pay_on,
            },
        )
    elif quote["payment"] == "lc":
        product = world.products[rfq["product_id"]]
        lane = world.lanes[quote["lane_id"]]
        term = INCOTERMS[quote["incoterm"]]
        soft = persona["honesty"] < 0.5 and rng.random() < float(
            world.events["lc_soft_clause_dishonest"]
        )
        # New terms draw from a stream of their own so the contract's stream is unchanged.
        credit = issue_credit(
            rng_for(state.seed, "lc_terms", contract_id),
            amount=amount,
            quantity=rfq["quantity"],
            unit_price=quote["unit_price"],
            unit=product.unit,
            description=f"{product.name.upper()} HS {product.hs_code}",
            mode=lane.mode,
            port_of_loading=lane.origin,
            ship_by_day=contract["ship_by_day"],
            insurance=term.seller_insurance is not None,
            soft=soft,
        )
        m.emit("LcIssued", {"contract_id": contract_id, "credit": credit})
        fee = PAYMENT_METHODS["lc"].issue_fee_cny(world)
        m.journal(
            "L/C advising fee",
            contract_id,
            transfer(firm, "finance_expense", BANK, "fee_income", "CNY", fee),
        )
    elif quote["payment"] == "escrow":
        fee = apply_rate(amount, world.rate("escrow_buyer_fee"))
        buyer_id = buyer_party(rfq["buyer_id"])
        if state.ledger.cash(buyer_id, "USD") < amount + fee:
            m.emit("ContractClosed", {"contract_id": contract_id, "status": "unfunded"})
            return
        m.emit("EscrowFunded", {"contract_id": contract_id, "amount": amount, "fee": fee})
        lines = transfer(buyer_id, "purchases", PLATFORM, "escrow_liability", "USD", amount)
        lines += transfer(buyer_id, "finance_expense", PLATFORM, "fee_income", "USD", fee)
        m.journal("escrow funded", contract_id, lines)


def cny_value(m: Market, usd: int) -> int:
    """Convert USD cents to CNY fen at today's mid rate."""
    return convert(usd, m.state.fx["USD"])
