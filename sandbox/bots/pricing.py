"""How bots price a quote: cost build-up through the quotation calculator."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.logistics import MODES, shipment_metrics
from sandbox.money import FX_SCALE, apply_rate
from sandbox.trade import INCOTERMS, QuoteInputs, price_ladder

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
    world = m.world
    product = world.products[rfq["product_id"]]
    lane = world.lanes[lane_id]
    market = world.markets[lane.market]
    quantity = rfq["quantity"]
    usd = m.state.fx["USD"]
    rebate = product.rebate_rate_on(world.date_of(m.state.day))
    vat_cost = apply_rate(product.unit_cost * quantity, world.rate("vat_rate") - rebate)
    cost_cny = product.unit_cost * quantity + vat_cost
    exw_usd = apply_rate(cost_cny * FX_SCALE // usd, Decimal(1) + margin)
    weight, volume = shipment_metrics(quantity, product.gross_weight_g, product.volume_cm3)
    units = MODES[lane.mode].billing_units(weight, volume)
    freight = (lane.cost[0] + lane.cost[1]) // 2 * units
    local_cny = int(world.money["inland_haulage_cny_per_cbm"]) * max(1, -(-volume // 1_000_000))
    inputs = QuoteInputs(
        exw=exw_usd,
        pre_carriage=local_cny * FX_SCALE // usd,
        export_clearance=int(world.money["export_clearance_fee_cny"]) * FX_SCALE // usd,
        port_loading=0,
        main_freight=freight,
        destination_charges=freight // 50,
        unloading=freight // 100,
        import_clearance=int(world.money["import_clearance_fee_usd"]),
        insurance_rate_a=world.rate("cargo_insurance_rate_icc_a"),
        insurance_rate_c=world.rate("cargo_insurance_rate_icc_c"),
        insurance_markup=world.rate("insurance_markup"),
        import_duty_rate=market.import_duty,
    )
    total = price_ladder(inputs)[INCOTERMS[incoterm].code]
    return max(1, -(-total // quantity))
