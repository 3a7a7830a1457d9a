"""How bots price a quote: the engine's cost build-up (``sandbox.trade.costing``) plus margin."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.trade import INCOTERMS, price_ladder
from sandbox.trade.costing import quote_inputs

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["SEA_TO_ANY", "quote_unit_price"]

#: Sea-only rules and their any-mode counterparts, for lanes that are not by sea.
SEA_TO_ANY = {"FAS": "FCA", "FOB": "FCA", "CFR": "CPT", "CIF": "CIP"}


def quote_unit_price(
    m: Market, rfq: dict[str, Any], lane_id: str, incoterm: str, margin: Decimal
) -> int:
    """Return a unit price in USD cents covering cost, non-refundable VAT and margin.

    Args:
        m: The market (for today's FX and the world).
        rfq: The RFQ being quoted.
        lane_id: The lane the firm would use.
        incoterm: The rule quoted.
        margin: Markup on the EXW cost, e.g. ``Decimal("0.12")``.
    """
    quantity = rfq["quantity"]
    inputs = quote_inputs(
        m.world,
        rfq["product_id"],
        lane_id,
        quantity,
        day=m.state.day,
        usd_rate=m.state.fx["USD"],
        margin=margin,
    )
    return max(1, -(-price_ladder(inputs)[INCOTERMS[incoterm].code] // quantity))
