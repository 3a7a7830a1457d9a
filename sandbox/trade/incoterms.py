"""Incoterms 2020 as a table: who pays, who bears the risk and who clears, stage by stage.

The journey of goods is cut into stages in the order they happen. Five are physical
(goods are loaded, carried or unloaded and can be lost); two are formalities (export and
import clearance), which move no goods and carry no risk of loss. Each rule names two
critical points in the physical stages, as the ICC's own introduction explains:

* ``risk_stage``: the first physical stage at the buyer's risk (delivery);
* ``cost_stage``: the first physical stage at the buyer's cost. It equals the risk point
  except under the C-rules, where the seller pays the main carriage although the risk
  passed at shipment.

Formalities are assigned by their own columns (``export_clearance``,
``import_clearance``). Import clearance comes before unloading at the named place, so
DDP (the seller clears the goods for import and the buyer unloads them) and DPU (the
seller unloads and the buyer clears) both come out of the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FORMALITIES", "INCOTERMS", "STAGES", "Incoterm", "loss_bearer", "split"]

#: Stages of a shipment, in order.
STAGES = (
    "loading_at_seller",  # loading onto the collecting vehicle at the seller's premises
    "export_clearance",  # export declaration, licences, export duties (a formality)
    "pre_carriage",  # haulage from the works to the terminal or port
    "port_loading",  # handed over at the terminal / placed alongside and loaded on board
    "main_carriage",  # the international leg to the named place of destination
    "import_clearance",  # import declaration, duties and import VAT (a formality)
    "unloading",  # unloading from the arriving means of transport at the named place
)

#: Stages that are paperwork and payments, not movements of goods: no loss happens there.
FORMALITIES = ("export_clearance", "import_clearance")

_MAIN = STAGES.index("main_carriage")
_END = len(STAGES)


@dataclass(frozen=True, slots=True)
class Incoterm:
    """One Incoterms 2020 rule.

    Attributes:
        code: Three-letter rule.
        sea_only: Only for sea and inland waterway transport.
        risk_point: Where risk passes, in words.
        risk_stage: Index in ``STAGES`` of the first stage at the buyer's risk
            (``len(STAGES)`` when the seller bears every stage, as under DPU).
        cost_stage: Index in ``STAGES`` of the first physical stage at the buyer's cost.
        seller_insurance: ``"A"`` or ``"C"`` (ICC clauses) if the seller must insure.
        export_clearance: Who clears for export.
        import_clearance: Who clears for import and pays duties and import VAT.
        declared_as: Transaction mode on a China export declaration.
    """

    code: str
    sea_only: bool
    risk_point: str
    risk_stage: int
    cost_stage: int
    seller_insurance: str | None
    export_clearance: str
    import_clearance: str
    declared_as: str

    @property
    def seller_main_carriage(self) -> bool:
        """Whether the seller contracts and pays the main carriage."""
        return self.cost_stage > _MAIN

    @property
    def revenue_at(self) -> str:
        """``"departure"`` or ``"arrival"``: when risk and control pass to the buyer."""
        return "departure" if self.risk_stage <= _MAIN else "arrival"


def _rule(
    code: str,
    sea: bool,
    point: str,
    risk: str,
    cost: str,
    insurance: str | None,
    export: str,
    import_: str,
    declared: str,
) -> Incoterm:
    # An empty stage name means "after the last stage": the seller bears all of them.
    risk_index = STAGES.index(risk) if risk else _END
    cost_index = STAGES.index(cost) if cost else _END
    return Incoterm(code, sea, point, risk_index, cost_index, insurance, export, import_, declared)


# fmt: off
INCOTERMS: dict[str, Incoterm] = {
    term.code: term
    for term in (
        # code, sea only, risk point, first buyer risk stage, first buyer cost stage,
        # insurance, export clearance, import clearance, customs transaction mode
        _rule("EXW", False, "at seller's premises, not loaded", "loading_at_seller",
              "loading_at_seller", None, "buyer", "buyer", "EXW"),
        _rule("FCA", False, "handed to the buyer's carrier at the named place", "port_loading",
              "port_loading", None, "seller", "buyer", "FOB"),
        _rule("FAS", True, "alongside the ship at the port of shipment", "port_loading",
              "port_loading", None, "seller", "buyer", "FOB"),
        _rule("FOB", True, "on board at the port of shipment", "main_carriage",
              "main_carriage", None, "seller", "buyer", "FOB"),
        _rule("CFR", True, "on board at the port of shipment", "main_carriage",
              "unloading", None, "seller", "buyer", "CFR"),
        _rule("CIF", True, "on board at the port of shipment", "main_carriage",
              "unloading", "C", "seller", "buyer", "CIF"),
        _rule("CPT", False, "handed to the first carrier", "port_loading",
              "unloading", None, "seller", "buyer", "CFR"),
        _rule("CIP", False, "handed to the first carrier", "port_loading",
              "unloading", "A", "seller", "buyer", "CIF"),
        _rule("DAP", False, "at destination, ready for unloading", "unloading",
              "unloading", None, "seller", "buyer", "CIF"),
        _rule("DPU", False, "unloaded at destination", "",
              "", None, "seller", "buyer", "CIF"),
        _rule("DDP", False, "at destination, cleared for import, ready for unloading",
              "unloading", "unloading", None, "seller", "seller", "CIF"),
    )
}
# fmt: on


def loss_bearer(code: str, stage: str) -> str:
    """Return ``"seller"`` or ``"buyer"``: who bears a loss during ``stage`` under ``code``.

    Args:
        code: An Incoterms 2020 rule, e.g. ``"FOB"``.
        stage: One of the physical ``STAGES`` (not a formality).

    Raises:
        KeyError: For an unknown rule or stage, or a formality (no goods move there).
    """
    term = INCOTERMS[code]
    if stage not in STAGES or stage in FORMALITIES:
        raise KeyError(stage)
    return "seller" if STAGES.index(stage) < term.risk_stage else "buyer"


def split(code: str) -> dict[str, dict[str, str | None]]:
    """Return the rule's split of every stage: who pays it and who bears its risk.

    Args:
        code: An Incoterms 2020 rule.

    Returns:
        ``{stage: {"cost": "seller" | "buyer", "risk": "seller" | "buyer" | None}}`` in
        stage order; a formality's cost follows the rule's clearance column and its risk
        is ``None``.

    Raises:
        KeyError: For an unknown rule.
    """
    term = INCOTERMS[code]
    table: dict[str, dict[str, str | None]] = {}
    for index, stage in enumerate(STAGES):
        if stage == "export_clearance":
            table[stage] = {"cost": term.export_clearance, "risk": None}
        elif stage == "import_clearance":
            table[stage] = {"cost": term.import_clearance, "risk": None}
        else:
            table[stage] = {
                "cost": "seller" if index < term.cost_stage else "buyer",
                "risk": "seller" if index < term.risk_stage else "buyer",
            }
    return table
