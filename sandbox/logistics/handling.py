"""Special cargo and current routing: dangerous goods, cold chain, sea diversions.

The rules are data in the scenario's ``[logistics]`` table (defaults: none, so an old
scenario or event log behaves as before):

* ``dangerous_goods.<UN number>`` — modes that refuse the goods, and per accepted mode
  the papers a booking needs and the surcharge (a rate on the freight plus a fee).
  Lithium-ion battery packs shipped alone are UN3480, class 9: a UN38.3 test summary,
  a dangerous goods declaration, the customs packaging certificate, a safety data
  sheet; by rail also the railway's dangerous-goods acceptance.
* ``documents.<code>`` — what obtaining each paper costs (CNY fen) and takes (days).
* ``temperature.<regime>`` — goods needing a reefer container or cold-chain air, the
  modes that cannot carry them and each mode's rate factor on the dry freight.
* ``routings`` — sea lanes sailing round the Cape of Good Hope instead of through the
  Red Sea, with the dates the diversion applies and the days it adds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.errors import CommandRejected

if TYPE_CHECKING:
    from sandbox.scenario.model import Lane, Product, World

__all__ = [
    "booking_terms",
    "diversion_on",
    "document_costs",
    "lane_refusal",
    "missing_documents",
]


def _table(world: World, key: str) -> dict[str, Any]:
    return dict(world.logistics.get(key, {}))


def lane_refusal(world: World, product: Product, lane: Lane) -> CommandRejected | None:
    """Return the rejection to raise when the lane's mode cannot carry the product at all.

    Args:
        world: The scenario's world.
        product: The goods.
        lane: The lane quoted or booked.
    """
    if product.un_number:
        rules = _table(world, "dangerous_goods").get(product.un_number, {})
        if lane.mode in rules.get("refused_modes", ()):
            return CommandRejected(
                "DG_MODE_REFUSED",
                f"{product.un_number} dangerous goods are not accepted by {lane.mode}",
                rule="logistics.dangerous_goods",
                field="lane_id",
            )
    if product.temperature:
        rules = _table(world, "temperature").get(product.temperature, {})
        if rules and lane.mode not in rules.get("rates", {}):
            return CommandRejected(
                "COLD_CHAIN_UNAVAILABLE",
                f"{lane.mode} offers no {product.temperature} cold chain",
                rule="logistics.cold_chain",
                field="lane_id",
            )
    return None


def booking_terms(world: World, product: Product, lane: Lane) -> dict[str, Any]:
    """Return what a booking of the product on the lane needs and costs beyond dry freight.

    Returns:
        ``documents`` (paper codes the carrier wants, in order), ``surcharge_rate``
        (Decimal added to the freight for dangerous goods), ``fee_usd`` (USD cents per
        booking), ``cold_chain`` (True when a reefer / cold-chain service is required)
        and ``cold_chain_factor`` (Decimal multiplying the dry freight).
    """
    terms: dict[str, Any] = {
        "documents": [],
        "surcharge_rate": Decimal(0),
        "fee_usd": 0,
        "cold_chain": False,
        "cold_chain_factor": Decimal(1),
    }
    if product.un_number:
        rules = _table(world, "dangerous_goods").get(product.un_number, {})
        mode_rules = rules.get("modes", {}).get(lane.mode, {})
        terms["documents"] = list(rules.get("documents", [])) + list(
            mode_rules.get("documents", [])
        )
        terms["surcharge_rate"] = Decimal(str(mode_rules.get("surcharge_rate", "0")))
        terms["fee_usd"] = int(mode_rules.get("fee_usd", 0))
    if product.temperature:
        rates = _table(world, "temperature").get(product.temperature, {}).get("rates", {})
        if lane.mode in rates:
            terms["cold_chain"] = True
            terms["cold_chain_factor"] = Decimal(str(rates[lane.mode]))
    return terms


def missing_documents(required: list[str], provided: tuple[str, ...] | list[str]) -> list[str]:
    """Return the required papers not provided, in the required order."""
    return [code for code in required if code not in provided]


def document_costs(world: World, codes: list[str]) -> tuple[int, int]:
    """Return ``(fee_cny, days)`` to obtain the papers: fees add up, the slowest sets days."""
    table = _table(world, "documents")
    fee = sum(int(table.get(code, {}).get("fee_cny", 0)) for code in codes)
    days = max((int(table.get(code, {}).get("days", 0)) for code in codes), default=0)
    return fee, days


def diversion_on(world: World, lane: Lane, day: dt.date) -> tuple[int, int, str] | None:
    """Return ``(extra_low, extra_high, via)`` when the lane sails a diverted route on ``day``.

    Args:
        world: The scenario's world.
        lane: A lane (only the lanes a routing names are affected).
        day: The sailing date.
    """
    for routing in world.logistics.get("routings", []):
        if lane.id not in routing.get("lanes", []):
            continue
        start = dt.date.fromisoformat(routing["from"])
        end = routing.get("until")
        if day >= start and (not end or day < dt.date.fromisoformat(end)):
            low, high = routing["extra_days"]
            return int(low), int(high), str(routing.get("via", ""))
    return None
