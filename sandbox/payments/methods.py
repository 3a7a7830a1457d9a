"""Payment methods as a registry of small classes with pure methods.

Each class says when money moves (``schedule``), what the banks charge and how much
risk it leaves with the exporter. The engine reads these; it does not hard-code
percentages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from sandbox.money import apply_rate
from sandbox.scenario.model import World

__all__ = ["PAYMENT_METHODS", "PaymentMethod"]


class PaymentMethod:
    """Base class: one way of getting paid.

    Attributes:
        code: Registry key.
        name: English name.
        exporter_risk: 0 (none) to 5 (highest), used by bots and buyer utility.
        buyer_appeal: How much buyers like the method (cash-flow for them), 0 to 1.
        default_factor: Multiplier on a buyer's default probability under this method.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    exporter_risk: ClassVar[int] = 0
    buyer_appeal: ClassVar[float] = 0.5
    default_factor: ClassVar[float] = 1.0

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        """Return ``(part, share, trigger)`` rows; shares add up to 1."""
        raise NotImplementedError

    def bank_fee_cny(self, amount_cny: int, world: World) -> int:
        """Return the exporter's bank charges for collecting ``amount_cny``."""
        return int(world.money["tt_fee_cny"])

    def issue_fee_cny(self, world: World) -> int:
        """Return the charges once per contract when the method is set up (0 by default)."""
        return 0


class TelegraphicTransfer(PaymentMethod):
    """T/T deposit before production, balance against a copy of the B/L."""

    code = "tt"
    name = "T/T deposit and balance"
    exporter_risk = 2
    buyer_appeal = 0.6
    default_factor = 0.8

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        deposit = world.rate("tt_deposit_rate")
        return [("deposit", deposit, "signing"), ("balance", 1 - deposit, "departure")]


class LetterOfCredit(PaymentMethod):
    """Documentary credit under UCP 600: the bank pays against complying documents."""

    code = "lc"
    name = "Letter of credit (UCP 600)"
    exporter_risk = 1
    buyer_appeal = 0.2
    default_factor = 0.0

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        return [("credit", Decimal(1), "honour")]

    def bank_fee_cny(self, amount_cny: int, world: World) -> int:
        # The advising fee is charged once, when the credit is advised (issue_fee_cny).
        return apply_rate(amount_cny, world.rate("lc_negotiation_rate"))

    def issue_fee_cny(self, world: World) -> int:
        return int(world.money["lc_advising_fee_cny"])


class DocumentsAgainstPayment(PaymentMethod):
    """D/P under URC 522: documents released when the buyer pays at sight."""

    code = "dp"
    name = "Documents against payment"
    exporter_risk = 3
    buyer_appeal = 0.5
    default_factor = 0.0  # a D/P buyer refuses instead of defaulting: goods stay unreleased

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        return [("collection", Decimal(1), "arrival")]

    def bank_fee_cny(self, amount_cny: int, world: World) -> int:
        return apply_rate(amount_cny, world.rate("collection_fee_rate"))


class DocumentsAgainstAcceptance(PaymentMethod):
    """D/A: documents released against an accepted time draft (30-180 days)."""

    code = "da"
    name = "Documents against acceptance"
    exporter_risk = 4
    buyer_appeal = 0.8
    default_factor = 1.5

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        return [("draft", Decimal(1), "arrival+60")]

    def bank_fee_cny(self, amount_cny: int, world: World) -> int:
        return apply_rate(amount_cny, world.rate("collection_fee_rate"))


class Escrow(PaymentMethod):
    """Platform escrow (Trade Assurance): paid in, held, released on receipt."""

    code = "escrow"
    name = "Escrow (Trade Assurance)"
    exporter_risk = 1
    buyer_appeal = 0.7
    default_factor = 0.0

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        return [("escrow", Decimal(1), "signing")]

    def bank_fee_cny(self, amount_cny: int, world: World) -> int:
        return 0

    def seller_fee_usd(self, amount_usd: int, world: World) -> int:
        """Return the platform's fee on releasing ``amount_usd`` of escrow to the seller.

        Small orders (below ``escrow_small_order_usd``) pay the higher rate.
        """
        small = amount_usd < int(world.money["escrow_small_order_usd"])
        rate = world.rate("escrow_seller_fee_small" if small else "escrow_seller_fee")
        return apply_rate(amount_usd, rate)


class OpenAccount(PaymentMethod):
    """Open account: goods first, payment 60 days after arrival; insurable."""

    code = "open_account"
    name = "Open account"
    exporter_risk = 5
    buyer_appeal = 1.0
    default_factor = 1.0

    def schedule(self, world: World) -> list[tuple[str, Decimal, str]]:
        return [("invoice", Decimal(1), "arrival+60")]


PAYMENT_METHODS: dict[str, PaymentMethod] = {
    method.code: method
    for method in (
        TelegraphicTransfer(),
        LetterOfCredit(),
        DocumentsAgainstPayment(),
        DocumentsAgainstAcceptance(),
        Escrow(),
        OpenAccount(),
    )
}
