"""Names of the parties whose books the ledger keeps."""

from __future__ import annotations

__all__ = [
    "BANK",
    "CUSTOMS",
    "FOREIGN_CUSTOMS",
    "INSURER",
    "PLATFORM",
    "TAX",
    "buyer_party",
    "carrier_party",
    "firm_party",
    "supplier_party",
]

BANK = "bank"  # the exporter's bank, also acting for issuing and collecting banks
PLATFORM = "platform"  # the B2B platform (escrow, fees, listings)
TAX = "tax"  # the tax office (VAT, export rebates)
CUSTOMS = "customs"  # China customs (fines)
FOREIGN_CUSTOMS = "customs:import"  # destination customs (DDP duties)
INSURER = "insurer"  # cargo and export credit insurer


def firm_party(firm_id: str) -> str:
    """Ledger party of a firm."""
    return f"firm:{firm_id}"


def buyer_party(buyer_id: str) -> str:
    """Ledger party of a buyer."""
    return f"buyer:{buyer_id}"


def supplier_party(supplier_id: str) -> str:
    """Ledger party of a supplier."""
    return f"supplier:{supplier_id}"


def carrier_party(carrier_id: str) -> str:
    """Ledger party of a carrier."""
    return f"carrier:{carrier_id}"
