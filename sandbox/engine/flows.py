"""Money flows: the journal lines of each kind of payment between parties.

Functions here build balanced lines (debit positive) and emit the domain event plus
its journal. Cross-currency flows pass through the bank, which keeps a currency
trading account, so every party's books balance in every currency and the sum of
cash per currency across parties never changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sandbox.engine.parties import BANK, PLATFORM, buyer_party, firm_party
from sandbox.fx import bank_bid
from sandbox.money import convert
from sandbox.payments import PAYMENT_METHODS
from sandbox.payments.methods import Escrow

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = [
    "bank_ask",
    "buyer_pays_firm",
    "firm_refunds_buyer",
    "release_escrow",
    "transfer",
    "usd_bid",
]

Line = list[Any]


def transfer(
    payer: str, payer_debit: str, payee: str, payee_credit: str, currency: str, amount: int
) -> list[Line]:
    """Lines for ``payer`` paying ``payee`` in one currency.

    The payer debits ``payer_debit`` (an expense, liability or asset) and credits cash;
    the payee debits cash and credits ``payee_credit``.
    """
    return [
        [payer, payer_debit, currency, amount],
        [payer, "cash", currency, -amount],
        [payee, "cash", currency, amount],
        [payee, payee_credit, currency, -amount],
    ]


def usd_bid(m: Market) -> int:
    """Return the bank's USD buying rate today."""
    return bank_bid(m.state.fx["USD"], m.world.rate("fx_spread"))


def bank_ask(m: Market) -> int:
    """Return the bank's USD selling rate today (mid plus spread)."""
    mid = m.state.fx["USD"]
    return mid + (mid - usd_bid(m))


def _conversion(usd: int, cny: int) -> list[Line]:
    # The bank takes USD in and pays CNY out; its trading account holds the position.
    return [
        [BANK, "cash", "USD", usd],
        [BANK, "fx_trading", "USD", -usd],
        [BANK, "fx_trading", "CNY", cny],
        [BANK, "cash", "CNY", -cny],
    ]


def _book_value(contract: dict[str, Any], gross_usd: int, cny_equivalent: int) -> int:
    if not contract["recognized"]:
        return cny_equivalent
    outstanding = contract["receivable_usd"]
    if outstanding <= 0:
        return 0
    if gross_usd >= outstanding:
        return contract["receivable_cny"]
    return contract["receivable_cny"] * gross_usd // outstanding


def _forward_for(m: Market, firm_id: str) -> dict[str, Any] | None:
    for forward_id in m.state.open_forwards_by_firm.get(firm_id, {}):
        forward = m.state.forwards[forward_id]
        if forward["remaining"] > 0 and forward["maturity_day"] >= m.state.day:
            return forward
    return None


def _firm_side(
    m: Market, contract: dict[str, Any], net_usd: int, fee_usd: int, fee_account: str
) -> tuple[list[Line], dict[str, Any]]:
    firm = firm_party(contract["firm_id"])
    bid = usd_bid(m)
    forward = _forward_for(m, contract["firm_id"])
    used = min(forward["remaining"], net_usd) if forward else 0
    cny = convert(net_usd - used, bid) + (convert(used, forward["rate"]) if forward else 0)
    fee_cny = convert(fee_usd, bid)
    book = _book_value(contract, net_usd + fee_usd, cny + fee_cny)
    account = "receivable" if contract["recognized"] else "customer_advances"
    lines: list[Line] = [[firm, "cash", "CNY", cny], [firm, account, "CNY", -book]]
    if fee_cny:
        lines.append([firm, fee_account, "CNY", fee_cny])
    difference = cny + fee_cny - book
    if difference:
        lines.append([firm, "fx_gain_loss", "CNY", -difference])
    lines += _conversion(net_usd, cny)
    details = {
        "cny": cny,
        "book": book,
        "forward_id": forward["forward_id"] if forward and used else None,
        "forward_used": used,
    }
    return lines, details


def buyer_pays_firm(
    m: Market, contract: dict[str, Any], part: str, amount_usd: int, *, fee_usd: int = 0
) -> None:
    """A buyer (or the issuing bank for the buyer) pays ``amount_usd`` on a contract.

    The bank converts to CNY at its bid or at an open forward's rate, keeps any
    ``fee_usd`` (e.g. a discrepancy fee) and charges the method's bank fee in CNY.
    """
    buyer = buyer_party(contract["buyer_id"])
    net = amount_usd - fee_usd
    lines = [[buyer, "purchases", "USD", amount_usd], [buyer, "cash", "USD", -amount_usd]]
    if fee_usd:
        lines += [[BANK, "cash", "USD", fee_usd], [BANK, "fee_income", "USD", -fee_usd]]
    firm_lines, details = _firm_side(m, contract, net, fee_usd, "finance_expense")
    lines += firm_lines
    bank_fee = PAYMENT_METHODS[contract["payment"]].bank_fee_cny(details["cny"], m.world)
    if bank_fee:
        lines += transfer(
            firm_party(contract["firm_id"]), "finance_expense", BANK, "fee_income", "CNY", bank_fee
        )
    m.emit(
        "PaymentReceived",
        {
            "contract_id": contract["contract_id"],
            "part": part,
            "amount": net,
            "fee": fee_usd,
            **details,
        },
    )
    m.journal(f"{part} received", contract["contract_id"], lines)


def release_escrow(m: Market, contract: dict[str, Any]) -> None:
    """Release held escrow to the seller, less the platform's seller fee."""
    held = contract["escrow_held"]
    if held <= 0:
        return
    fee = cast(Escrow, PAYMENT_METHODS["escrow"]).seller_fee_usd(held, m.world)
    net = held - fee
    lines: list[Line] = [
        [PLATFORM, "escrow_liability", "USD", held],
        [PLATFORM, "cash", "USD", -net],
        [PLATFORM, "fee_income", "USD", -fee],
    ]
    firm_lines, details = _firm_side(m, contract, net, fee, "selling_expense")
    lines += firm_lines
    m.emit(
        "EscrowReleased",
        {
            "contract_id": contract["contract_id"],
            "amount": net,
            "fee": fee,
            "cny": details["cny"],
            "book": details["book"],
        },
    )
    m.journal("escrow released", contract["contract_id"], lines)


def firm_refunds_buyer(
    m: Market, contract: dict[str, Any], refund_usd: int, debit_account: str
) -> list[Line]:
    """Lines for a firm paying ``refund_usd`` back to the buyer through the bank.

    The firm buys USD at the bank's ask; ``debit_account`` is what the refund reduces
    (sales for a dispute, advances for a cancelled order).
    """
    firm = firm_party(contract["firm_id"])
    buyer = buyer_party(contract["buyer_id"])
    cny = convert(refund_usd, bank_ask(m))
    return [
        [firm, debit_account, "CNY", cny],
        [firm, "cash", "CNY", -cny],
        [BANK, "cash", "CNY", cny],
        [BANK, "fx_trading", "CNY", -cny],
        [BANK, "fx_trading", "USD", refund_usd],
        [BANK, "cash", "USD", -refund_usd],
        [buyer, "cash", "USD", refund_usd],
        [buyer, "purchases", "USD", -refund_usd],
    ]
