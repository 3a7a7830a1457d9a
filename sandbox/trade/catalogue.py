"""Catalogue prices that follow the market and the export VAT rebate.

A product's FOB-level price is the latest dated market price on or before the day (the
scenario's ``prices`` list; ``market_price`` before the first entry), adjusted for any
rebate change since that price was observed: when the rebate is cut, the exporter's
cost rises by the purchase price times the cut, and the market passes it on. The CNY
amount is converted at the scenario's opening USD rate, so the catalogue does not
move with daily FX.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sandbox.money import FX_SCALE, apply_rate

if TYPE_CHECKING:
    from sandbox.scenario.model import Product, World

__all__ = ["catalogue_price"]


def _observed(product: Product, day: dt.date) -> tuple[int, dt.date]:
    price, since = product.market_price, product.rebates[0].effective
    for start, entry_price, _source in product.prices:
        if start <= day:
            price, since = entry_price, start
    return price, since


def catalogue_price(world: World, product: Product, day: dt.date) -> int:
    """Return the product's FOB-level catalogue price on ``day`` in USD cents.

    Args:
        world: The scenario's world (for the opening USD rate).
        product: The product.
        day: The calendar date.

    Returns:
        The observed market price plus the pass-through of rebate cuts since it was
        observed (never below one cent).
    """
    price, since = _observed(product, day)
    cut = product.rebate_rate_on(since) - product.rebate_rate_on(day)
    if cut == 0:
        return price
    extra_cny = apply_rate(product.unit_cost, cut)
    extra_usd = extra_cny * FX_SCALE // world.currencies["USD"].rate
    return max(1, price + extra_usd)
