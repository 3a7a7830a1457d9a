"""Incoterms 2020 as a table: who pays what and where risk passes.

The journey of goods is cut into stages. Each rule names the first stage at which the
buyer bears the risk (``risk_stage``); a loss in an earlier stage hits the seller,
a loss in that stage or later hits the buyer (or the buyer's insurer).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INCOTERMS", "STAGES", "Incoterm", "loss_bearer"]

#: Stages of a shipment, in order.
STAGES = (
    "seller_premises",  # goods made ready at the seller's works
    "pre_carriage",  # haulage from the works to the terminal or port
    "port_loading",  # at the terminal / alongside and loading onto the vessel
    "main_carriage",  # the international leg
    "destination_unloading",  # unloading at the named destination
    "import_clearance",  # import formalities and duties
)


@dataclass(frozen=True, slots=True)
class Incoterm:
    """One Incoterms 2020 rule.

    Attributes:
        code: Three-letter rule.
        sea_only: Only for sea and inland waterway transport.
        risk_point: Where risk passes, in words.
        risk_stage: Index in ``STAGES`` from which the buyer bears loss.
        seller_main_carriage: The seller contracts and pays the main carriage.
        seller_insurance: ``"A"`` or ``"C"`` (ICC clauses) if the seller must insure.
        export_clearance: Who clears for export.
        import_clearance: Who clears for import and pays duties.
        declared_as: Transaction mode on a China export declaration.
        revenue_at: ``"departure"`` or ``"arrival"`` (when risk and control pass).
    """

    code: str
    sea_only: bool
    risk_point: str
    risk_stage: int
    seller_main_carriage: bool
    seller_insurance: str | None
    export_clearance: str
    import_clearance: str
    declared_as: str
    revenue_at: str


INCOTERMS: dict[str, Incoterm] = {
    term.code: term
    for term in (
        Incoterm(
            "EXW",
            False,
            "at seller's premises, not loaded",
            1,
            False,
            None,
            "buyer",
            "buyer",
            "EXW",
            "departure",
        ),
        Incoterm(
            "FCA",
            False,
            "handed to the buyer's carrier at the named place",
            2,
            False,
            None,
            "seller",
            "buyer",
            "FOB",
            "departure",
        ),
        Incoterm(
            "FAS",
            True,
            "alongside the ship at the port of shipment",
            2,
            False,
            None,
            "seller",
            "buyer",
            "FOB",
            "departure",
        ),
        Incoterm(
            "FOB",
            True,
            "on board at the port of shipment",
            3,
            False,
            None,
            "seller",
            "buyer",
            "FOB",
            "departure",
        ),
        Incoterm(
            "CFR",
            True,
            "on board at the port of shipment",
            3,
            True,
            None,
            "seller",
            "buyer",
            "CFR",
            "departure",
        ),
        Incoterm(
            "CIF",
            True,
            "on board at the port of shipment",
            3,
            True,
            "C",
            "seller",
            "buyer",
            "CIF",
            "departure",
        ),
        Incoterm(
            "CPT",
            False,
            "handed to the first carrier",
            2,
            True,
            None,
            "seller",
            "buyer",
            "CFR",
            "departure",
        ),
        Incoterm(
            "CIP",
            False,
            "handed to the first carrier",
            2,
            True,
            "A",
            "seller",
            "buyer",
            "CIF",
            "departure",
        ),
        Incoterm(
            "DAP",
            False,
            "at destination, ready for unloading",
            4,
            True,
            None,
            "seller",
            "buyer",
            "CIF",
            "arrival",
        ),
        Incoterm(
            "DPU",
            False,
            "unloaded at destination",
            5,
            True,
            None,
            "seller",
            "buyer",
            "CIF",
            "arrival",
        ),
        Incoterm(
            "DDP",
            False,
            "at destination, import-cleared",
            6,
            True,
            None,
            "seller",
            "seller",
            "CIF",
            "arrival",
        ),
    )
}


def loss_bearer(code: str, stage: str) -> str:
    """Return ``"seller"`` or ``"buyer"``: who bears a loss during ``stage`` under ``code``.

    Args:
        code: An Incoterms 2020 rule, e.g. ``"FOB"``.
        stage: One of ``STAGES``.

    Raises:
        KeyError: For an unknown rule or stage.
    """
    term = INCOTERMS[code]
    if stage not in STAGES:
        raise KeyError(stage)
    return "seller" if STAGES.index(stage) < term.risk_stage else "buyer"
