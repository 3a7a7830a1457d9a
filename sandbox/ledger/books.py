"""The ledger: balances per (party, account, currency) built from journal entries.

A journal line is ``[party, account, currency, amount]`` with debits positive and
credits negative, in minor units. An entry is valid only if, for every party and
currency, its lines sum to zero, so each party's books balance on their own and a
transfer between parties shows in both sets of books.
"""

from __future__ import annotations

from typing import Any

from sandbox.ledger.chart import ACCOUNTS, CASH

__all__ = ["Ledger", "LedgerError", "check_entry"]

Line = list[Any]


class LedgerError(ValueError):
    """A journal entry is unbalanced or names an unknown account."""


def check_entry(lines: list[Line]) -> None:
    """Raise :class:`LedgerError` unless ``lines`` form a valid balanced entry."""
    if not lines:
        raise LedgerError("a journal entry needs lines")
    sums: dict[tuple[str, str], int] = {}
    for party, account, currency, amount in lines:
        if account not in ACCOUNTS:
            raise LedgerError(f"unknown account {account!r}")
        if type(amount) is not int:
            raise LedgerError(f"amount must be an int in minor units, got {amount!r}")
        key = (party, currency)
        sums[key] = sums.get(key, 0) + amount
    for (party, currency), total in sums.items():
        if total:
            raise LedgerError(f"entry unbalanced for {party} in {currency} by {total}")


class Ledger:
    """All parties' books in one market.

    Attributes:
        books: ``party -> {(account, currency): balance}`` (debit positive).
        cash_total: Sum of every party's cash per currency.
        supply: Cash issued at genesis per currency; anything else must be a transfer.
        entries: Number of journal entries posted.
    """

    def __init__(self) -> None:
        self.books: dict[str, dict[tuple[str, str], int]] = {}
        self.cash_total: dict[str, int] = {}
        self.supply: dict[str, int] = {}
        self.entries = 0

    def post(self, lines: list[Line], *, genesis: bool = False) -> None:
        """Apply a journal entry that has already been checked (replay trusts the log)."""
        books = self.books
        for party, account, currency, amount in lines:
            book = books.get(party)
            if book is None:
                book = books[party] = {}
            key = (account, currency)
            book[key] = book.get(key, 0) + amount
            if account == CASH:
                self.cash_total[currency] = self.cash_total.get(currency, 0) + amount
                if genesis:
                    self.supply[currency] = self.supply.get(currency, 0) + amount
        self.entries += 1

    def balance(self, party: str, account: str, currency: str = "CNY") -> int:
        """Return a party's balance on one account (debit positive)."""
        return self.books.get(party, {}).get((account, currency), 0)

    def cash(self, party: str, currency: str = "CNY") -> int:
        """Return a party's cash in ``currency``."""
        return self.books.get(party, {}).get((CASH, currency), 0)

    def money_created(self) -> dict[str, int]:
        """Return cash now minus cash issued at genesis, per currency (all zero when conserved)."""
        currencies = sorted(set(self.cash_total) | set(self.supply))
        return {c: self.cash_total.get(c, 0) - self.supply.get(c, 0) for c in currencies}

    def canonical(self) -> dict[str, dict[str, int]]:
        """Return a JSON-ready copy with sorted string keys (for hashing)."""
        return {
            party: {
                f"{account}:{currency}": amount
                for (account, currency), amount in sorted(book.items())
                if amount
            }
            for party, book in sorted(self.books.items())
        }
