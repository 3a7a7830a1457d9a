"""Ledger: balanced entries only, reports, and the money conservation check."""

from __future__ import annotations

import pytest

from sandbox.ledger import Ledger, LedgerError, balance_sheet, profit_and_loss, trial_balance
from sandbox.ledger.books import check_entry


def test_unbalanced_entry_is_refused():
    with pytest.raises(LedgerError, match="unbalanced"):
        check_entry([["firm:F1", "cash", "CNY", 100], ["firm:F1", "sales", "CNY", -99]])


def test_each_party_must_balance_on_its_own():
    # Balanced overall but not per party: firm gains cash, buyer loses a payable.
    with pytest.raises(LedgerError):
        check_entry([["firm:F1", "cash", "CNY", 100], ["buyer:B1", "payable", "CNY", -100]])


@pytest.mark.parametrize(
    "line", [["x", "nonsense", "CNY", 1], ["x", "cash", "CNY", 1.5], ["x", "cash", "CNY", "1"]]
)
def test_unknown_accounts_and_non_integer_amounts_are_refused(line):
    with pytest.raises(LedgerError):
        check_entry([line, ["x", "capital", "CNY", -1]])


def test_reports_and_conservation():
    ledger = Ledger()
    ledger.post(
        [["firm:F1", "cash", "CNY", 1_000], ["firm:F1", "capital", "CNY", -1_000]], genesis=True
    )
    ledger.post([["firm:F1", "inventory", "CNY", 600], ["firm:F1", "cash", "CNY", -600]])
    ledger.post(
        [
            ["firm:F1", "receivable", "CNY", 900],
            ["firm:F1", "sales", "CNY", -900],
            ["firm:F1", "cost_of_sales", "CNY", 600],
            ["firm:F1", "inventory", "CNY", -600],
        ]
    )
    assert trial_balance(ledger)["ok"]
    pnl = profit_and_loss(ledger, "firm:F1")
    assert (pnl["sales"], pnl["gross_profit"], pnl["net_profit"]) == (900, 300, 300)
    sheet = balance_sheet(ledger, "firm:F1")
    assert sheet["balanced"] and sheet["total_assets"] == 1_300
    # The inventory purchase paid no one: cash left the system and the check says so.
    assert ledger.money_created() == {"CNY": -600}


def test_transfer_conserves_money():
    ledger = Ledger()
    ledger.post([["a", "cash", "USD", 50], ["a", "capital", "USD", -50]], genesis=True)
    ledger.post(
        [
            ["a", "purchases", "USD", 20],
            ["a", "cash", "USD", -20],
            ["b", "cash", "USD", 20],
            ["b", "sales", "USD", -20],
        ]
    )
    assert ledger.money_created() == {"USD": 0}
    assert trial_balance(ledger)["ok"]
