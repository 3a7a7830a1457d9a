"""The expected export declaration of a contract (what customs compares against)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.customs import expected_declaration

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["expected_for"]


def expected_for(m: Market, contract: dict[str, Any]) -> dict[str, Any]:
    """Return the correct declaration for ``contract`` given its firm, buyer and lane."""
    world = m.world
    product = world.products[contract["product_id"]]
    lane = world.lanes[contract["lane_id"]]
    firm = m.state.firms[contract["firm_id"]]
    buyer = m.state.buyers[contract["buyer_id"]]
    booking = contract["freight"] or {}
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
        # Bookings recorded before FreightBooked v2 carry no USD figures: boxes not compared.
        freight_usd=booking.get("freight_usd", 0),
        insurance_usd=booking.get("insurance_usd", 0),
    )
