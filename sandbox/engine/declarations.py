"""The expected export declaration of a contract (what customs compares against)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.customs import expected_declaration
from sandbox.money import FX_SCALE
from sandbox.trade import INCOTERMS, insurance_premium

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["expected_for"]


def _booked_usd(m: Market, contract: dict[str, Any]) -> tuple[int, int]:
    """Return the freight and premium (USD cents) the declaration's money boxes state.

    A booking recorded before ``FreightBooked`` v2 has only CNY figures: the freight is
    read back at today's rate. A transaction mode declared as CIF without a premium
    paid (D rules where the seller did not insure) states what ICC (A) cover on
    110 % would cost, as the value's insurance element.
    """
    world = m.world
    booking = contract["freight"] or {}
    usd_rate = m.state.fx["USD"]
    freight = booking.get("freight_usd")
    if freight is None:
        freight = booking.get("freight_cny", 0) * FX_SCALE // usd_rate
    insurance = booking.get("insurance_usd")
    if insurance is None:
        insurance = booking.get("insurance_cny", 0) * FX_SCALE // usd_rate
    if not insurance and INCOTERMS[contract["incoterm"]].declared_as in ("CIF", "C&I"):
        insurance = insurance_premium(
            contract["amount"],
            world.rate("cargo_insurance_rate_icc_a"),
            world.rate("insurance_markup"),
        )
    return int(freight), int(insurance)


def expected_for(m: Market, contract: dict[str, Any]) -> dict[str, Any]:
    """Return the correct declaration for ``contract`` given its firm, buyer and lane."""
    world = m.world
    product = world.products[contract["product_id"]]
    lane = world.lanes[contract["lane_id"]]
    firm = m.state.firms[contract["firm_id"]]
    buyer = m.state.buyers[contract["buyer_id"]]
    freight_usd, insurance_usd = _booked_usd(m, contract)
    return expected_declaration(
        consignor_code=firm["licence_no"],
        consignee=buyer["company"],
        contract_no=contract["contract_id"],
        incoterm=contract["incoterm"],
        lane_mode=lane.mode,
        lane_origin=lane.origin,
        market=buyer["market"],
        hs_code=product.hs_code,
        goods_name=product.name,
        quantity=contract["quantity"],
        unit=product.unit,
        net_weight_g=product.net_weight_g,
        gross_weight_g=product.gross_weight_g,
        units_per_package=1,
        currency="USD",
        invoice_value=contract["amount"],
        freight_usd=freight_usd,
        insurance_usd=insurance_usd,
    )
