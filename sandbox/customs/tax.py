"""Tax rules the engine applies: input VAT by product, deemed domestic sales, import taxes.

Pure functions of the world's tax data (``sandbox.scenario.tax``) and amounts in minor
units; every product of an amount and a rate is rounded once, half up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.money import apply_rate, to_minor

if TYPE_CHECKING:
    from sandbox.scenario.model import World
    from sandbox.scenario.tax import OriginScheme

__all__ = [
    "customs_value",
    "deemed_domestic_vat",
    "duty_rate",
    "import_taxes",
    "import_vat_rate",
    "input_vat_rate",
    "origin_scheme_for",
]


def input_vat_rate(world: World, product_id: str) -> Decimal:
    """Return the VAT rate on the supplier's invoice for a product.

    A named exception wins; else 9 % for agricultural products (by HS chapter), else
    the general rate (13 %).
    """
    rules = world.tax
    if product_id in rules.input_vat:
        return rules.input_vat[product_id]
    if world.products[product_id].hs_code[:2] in rules.agricultural_chapters:
        return rules.agricultural_vat_rate
    return world.rate("vat_rate")


def deemed_domestic_vat(price_incl_vat: int, rate: Decimal) -> int:
    """Return the output VAT on goods taxed as a domestic sale.

    Goods leaving without the seller's own export declaration are taxed as if sold at
    home: the price received is taken as VAT-inclusive, output VAT = price / (1 + rate)
    x rate (Cai Shui [2012] No. 39, art. 7).
    """
    return to_minor(Decimal(price_incl_vat) * rate / (Decimal(1) + rate))


def duty_rate(world: World, market: str, product_id: str, scheme: str | None = None) -> Decimal:
    """Return the import duty rate on a product in a market, preferential under ``scheme``.

    The rate is looked up by the HS heading (first four digits); a heading the world
    does not list pays the market's flat rate. A scheme the heading has no rate for (or
    a market outside the scheme) gives the MFN rate: the certificate does not help.
    """
    heading = world.products[product_id].hs_code[:4]
    entry = world.tax.duties.get((market, heading))
    if entry is None:
        return world.markets[market].import_duty
    if scheme is not None and scheme in entry.preferential:
        return min(entry.mfn, entry.preferential[scheme])
    return entry.mfn


def import_vat_rate(world: World, market: str) -> Decimal:
    """Return the destination's import VAT (GST) rate; zero if the world has none."""
    return world.tax.import_vat.get(market, Decimal(0))


def origin_scheme_for(world: World, scheme: str, market: str) -> OriginScheme | None:
    """Return the scheme if it exists and the market grants preference under it."""
    found = world.tax.origin_schemes.get(scheme)
    return found if found is not None and market in found.markets else None


def customs_value(ddp_amount: int, duty: Decimal, vat: Decimal) -> int:
    """Return the customs value inside a DDP price that carries duty and import VAT.

    A DDP price includes the duty on the value and the import VAT on value plus duty,
    so the value is the price divided by (1 + duty) x (1 + VAT).
    """
    return to_minor(Decimal(ddp_amount) / ((Decimal(1) + duty) * (Decimal(1) + vat)))


def import_taxes(value: int, duty: Decimal, vat: Decimal) -> tuple[int, int]:
    """Return ``(duty, import_vat)`` on a customs value: VAT is levied on value + duty."""
    duty_amount = apply_rate(value, duty)
    return duty_amount, apply_rate(value + duty_amount, vat)
