"""The cost build-up of a quotation: from the scenario's world to the calculator's inputs.

One rule for every caller: the bots price their quotes with it and the web shell's
price helper shows it to students, so what a student is told a shipment costs is what
a bot would charge for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.customs.tax import duty_rate, import_vat_rate, input_vat_rate
from sandbox.logistics import MODES, shipment_metrics
from sandbox.logistics.handling import booking_terms, lane_refusal
from sandbox.money import FX_SCALE, apply_rate
from sandbox.trade.incoterms import INCOTERMS
from sandbox.trade.quote import QuoteInputs

if TYPE_CHECKING:
    from sandbox.scenario.model import Lane, Product, World

__all__ = ["fitting_lanes", "quote_inputs", "special_cargo_freight"]


def quote_inputs(
    world: World,
    product_id: str,
    lane_id: str,
    quantity: int,
    *,
    day: int,
    usd_rate: int,
    margin: Decimal = Decimal(0),
) -> QuoteInputs:
    """Return the costs that build the price of ``quantity`` units shipped on a lane.

    The goods count at cost plus the VAT not refunded on export (the rebate rate in
    force on ``day``), marked up by ``margin`` as the EXW value; then inland haulage,
    export clearance, the lane's mid freight, destination charges, insurance rates and
    the destination's import duty on the product's HS heading and import VAT. Amounts in USD cents for the shipment.

    Args:
        world: The scenario's world.
        product_id: The product quoted.
        lane_id: The lane the goods would travel.
        quantity: Units in the shipment.
        day: The sim-day (for the rebate rate in force).
        usd_rate: CNY per USD, scaled by ``FX_SCALE`` (today's mid rate).
        margin: Markup on the EXW cost, e.g. ``Decimal("0.12")``.
    """
    product = world.products[product_id]
    lane = world.lanes[lane_id]
    market = world.markets[lane.market]
    rebate = product.rebate_rate_on(world.date_of(day))
    goods_cny = product.unit_cost * quantity
    # The invoice's VAT (9 % or 13 % by product) less the rebate, never below zero.
    vat_lost = max(Decimal(0), input_vat_rate(world, product_id) - rebate)
    cost_cny = goods_cny + apply_rate(goods_cny, vat_lost)
    exw = apply_rate(cost_cny * FX_SCALE // usd_rate, Decimal(1) + margin)
    weight, volume = shipment_metrics(quantity, product.gross_weight_g, product.volume_cm3)
    freight = (lane.cost[0] + lane.cost[1]) // 2 * MODES[lane.mode].billing_units(weight, volume)
    freight = special_cargo_freight(world, product, lane, freight)
    haulage_cny = int(world.money["inland_haulage_cny_per_cbm"]) * max(1, -(-volume // 1_000_000))
    return QuoteInputs(
        exw=exw,
        pre_carriage=haulage_cny * FX_SCALE // usd_rate,
        export_clearance=int(world.money["export_clearance_fee_cny"]) * FX_SCALE // usd_rate,
        port_loading=0,
        main_freight=freight,
        destination_charges=freight // 50,
        unloading=freight // 100,
        import_clearance=int(world.money["import_clearance_fee_usd"]),
        insurance_rate_a=world.rate("cargo_insurance_rate_icc_a"),
        insurance_rate_c=world.rate("cargo_insurance_rate_icc_c"),
        insurance_markup=world.rate("insurance_markup"),
        import_duty_rate=duty_rate(world, market.code, product_id),
        import_vat_rate=import_vat_rate(world, market.code),
    )


def special_cargo_freight(world: World, product: Product, lane: Lane, freight: int) -> int:
    """Return the dry freight with the cold-chain rate and dangerous-goods charges applied.

    The same rule as the booking (``sandbox.logistics.handling``): a reefer or
    cold-chain service multiplies the freight; dangerous goods add a surcharge on it
    and a fee per booking.
    """
    terms = booking_terms(world, product, lane)
    if terms["cold_chain"]:
        freight = apply_rate(freight, terms["cold_chain_factor"])
    return freight + apply_rate(freight, terms["surcharge_rate"]) + terms["fee_usd"]


def fitting_lanes(
    world: World, product_id: str, quantity: int, market_code: str, incoterm: str
) -> list[str]:
    """Return the lanes that may carry a quotation's goods, cheapest first.

    A lane fits when it serves the buyer's market, its mode suits the Incoterms rule
    (FAS, FOB, CFR and CIF are for sea transport only) and its service takes the
    shipment's weight: the same checks ``SubmitQuote`` makes. Ties go by lane id.
    """
    term = INCOTERMS.get(incoterm)
    product = world.products[product_id]
    weight, volume = shipment_metrics(quantity, product.gross_weight_g, product.volume_cm3)
    fitting = []
    for lane in world.lanes.values():
        mode = MODES[lane.mode]
        if lane.market != market_code or (term is not None and term.sea_only and not mode.sea):
            continue
        if mode.max_weight_g and weight > mode.max_weight_g:
            continue
        if lane_refusal(world, product, lane) is not None:
            continue
        mid_freight = (lane.cost[0] + lane.cost[1]) // 2 * mode.billing_units(weight, volume)
        mid_freight = special_cargo_freight(world, product, lane, mid_freight)
        fitting.append((mid_freight, lane.id))
    return [lane_id for _freight, lane_id in sorted(fitting)]
