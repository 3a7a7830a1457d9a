"""Trade commands: procurement, freight booking, export declaration and VAT rebate."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.customs import check_declaration, input_vat_rate, rebate_amounts
from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.flows import transfer
from sandbox.engine.parties import INSURER, carrier_party, firm_party
from sandbox.engine.shocks import port_strike_delay, rail_disruption
from sandbox.logistics import MODES, shipment_metrics
from sandbox.logistics.handling import (
    booking_terms,
    document_costs,
    lane_refusal,
    missing_documents,
)
from sandbox.money import apply_rate, convert
from sandbox.rng import rng_for
from sandbox.trade import INCOTERMS, insurance_premium, split

if TYPE_CHECKING:
    from sandbox.engine.market import Market
from sandbox.engine.handlers.common import get_contract, need_cash, reject

__all__ = [
    "CUSTOMS_DISTRICTS",
    "book_freight",
    "claim_rebate",
    "customs_number",
    "file_declaration",
    "freight_costs",
    "place_purchase_order",
]


def place_purchase_order(m: Market, cmd: c.PlacePurchaseOrder) -> None:
    """Order the contract quantity from a supplier within its capacity."""
    world = m.world
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    if contract["po_id"] is not None:
        raise reject(
            "PO_EXISTS", "goods already ordered for this contract", "procurement", "contract_id"
        )
    supplier = world.suppliers.get(cmd.supplier_id)
    if supplier is None or contract["product_id"] not in supplier.products:
        raise reject(
            "SUPPLIER_PRODUCT",
            "the supplier does not make this product",
            "procurement",
            "supplier_id",
        )
    load = m.state.supplier_load.get(cmd.supplier_id, 0)
    if load + contract["quantity"] > supplier.capacity:
        raise reject(
            "SUPPLIER_CAPACITY",
            f"supplier has {supplier.capacity - load} units free",
            "procurement.capacity",
            "supplier_id",
        )
    po_id = m.state.next_id("po", "PO", 6)
    rng = rng_for(m.state.seed, "po", po_id)
    product = world.products[contract["product_id"]]
    m.emit(
        "PurchaseOrderPlaced",
        {
            "po_id": po_id,
            "firm_id": cmd.firm_id,
            "contract_id": cmd.contract_id,
            "supplier_id": cmd.supplier_id,
            "product_id": product.id,
            "quantity": contract["quantity"],
            "unit_cost": product.unit_cost,
            "due_day": m.state.day + rng.randint(*supplier.lead_days),
        },
    )


def freight_costs(
    m: Market, contract: dict[str, Any], insure: bool, *, cold_chain: bool = False
) -> dict[str, Any]:
    """Compute what the seller pays at booking (CNY fen): freight, local charges, insurance.

    Dangerous goods add their surcharge and fee to the main carriage, a cold-chain
    service multiplies it by the mode's reefer factor. The USD figures (main carriage
    and premium) are what the declaration's freight and insurance boxes state.
    """
    world = m.world
    lane = world.lanes[contract["lane_id"]]
    product = world.products[contract["product_id"]]
    term = INCOTERMS[contract["incoterm"]]
    weight, volume = shipment_metrics(
        contract["quantity"], product.gross_weight_g, product.volume_cm3
    )
    mode = MODES[lane.mode]
    mid = m.state.fx["USD"]
    rng = rng_for(m.state.seed, "freight", contract["contract_id"])
    # Who pays each stage comes out of the Incoterms table.
    payer = {stage: cell["cost"] for stage, cell in split(term.code).items()}
    special = booking_terms(world, product, lane)
    main_usd = 0
    if term.seller_main_carriage:
        main_usd = mode.freight(lane, weight, volume, rng)
        if cold_chain:
            main_usd = apply_rate(main_usd, special["cold_chain_factor"])
        main_usd += apply_rate(main_usd, special["surcharge_rate"]) + special["fee_usd"]
    main = convert(main_usd, mid)
    _, surcharge = rail_disruption(m.state, lane, m.state.day)
    if surcharge:
        main = (main * (100 + surcharge) + 50) // 100
        main_usd = (main_usd * (100 + surcharge) + 50) // 100
    local = 0
    if payer["pre_carriage"] == "seller":
        local += int(world.money["inland_haulage_cny_per_cbm"]) * max(1, -(-volume // 1_000_000))
    if payer["export_clearance"] == "seller":
        local += int(world.money["export_clearance_fee_cny"])
    if payer["unloading"] == "seller":
        local += main // 100  # DPU: the seller unloads at the named place
    insurance = insurance_usd = 0
    if term.seller_insurance is not None or insure:
        rate_key = (
            "cargo_insurance_rate_icc_c"
            if term.seller_insurance == "C"
            else "cargo_insurance_rate_icc_a"
        )
        rate, markup = world.rate(rate_key), world.rate("insurance_markup")
        insurance = insurance_premium(convert(contract["amount"], mid), rate, markup)
        insurance_usd = insurance_premium(contract["amount"], rate, markup)
    papers_fee, papers_days = document_costs(world, special["documents"])
    return {
        "freight": main,
        "local": local + papers_fee,
        "insurance": insurance,
        "units": mode.billing_units(weight, volume),
        "freight_usd": main_usd,
        "insurance_usd": insurance_usd,
        "documents": special["documents"],
        "documents_days": papers_days,
        "cold_chain": special["cold_chain"],
    }


def _special_cargo_checks(m: Market, contract: dict[str, Any], cmd: c.BookFreight) -> None:
    world = m.world
    product = world.products[contract["product_id"]]
    lane = world.lanes[contract["lane_id"]]
    refusal = lane_refusal(world, product, lane)
    if refusal is not None:
        raise refusal
    special = booking_terms(world, product, lane)
    if not isinstance(cmd.documents, (tuple, list)) or any(
        type(d) is not str for d in cmd.documents
    ):
        raise reject("FIELD_TYPE", "documents must be a list of paper codes", "engine", "documents")
    missing = missing_documents(special["documents"], cmd.documents)
    if missing:
        raise reject(
            "DG_DOCUMENTS_MISSING",
            f"{product.un_number} needs: {', '.join(missing)}",
            "logistics.dangerous_goods",
            "documents",
        )
    if special["cold_chain"] and not cmd.cold_chain:
        raise reject(
            "COLD_CHAIN_REQUIRED",
            f"{product.temperature} goods need a reefer or cold-chain service",
            "logistics.cold_chain",
            "cold_chain",
        )
    if cmd.cold_chain and not special["cold_chain"]:
        raise reject(
            "COLD_CHAIN_NOT_NEEDED",
            "these goods travel dry; no cold-chain service to book",
            "logistics.cold_chain",
            "cold_chain",
        )


def book_freight(m: Market, cmd: c.BookFreight) -> None:
    """Book the lane, paying freight (if the Incoterm says so), local charges and insurance."""
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    if contract["freight"] is not None:
        raise reject("FREIGHT_BOOKED", "freight already booked", "logistics.booking", "contract_id")
    _special_cargo_checks(m, contract, cmd)
    costs = freight_costs(m, contract, cmd.insure, cold_chain=cmd.cold_chain)
    total = costs["freight"] + costs["local"] + costs["insurance"]
    need_cash(m, cmd.firm_id, total, "contract_id")
    lane = m.world.lanes[contract["lane_id"]]
    # The papers are prepared while the goods are made: only what is left of their time
    # after the purchase order pushes the sailing back.
    order = m.state.purchase_orders.get(contract["po_id"] or "")
    since_order = m.state.day - order["day"] if order is not None else 0
    papers_wait = max(0, costs["documents_days"] - since_order)
    insured = costs["insurance"] > 0
    m.emit(
        "FreightBooked",
        {
            "contract_id": cmd.contract_id,
            "lane_id": lane.id,
            "freight_cny": costs["freight"] + costs["local"],
            "insurance_cny": costs["insurance"],
            "insured": insured,
            # A strike at the port of loading pushes the sailing back.
            "ship_day": m.state.day
            + 1
            + papers_wait
            + port_strike_delay(m.state, lane, m.state.day),
            "units": costs["units"],
            "freight_usd": costs["freight_usd"],
            "insurance_usd": costs["insurance_usd"],
            "documents": list(costs["documents"]),
            "cold_chain": costs["cold_chain"],
        },
    )
    firm = firm_party(cmd.firm_id)
    lines = []
    if costs["freight"] + costs["local"]:
        lines += transfer(
            firm,
            "delivery_cost",
            carrier_party(lane.carrier),
            "freight_income",
            "CNY",
            costs["freight"] + costs["local"],
        )
    if insured:
        lines += transfer(
            firm, "delivery_cost", INSURER, "premium_income", "CNY", costs["insurance"]
        )
    if lines:
        m.journal("freight and insurance", cmd.contract_id, lines)


def file_declaration(m: Market, cmd: c.FileDeclaration) -> None:
    """File the export declaration; format errors reject, mismatches are recorded."""
    world = m.world
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    if INCOTERMS[contract["incoterm"]].export_clearance != "seller":
        raise reject(
            "DECLARATION_NOT_REQUIRED",
            "under EXW the buyer clears for export",
            "trade.incoterms",
            "contract_id",
        )
    if contract["freight"] is None:
        raise reject(
            "FREIGHT_NOT_BOOKED",
            "book freight first: the declaration needs the transport",
            "customs.declaration",
            "contract_id",
        )
    if contract["declaration"] is not None:
        raise reject(
            "DECLARATION_EXISTS",
            "a declaration was already filed",
            "customs.declaration",
            "contract_id",
        )
    if not isinstance(cmd.declaration, dict):
        raise reject(
            "DECLARATION_MALFORMED",
            "the declaration must be a mapping of fields",
            "customs.declaration",
            "declaration",
        )
    findings = check_declaration(
        cmd.declaration,
        expected_for(m, contract),
        value_tolerance=Decimal(world.customs["value_tolerance"]),
        weight_tolerance=Decimal(world.customs["weight_tolerance"]),
        freight_tolerance=Decimal(world.customs.get("freight_tolerance", "0.10")),
        usd_rate=m.state.fx["USD"],
    )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        message = "; ".join(f"{f.field}: {f.message}" for f in errors)
        raise reject(first.code, message, "customs.declaration", first.field)
    m.emit(
        "DeclarationFiled",
        {
            "contract_id": cmd.contract_id,
            "customs_no": customs_number(m, world.lanes[contract["lane_id"]].origin),
            "declaration": dict(cmd.declaration),
            "findings": [f.as_dict() for f in findings],
        },
    )


#: Customs district codes of the ports of exit (Zhengzhou 4600, Qingdao 4200).
CUSTOMS_DISTRICTS = {"CNCGO": "4600", "CNTAO": "4200"}


def customs_number(m: Market, port_of_exit: str) -> str:
    """Return the next 18-digit customs number: district, year, export flag 0, sequence."""
    district = CUSTOMS_DISTRICTS.get(port_of_exit, "4600")
    year = m.world.date_of(m.state.day).year
    return f"{district}{year}0{m.state.counters.get('declaration', 0) + 1:09d}"


def claim_rebate(m: Market, cmd: c.ClaimRebate) -> None:
    """Claim the export VAT rebate at the rate in force on the export date."""
    world = m.world
    contract = get_contract(m, cmd.firm_id, cmd.contract_id, active=False)
    if contract["rebate"] is not None:
        raise reject(
            "REBATE_ALREADY_CLAIMED", "rebate already claimed", "tax.rebate", "contract_id"
        )
    if INCOTERMS[contract["incoterm"]].export_clearance != "seller":
        raise reject(
            "REBATE_DOMESTIC_SALE",
            "sold EXW, the goods left without your export declaration: a domestic sale, no rebate",
            "tax.rebate.domestic_sale",
            "contract_id",
        )
    declaration = contract["declaration"]
    if (
        contract["departed_day"] is None
        or declaration is None
        or declaration["status"] != "released"
    ):
        raise reject(
            "REBATE_NOT_EXPORTED",
            "no released export declaration and shipment",
            "tax.rebate",
            "contract_id",
        )
    order = m.state.purchase_orders.get(contract["po_id"] or "")
    if order is None or order["status"] == "ordered":
        raise reject(
            "REBATE_NO_VAT_INVOICE",
            "no supplier VAT invoice for these goods",
            "tax.rebate",
            "contract_id",
        )
    product = world.products[contract["product_id"]]
    rate = product.rebate_rate_on(world.date_of(contract["departed_day"]))
    # The refund is capped at the VAT the supplier's invoice carried (9 % or 13 %).
    refund, non_refundable = rebate_amounts(
        contract["cost"], input_vat_rate(world, product.id), rate
    )
    low, high = world.customs["rebate_processing_days"]
    pay_day = m.state.day + rng_for(m.state.seed, "rebate", cmd.contract_id).randint(
        int(low), int(high)
    )
    m.emit(
        "RebateClaimed",
        {
            "contract_id": cmd.contract_id,
            "rate": str(rate),
            "refund": refund,
            "non_refundable": non_refundable,
            "pay_day": pay_day,
        },
    )
    firm = firm_party(cmd.firm_id)
    lines = [[firm, "input_vat", "CNY", -(refund + non_refundable)]]
    if refund:
        lines.append([firm, "rebate_receivable", "CNY", refund])
    if non_refundable:
        lines.append([firm, "cost_of_sales", "CNY", non_refundable])
    m.journal("export VAT rebate claimed", cmd.contract_id, lines)
