"""Trial balance, profit and loss and balance sheet from a :class:`Ledger`."""

from __future__ import annotations

from typing import Any

from sandbox.ledger.books import Ledger
from sandbox.ledger.chart import ACCOUNTS

__all__ = ["balance_sheet", "profit_and_loss", "trial_balance"]


def trial_balance(ledger: Ledger, party: str | None = None) -> dict[str, Any]:
    """Sum debit and credit balances per party and currency.

    Args:
        ledger: The market ledger.
        party: One party, or ``None`` for all.

    Returns:
        ``{"ok": bool, "rows": [{"party", "currency", "debits", "credits"}]}``; ``ok`` is
        true when debits equal credits in every row.
    """
    parties = [party] if party is not None else sorted(ledger.books)
    rows = []
    ok = True
    for name in parties:
        per_currency: dict[str, list[int]] = {}
        for (_account, currency), amount in ledger.books.get(name, {}).items():
            pair = per_currency.setdefault(currency, [0, 0])
            if amount >= 0:
                pair[0] += amount
            else:
                pair[1] -= amount
        for currency, (debits, credits) in sorted(per_currency.items()):
            ok = ok and debits == credits
            rows.append({"party": name, "currency": currency, "debits": debits, "credits": credits})
    return {"ok": ok, "rows": rows}


def _by_kind(ledger: Ledger, party: str, currency: str) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {
        kind: {} for kind in ("asset", "liability", "equity", "revenue", "expense")
    }
    for (account, ccy), amount in sorted(ledger.books.get(party, {}).items()):
        if ccy != currency or not amount:
            continue
        kind = ACCOUNTS[account].kind
        # Report natural balances: credits are positive for liabilities, equity and revenue.
        grouped[kind][account] = amount if kind in ("asset", "expense") else -amount
    return grouped


def profit_and_loss(ledger: Ledger, party: str, currency: str = "CNY") -> dict[str, Any]:
    """Return revenue, expenses, gross profit and net profit for one party.

    Gross profit is sales less cost of sales, which includes the delivery costs the
    Incoterm puts on the seller (freight, insurance, duties and import VAT under DDP);
    ``goods_profit`` is sales less the cost of the goods alone (with the VAT not refunded).
    Net profit is all revenue less all expenses.
    """
    grouped = _by_kind(ledger, party, currency)
    revenue = sum(grouped["revenue"].values())
    expenses = sum(grouped["expense"].values())
    sales = grouped["revenue"].get("sales", 0)
    cost = grouped["expense"].get("cost_of_sales", 0)
    delivery = grouped["expense"].get("delivery_cost", 0)
    return {
        "currency": currency,
        "revenue": grouped["revenue"],
        "expenses": grouped["expense"],
        "sales": sales,
        "goods_profit": sales - cost,
        "gross_profit": sales - cost - delivery,
        "net_profit": revenue - expenses,
    }


def balance_sheet(ledger: Ledger, party: str, currency: str = "CNY") -> dict[str, Any]:
    """Return assets, liabilities and equity (with the period result) for one party.

    ``balanced`` is true when assets equal liabilities plus equity.
    """
    grouped = _by_kind(ledger, party, currency)
    result = sum(grouped["revenue"].values()) - sum(grouped["expense"].values())
    assets = sum(grouped["asset"].values())
    liabilities = sum(grouped["liability"].values())
    equity = sum(grouped["equity"].values()) + result
    return {
        "currency": currency,
        "assets": grouped["asset"],
        "liabilities": grouped["liability"],
        "equity": {**grouped["equity"], "period_result": result},
        "total_assets": assets,
        "total_liabilities_and_equity": liabilities + equity,
        "balanced": assets == liabilities + equity,
    }
