"""Appliers for certificates of origin, DDP import clearance and deemed domestic sales."""

from __future__ import annotations

from typing import Any

from sandbox.engine.appliers.platform import count
from sandbox.engine.state import MarketState

__all__ = ["domestic_sale_taxed", "import_cleared", "origin_certificate_applied"]


def origin_certificate_applied(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``OriginCertificateApplied``: the contract carries the certificate."""
    count(state, "origin")
    state.contracts[data["contract_id"]]["origin_certificate"] = {
        "scheme": data["scheme"],
        "certificate_no": data["certificate_no"],
        "fee": data["fee"],
        "ready_day": data["ready_day"],
    }


def import_cleared(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ImportCleared``: the seller's import duty and VAT under DDP."""
    fields = ("scheme", "customs_value", "duty_rate", "duty", "import_vat_rate", "import_vat")
    record = {key: data[key] for key in fields}
    state.contracts[data["contract_id"]]["import_clearance"] = {**record, "fee": data["fee"]}


def domestic_sale_taxed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DomesticSaleTaxed``: the sale is taxed at home, no rebate."""
    state.contracts[data["contract_id"]]["domestic_sale"] = {
        "rate": data["rate"],
        "output_vat": data["output_vat"],
        "input_vat_credited": data["input_vat_credited"],
        "vat_paid": data["vat_paid"],
    }
