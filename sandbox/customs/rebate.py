"""Export VAT rebate for a trading company (外贸企业 免退税).

Refund = purchase price excluding VAT x rebate rate in force on the export date. The
rest of the 13 % input VAT is not refunded and becomes cost of sales.
"""

from __future__ import annotations

from decimal import Decimal

from sandbox.money import apply_rate

__all__ = ["rebate_amounts"]


def rebate_amounts(purchase_net: int, vat_rate: Decimal, rebate_rate: Decimal) -> tuple[int, int]:
    """Split the input VAT on a purchase into refund and non-refundable cost.

    Args:
        purchase_net: Purchase price excluding VAT, CNY fen.
        vat_rate: The VAT levied by the supplier (13 %).
        rebate_rate: The rebate rate in force on the export date.

    Returns:
        ``(refund, non_refundable)``, which add up to the input VAT.
    """
    input_vat = apply_rate(purchase_net, vat_rate)
    refund = min(input_vat, apply_rate(purchase_net, rebate_rate))
    return refund, input_vat - refund
