"""The payment terms side by side, as an exporter weighs them before quoting."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sandbox.money import FX_SCALE, apply_rate
from sandbox.payments.methods import PAYMENT_METHODS, Escrow

if TYPE_CHECKING:
    from sandbox.scenario.model import World

__all__ = ["PaymentTerm", "collection_fees_usd", "compare_payment_terms"]


@dataclass(frozen=True, slots=True)
class PaymentTerm:
    """One payment method priced for one deal.

    Attributes:
        code: The method's registry key (``tt``, ``lc``...).
        schedule: ``(part, share, trigger)`` rows: when each part of the money comes.
        fees: What the banks or the platform charge the exporter, USD cents.
        net: The amount less the goods' cost and the fees, USD cents.
        risk: The exporter's risk, 0 (none) to 5 (highest).
    """

    code: str
    schedule: list[tuple[str, Decimal, str]]
    fees: int
    net: int
    risk: int


def collection_fees_usd(code: str, amount: int, world: World, usd_rate: int) -> int:
    """Return the exporter's charges for collecting ``amount`` USD cents under a method.

    The same fees the engine books: the bank's fee on every incoming part (charged in
    yuan, converted at ``usd_rate``), or the platform's seller fee on escrow.
    """
    method = PAYMENT_METHODS[code]
    if isinstance(method, Escrow):
        return method.seller_fee_usd(amount, world)
    once = method.issue_fee_cny(world) * FX_SCALE // usd_rate
    return once + sum(
        method.bank_fee_cny(apply_rate(amount, share) * usd_rate // FX_SCALE, world)
        * FX_SCALE
        // usd_rate
        for _part, share, _trigger in method.schedule(world)
    )


def compare_payment_terms(world: World, amount: int, cost: int, usd_rate: int) -> list[PaymentTerm]:
    """Return every payment method of the platform for a deal, in registry order.

    Args:
        world: The scenario's world (fees and rates).
        amount: What the buyer pays, USD cents.
        cost: What the goods and their delivery cost the exporter, USD cents.
        usd_rate: CNY per USD, scaled by ``FX_SCALE``.
    """
    terms = []
    for code, method in PAYMENT_METHODS.items():
        fees = collection_fees_usd(code, amount, world, usd_rate)
        terms.append(
            PaymentTerm(
                code=code,
                schedule=method.schedule(world),
                fees=fees,
                net=amount - cost - fees,
                risk=method.exporter_risk,
            )
        )
    return terms
