"""The chart of accounts shared by all parties (codes follow the PRC enterprise chart).

One chart serves firms, buyers, banks, carriers, the platform, the insurer and the tax
office; each party uses the accounts its business needs. Kinds decide the sign of a
normal balance and where an account appears in the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACCOUNTS", "CASH", "Account"]


@dataclass(frozen=True, slots=True)
class Account:
    """One account: stable key, chart code, English name and kind."""

    key: str
    code: str
    name: str
    kind: str  # asset, liability, equity, revenue, expense


CASH = "cash"

ACCOUNTS: dict[str, Account] = {
    account.key: account
    for account in (
        Account("cash", "1002", "Bank deposits", "asset"),
        Account("receivable", "1122", "Accounts receivable", "asset"),
        Account("input_vat", "1221", "Input VAT awaiting rebate", "asset"),
        Account("rebate_receivable", "1231", "Export VAT rebate receivable", "asset"),
        Account("inventory", "1405", "Inventory", "asset"),
        Account("goods_in_transit", "1406", "Goods shipped, risk not yet passed", "asset"),
        Account("payable", "2202", "Accounts payable", "liability"),
        Account("customer_advances", "2203", "Advances from customers", "liability"),
        Account("vat_output", "2221", "Output VAT payable", "liability"),
        Account("escrow_liability", "2241", "Escrow funds held for others", "liability"),
        Account("capital", "4001", "Paid-in capital", "equity"),
        Account("fx_trading", "4101", "Currency trading position", "equity"),
        Account("sales", "6001", "Sales revenue", "revenue"),
        Account("fee_income", "6051", "Fee and commission income", "revenue"),
        Account("freight_income", "6052", "Freight income", "revenue"),
        Account("premium_income", "6053", "Insurance premium income", "revenue"),
        Account("fine_income", "6054", "Fines and penalties collected", "revenue"),
        Account("tax_income", "6055", "Tax collected", "revenue"),
        Account("claims_income", "6056", "Insurance claims received", "revenue"),
        Account("fx_gain_loss", "6061", "Exchange gains (losses)", "revenue"),
        Account("cost_of_sales", "6401", "Cost of sales", "expense"),
        # Carriage, insurance, duties and import VAT the Incoterm puts on the seller: costs
        # of fulfilling the contract, part of the cost of sales (CAS 14, MOF 2021 Q&A).
        Account(
            "delivery_cost", "6401.01", "Cost of sales: delivery under the Incoterm", "expense"
        ),
        Account("purchases", "6402", "Purchases of imported goods", "expense"),
        Account("selling_expense", "6601", "Selling expenses", "expense"),
        Account("finance_expense", "6603", "Finance expenses and bank fees", "expense"),
        Account("impairment_loss", "6702", "Credit impairment losses", "expense"),
        Account("non_operating_loss", "6711", "Non-operating losses and penalties", "expense"),
        Account("claims_expense", "6811", "Claims paid", "expense"),
        Account("rebate_expense", "6821", "Export rebates paid", "expense"),
    )
}
