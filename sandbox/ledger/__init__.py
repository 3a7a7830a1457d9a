"""Double-entry bookkeeping for every party in a market."""

from sandbox.ledger.books import Ledger, LedgerError
from sandbox.ledger.chart import ACCOUNTS, Account
from sandbox.ledger.reports import balance_sheet, profit_and_loss, trial_balance

__all__ = [
    "ACCOUNTS",
    "Account",
    "Ledger",
    "LedgerError",
    "balance_sheet",
    "profit_and_loss",
    "trial_balance",
]
