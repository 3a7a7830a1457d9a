"""The tax and margin card of a contract, for the firm's pages (observation only).

Says what the seller's tax position on one contract is: the VAT on the supplier's
invoice, whether the sale is an export or a deemed domestic sale, the import duty and
VAT at the destination (who pays them, the preferential rate a certificate of origin
would bring), and two margins that must not be confused:

* the **goods margin**: sales less the goods and the input VAT not refunded;
* the **gross margin**: also less the delivery costs the Incoterm puts on the seller
  (freight, local charges, cargo insurance; duty, import VAT and clearance under DDP).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.customs import duty_rate, import_vat_rate, input_vat_rate
from sandbox.trade import INCOTERMS

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["contract_tax_card"]


def _delivery_costs(contract: dict[str, Any], seller_clears: bool) -> int:
    freight = contract["freight"] or {}
    total = freight.get("freight_cny", 0) + freight.get("insurance_cny", 0)
    cleared = contract.get("import_clearance")
    if cleared is not None:
        total += cleared["duty"] + cleared["import_vat"] + cleared["fee"]
    certificate = contract.get("origin_certificate")
    if certificate is not None and seller_clears:
        total += certificate["fee"]
    return total


def _margins(contract: dict[str, Any], seller_clears: bool) -> dict[str, Any] | None:
    if not contract["recognized"] or not contract["revenue"] or contract["status"] == "refused":
        return None  # no sale (yet), or the sale was reversed
    domestic = contract.get("domestic_sale")
    sales = contract["revenue"] - (domestic["output_vat"] if domestic else 0)
    rebate = contract["rebate"]
    vat_lost = rebate["non_refundable"] if rebate else 0
    goods_profit = sales - contract["cost"] - vat_lost
    delivery = _delivery_costs(contract, seller_clears)
    return {
        "sales": sales,
        "goods_cost": contract["cost"],
        "vat_not_refunded": vat_lost,
        "delivery_costs": delivery,
        "goods_margin": round(goods_profit / sales, 4) if sales else None,
        "gross_margin": round((goods_profit - delivery) / sales, 4) if sales else None,
        # Until the rebate is claimed the VAT not refunded is not yet booked.
        "final": bool(rebate) or domestic is not None,
    }


def contract_tax_card(m: Market, contract: dict[str, Any]) -> dict[str, Any]:
    """Return the contract's tax position and margins (rates as strings, money in CNY fen).

    Args:
        m: The market.
        contract: One of the firm's contracts.
    """
    world = m.world
    term = INCOTERMS[contract["incoterm"]]
    market = m.state.buyers[contract["buyer_id"]]["market"]
    product_id = contract["product_id"]
    heading = world.products[product_id].hs_code[:4]
    schemes = [
        code
        for code, scheme in world.tax.origin_schemes.items()
        if market in scheme.markets
        and duty_rate(world, market, product_id, code) < duty_rate(world, market, product_id)
    ]
    seller_clears = term.import_clearance == "seller"
    return {
        "input_vat_rate": str(input_vat_rate(world, product_id)),
        "export_sale": term.export_clearance == "seller",
        "domestic_sale": contract.get("domestic_sale"),
        "market": market,
        "heading": heading,
        "duty_rate": str(duty_rate(world, market, product_id)),
        "preferential": {code: str(duty_rate(world, market, product_id, code)) for code in schemes},
        "import_vat_rate": str(import_vat_rate(world, market)),
        "seller_clears_import": seller_clears,
        "origin_certificate": contract.get("origin_certificate"),
        "import_clearance": contract.get("import_clearance"),
        "margins": _margins(contract, seller_clears),
    }
