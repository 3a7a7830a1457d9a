"""Tax at the two ends of a shipment: deemed domestic sales (EXW) and DDP import clearance.

Called by the lifecycle phases when goods depart and arrive; each emits one event that
records the figures and posts one balanced journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.customs import (
    customs_value,
    deemed_domestic_vat,
    duty_rate,
    import_taxes,
    import_vat_rate,
    input_vat_rate,
)
from sandbox.engine.flows import transfer
from sandbox.engine.parties import FOREIGN_CUSTOMS, TAX, firm_party
from sandbox.money import apply_rate, convert

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["clear_import", "reverse_domestic_sale", "tax_domestic_sale"]


def tax_domestic_sale(m: Market, contract: dict[str, Any], revenue: int) -> None:
    """Tax goods that left without the seller's export declaration as a domestic sale.

    The revenue received is VAT-inclusive: output VAT at the product's rate is carved
    out of sales, the input VAT on these goods' invoice is credited against it (never
    more than the output VAT; any excess stays as a credit carried forward) and the
    rest is paid to the tax office. No export rebate follows.

    Args:
        m: The market.
        contract: The contract whose goods just left (EXW).
        revenue: The revenue just recognised, CNY fen.
    """
    rate = input_vat_rate(m.world, contract["product_id"])
    output = deemed_domestic_vat(revenue, rate)
    credited = min(output, apply_rate(contract["cost"], rate))
    paid = output - credited
    m.emit(
        "DomesticSaleTaxed",
        {
            "contract_id": contract["contract_id"],
            "rate": str(rate),
            "output_vat": output,
            "input_vat_credited": credited,
            "vat_paid": paid,
        },
    )
    firm = firm_party(contract["firm_id"])
    lines = [[firm, "sales", "CNY", output]]
    if credited:
        lines.append([firm, "input_vat", "CNY", -credited])
    if paid:
        lines += [[firm, "cash", "CNY", -paid], [TAX, "cash", "CNY", paid]]
        lines.append([TAX, "tax_income", "CNY", -paid])
    m.journal(
        "EXW without export declaration: output VAT as a domestic sale",
        contract["contract_id"],
        lines,
    )


def reverse_domestic_sale(contract: dict[str, Any]) -> list[list[Any]]:
    """Return the journal lines that undo a deemed domestic sale's VAT.

    When the sale is reversed (a red-letter invoice) the output VAT goes back into
    sales, the input VAT credit is restored and the VAT paid is refunded. Empty for an
    export sale.
    """
    taxed = contract.get("domestic_sale")
    if taxed is None:
        return []
    firm = firm_party(contract["firm_id"])
    lines = [[firm, "sales", "CNY", -taxed["output_vat"]]]
    if taxed["input_vat_credited"]:
        lines.append([firm, "input_vat", "CNY", taxed["input_vat_credited"]])
    if taxed["vat_paid"]:
        lines += [
            [firm, "cash", "CNY", taxed["vat_paid"]],
            [TAX, "cash", "CNY", -taxed["vat_paid"]],
        ]
        lines.append([TAX, "tax_income", "CNY", taxed["vat_paid"]])
    return lines


def clear_import(m: Market, contract: dict[str, Any]) -> None:
    """Clear DDP goods for import: the seller pays duty, import VAT and the broker's fee.

    Duty is looked up by HS heading and market, at the preferential rate when a
    certificate of origin was ready by today. The customs value is the DDP price less
    the duty and import VAT it carries. A seller not registered for VAT in the market
    cannot reclaim the import VAT, so all of it is a delivery cost.
    """
    world = m.world
    state = m.state
    mid = state.fx["USD"]
    market = state.buyers[contract["buyer_id"]]["market"]
    certificate = contract.get("origin_certificate")
    scheme = None
    if certificate is not None and certificate["ready_day"] <= state.day:
        scheme = certificate["scheme"]
    duty_r = duty_rate(world, market, contract["product_id"], scheme)
    vat_r = import_vat_rate(world, market)
    value = customs_value(convert(contract["amount"], mid), duty_r, vat_r)
    duty, vat = import_taxes(value, duty_r, vat_r)
    fee = convert(int(world.money["import_clearance_fee_usd"]), mid)
    m.emit(
        "ImportCleared",
        {
            "contract_id": contract["contract_id"],
            "scheme": scheme,
            "customs_value": value,
            "duty_rate": str(duty_r),
            "duty": duty,
            "import_vat_rate": str(vat_r),
            "import_vat": vat,
            "fee": fee,
        },
    )
    m.journal(
        "DDP import duty, import VAT and clearance",
        contract["contract_id"],
        transfer(
            firm_party(contract["firm_id"]),
            "delivery_cost",
            FOREIGN_CUSTOMS,
            "tax_income",
            "CNY",
            duty + vat + fee,
        ),
    )
