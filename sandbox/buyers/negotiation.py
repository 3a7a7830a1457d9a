"""How a buyer answers a firm's counter-proposal on an RFQ it has quoted.

Pure functions of the buyer's persona, the RFQ (its reservation), the rival offers
and the firm's record; no randomness, so the same letter always gets the same answer.
Prices are USD cents per unit; the buyer judges in its own currency, on the same
"effective cost" it uses to award RFQs (landed price raised by ``offer_burden``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.buyers.behaviour import landed_unit_cost, offer_burden, to_local
from sandbox.scenario.model import World

__all__ = [
    "WALK_AWAY",
    "Answer",
    "answer_proposal",
    "buyer_rounds",
    "effective_cost",
    "opening_discount",
]

#: A proposal whose effective cost is more than this above the buyer's ceiling (in
#: ten-thousandths) is declined at once: the gap is too wide to bridge by letter.
WALK_AWAY = 1500


@dataclass(frozen=True, slots=True)
class Answer:
    """The buyer's answer to one proposal.

    Attributes:
        decision: ``"accept"``, ``"counter"`` or ``"decline"``.
        reason: Why, a stable word the web layer translates.
        terms: The agreed terms (accept) or the buyer's counter-offer (counter):
            ``unit_price``, ``incoterm``, ``payment``, ``lead_days``; ``None`` on a decline.
        claim: What a counter says is behind it: ``"rival"`` (a better offer, real or,
            from a dishonest buyer, bluffed) or ``"budget"``; ``""`` otherwise.
    """

    decision: str
    reason: str
    terms: dict[str, Any] | None
    claim: str = ""


def buyer_rounds(persona: dict[str, Any]) -> int:
    """Return how many proposals a buyer reads before it stops: 2 to 5 by patience."""
    return 2 + int(3 * persona["patience"])


def opening_discount(persona: dict[str, Any]) -> int:
    """Return how far below its ceiling a buyer opens, in ten-thousandths (3 % to 11 %).

    Price-sensitive buyers push harder (+5 % at most) and dishonest ones harder still
    (+3 % at most): they counter low and claim a better offer they may not have.
    """
    return 300 + int(500 * persona["price_sensitivity"]) + int(300 * (1 - persona["honesty"]))


def effective_cost(
    world: World,
    *,
    buyer: dict[str, Any],
    rfq: dict[str, Any],
    offer: dict[str, Any],
    firm_score: float,
    fx: dict[str, int],
) -> int:
    """Return an offer's effective unit cost to the buyer in its currency's minor units.

    The landed price (``landed_unit_cost``) raised by ``offer_burden`` (terms, payment,
    wait, supplier record and the buyer's memory of the firm), with no judgement noise.
    """
    landed = landed_unit_cost(world, rfq["product_id"], rfq["quantity"], offer, buyer["market"])
    local = to_local(landed, fx, world.markets[buyer["market"]].currency)
    burden = offer_burden(
        offer,
        persona=buyer["persona"],
        firm_score=firm_score,
        memory=buyer["memory"].get(offer["firm_id"], 0),
        transit_days=sum(world.lanes[offer["lane_id"]].days) // 2,
    )
    return local * (10_000 + burden) // 10_000


def _target(ceiling: int, persona: dict[str, Any], round_no: int) -> int:
    """The most the buyer accepts at ``round_no``: it concedes evenly up to its ceiling."""
    rounds = buyer_rounds(persona)
    opening = ceiling * (10_000 - opening_discount(persona)) // 10_000
    step = min(round_no - 1, rounds - 1)
    return opening + (ceiling - opening) * step // (rounds - 1)


def _counter_price(cost_at: Any, target: int, high: int) -> int | None:
    """Return the highest unit price up to ``high`` whose effective cost is within ``target``."""
    low = 1
    if cost_at(low) > target:
        return None
    while low < high:
        middle = (low + high + 1) // 2
        if cost_at(middle) <= target:
            low = middle
        else:
            high = middle - 1
    return low


def answer_proposal(
    world: World,
    *,
    buyer: dict[str, Any],
    rfq: dict[str, Any],
    proposal: dict[str, Any],
    round_no: int,
    rivals: list[int],
    firm_score: float,
    fx: dict[str, int],
    counter: dict[str, Any] | None,
) -> Answer:
    """Decide the buyer's answer to a firm's proposal.

    The buyer's ceiling is its reservation, or the best rival offer's effective cost if
    lower. It opens ``opening_discount`` below the ceiling and concedes evenly, reaching
    the ceiling at its last round (``buyer_rounds``). A proposal within today's target
    is accepted, as is one that meets the buyer's own last counter-offer (same terms, a
    price no higher, a lead time no longer). Beyond the last round, or more than
    ``WALK_AWAY`` above the ceiling, the buyer declines. Otherwise it counters: its
    preferred payment, the firm's Incoterm and lead time, and the highest price whose
    effective cost meets today's target (never above the price proposed).

    Args:
        world: The scenario (lanes, duty, currencies).
        buyer: The buyer's state (persona, market, memory of firms).
        rfq: The RFQ (product, quantity, reservation in the buyer's currency).
        proposal: ``firm_id``, ``lane_id``, ``unit_price``, ``incoterm``, ``payment``,
            ``lead_days``.
        round_no: 1 for the firm's first proposal on this RFQ.
        rivals: Effective costs of the other firms' offers on the RFQ.
        firm_score: The firm's reputation as buyers see it (0-1).
        fx: Today's mid rates.
        counter: The buyer's outstanding counter-offer, if any.
    """
    persona = buyer["persona"]
    terms = {key: proposal[key] for key in ("unit_price", "incoterm", "payment", "lead_days")}
    if counter is not None and _meets(proposal, counter):
        return Answer("accept", "counter_met", terms)
    rival_best = min(rivals) if rivals else None
    ceiling = rfq["reservation"] if rival_best is None else min(rfq["reservation"], rival_best)
    target = _target(ceiling, persona, round_no)
    context: dict[str, Any] = {"buyer": buyer, "rfq": rfq, "firm_score": firm_score, "fx": fx}
    cost = effective_cost(world, offer=proposal, **context)
    if cost <= target:
        return Answer("accept", "within_target", terms)
    if round_no >= buyer_rounds(persona):
        return Answer("decline", "patience", None)
    if cost > ceiling * (10_000 + WALK_AWAY) // 10_000:
        return Answer("decline", "too_far", None)
    offer = {**proposal, "payment": persona["preferred_payment"]}

    def cost_at(price: int) -> int:
        return effective_cost(world, offer={**offer, "unit_price": price}, **context)

    price = _counter_price(cost_at, target, proposal["unit_price"])
    if price is None:
        return Answer("decline", "too_far", None)
    bound = rival_best is not None and rival_best < rfq["reservation"]
    claim = "rival" if bound or persona["honesty"] < 0.5 else "budget"
    counter_terms = {**terms, "unit_price": price, "payment": offer["payment"]}
    return Answer("counter", "price_high", counter_terms, claim)


def _meets(proposal: dict[str, Any], counter: dict[str, Any]) -> bool:
    """Whether a proposal takes the buyer's counter-offer (or something better for it)."""
    return (
        proposal["unit_price"] <= counter["unit_price"]
        and proposal["incoterm"] == counter["incoterm"]
        and proposal["payment"] == counter["payment"]
        and proposal["lead_days"] <= counter["lead_days"]
    )
