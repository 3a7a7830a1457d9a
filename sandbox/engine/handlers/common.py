"""Shared checks for command handlers: look-ups that reject with a specific error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.engine.parties import firm_party
from sandbox.errors import CommandRejected

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["get_contract", "get_firm", "need_cash", "reject"]


def reject(code: str, message: str, rule: str, field: str | None = None) -> CommandRejected:
    """Build the ``CommandRejected`` a handler raises."""
    return CommandRejected(code, message, rule=rule, field=field)


def get_firm(m: Market, firm_id: str) -> dict[str, Any]:
    """Return the firm or reject with ``FIRM_NOT_FOUND``."""
    firm = m.state.firms.get(firm_id)
    if firm is None:
        raise reject("FIRM_NOT_FOUND", f"no firm {firm_id!r}", "engine.firm", "firm_id")
    return firm


def get_contract(
    m: Market, firm_id: str, contract_id: str, *, active: bool = True
) -> dict[str, Any]:
    """Return the firm's contract or reject (not found, or closed when ``active``)."""
    get_firm(m, firm_id)
    contract = m.state.contracts.get(contract_id)
    if contract is None or contract["firm_id"] != firm_id:
        raise reject(
            "CONTRACT_NOT_FOUND",
            f"no contract {contract_id!r} for this firm",
            "engine.contract",
            "contract_id",
        )
    if active and contract["status"] != "active":
        raise reject(
            "CONTRACT_CLOSED",
            f"contract {contract_id} is {contract['status']}",
            "engine.contract",
            "contract_id",
        )
    return contract


def need_cash(m: Market, firm_id: str, amount: int, field: str | None = None) -> None:
    """Reject with ``INSUFFICIENT_FUNDS`` unless the firm has ``amount`` CNY fen."""
    cash = m.state.ledger.cash(firm_party(firm_id))
    if cash < amount:
        raise reject(
            "INSUFFICIENT_FUNDS",
            f"needs CNY {amount / 100:.2f}, cash is CNY {cash / 100:.2f}",
            "money.cash",
            field,
        )
