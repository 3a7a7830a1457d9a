"""The quotation's price helper: unit prices under every Incoterms rule, payment terms compared."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from academy.labs import labels
from sandbox import INCOTERMS, compare_payment_terms, price_ladder, quote_inputs

if TYPE_CHECKING:
    from academy.labs.firm import FirmPage


def quote_helper(
    page: FirmPage, rfq: dict[str, Any], lane_id: str, margin: Decimal
) -> dict[str, Any] | None:
    """Unit prices under every Incoterms rule for an RFQ, a lane and a margin.

    The cost build-up (goods at cost plus the VAT not refunded, inland haulage, export
    clearance, the lane's mid freight, destination charges, insurance and import duty)
    goes through the engine's quotation calculator (``sandbox.quote_inputs`` and ``price_ladder``,
    the rule the bots price with) twice: at cost and with the margin on the EXW value.

    Returns:
        ``{"rows": [{"incoterm", "cost", "price", "margin"}], "lane", "quantity"}``
        with unit amounts in USD cents, or None when the lane does not exist.
    """
    world = page.world
    lane = world.lanes.get(lane_id)
    product = world.products.get(rfq["product_id"])
    if lane is None or product is None:
        return None
    market = world.markets[lane.market]
    quantity = max(1, int(rfq["quantity"]))
    usd = page.view["fx"]["USD"]

    def ladder(margin: Decimal) -> dict[str, int]:
        inputs = quote_inputs(
            world, product.id, lane.id, quantity, day=page.view["day"], usd_rate=usd, margin=margin
        )
        return price_ladder(inputs)

    at_cost = ladder(Decimal(0))
    priced = ladder(margin)
    sea = lane.mode.startswith("sea")
    rows = []
    for code, term in INCOTERMS.items():
        cost = -(-at_cost[code] // quantity)
        price = -(-priced[code] // quantity)
        rows.append(
            {
                "incoterm": code,
                "cost": cost,
                "price": price,
                "margin": (price - cost) * 100 / price if price else 0,
                "fits_lane": sea or not term.sea_only,
                "requested": code == rfq["incoterm"],
            }
        )
    local = market.currency if market.currency != "USD" else None
    local_rate = page.view["fx"].get(local) if local else None
    if local and local_rate:
        for row in rows:
            row["local_price"] = row["price"] * usd // local_rate
    return {
        "rows": rows,
        "lane": lane,
        "quantity": quantity,
        "local_currency": local if local_rate else None,
        "payment_terms": payment_terms(page, rfq, rows, quantity),
    }


def payment_terms(
    page: FirmPage, rfq: dict[str, Any], rows: list[dict[str, Any]], quantity: int
) -> dict[str, Any] | None:
    """Each payment term at the price the helper proposes for the asked Incoterms rule.

    For every payment method of the platform: when the money comes (its schedule), what
    the banks or the platform charge the exporter for collecting it (the same fees the
    sandbox books: per incoming part, or the escrow seller fee), the margin left after
    those charges, and the exporter's risk (0 none to 5 highest).

    Returns:
        ``{"incoterm", "rows": [...]}`` (unit amounts in USD cents), or None when no
        Incoterms rule fits the lane.
    """
    chosen = next((r for r in rows if r["requested"] and r["fits_lane"]), None)
    chosen = chosen or next((r for r in rows if r["fits_lane"]), None)
    if chosen is None:
        return None
    amount = chosen["price"] * quantity
    cost = chosen["cost"] * quantity
    terms = [
        {
            "code": term.code,
            "schedule": [
                (int(share * 100), labels.PaymentTrigger.label_of(trigger))
                for _part, share, trigger in term.schedule
            ],
            "fee_per_unit": -(-term.fees // quantity),
            "margin": term.net * 100 / amount if amount else 0,
            "risk": term.risk,
            "asked": term.code == rfq["payment"],
        }
        for term in compare_payment_terms(page.world, amount, cost, page.view["fx"]["USD"])
    ]
    return {"incoterm": chosen["incoterm"], "rows": terms}
