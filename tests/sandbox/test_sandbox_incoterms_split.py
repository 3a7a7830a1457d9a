"""Table tests: each Incoterms 2020 rule's split of costs, risk and clearance by stage.

The expected rows are written out from the ICC rules (Incoterms 2020, articles A2/B2
delivery and taking delivery, A3/B3 transfer of risks, A4/B4 carriage, A7/B7 export and
import clearance, A9/B9 allocation of costs), not computed from the engine's table.
Each row lists, stage by stage, who pays (S/B) and who bears the risk (S/B, "-" for a
formality, where no goods move).
"""

from __future__ import annotations

import pytest

from sandbox.trade import INCOTERMS, STAGES, split

# stage order: loading_at_seller, export_clearance, pre_carriage, port_loading,
#              main_carriage, import_clearance, unloading
COSTS_AND_RISKS = {
    # EXW: the buyer loads at the works and does every formality.
    "EXW": ("BB", "B-", "BB", "BB", "BB", "B-", "BB"),
    # FCA (named terminal): the seller clears and carries to the terminal; the buyer's
    # carrier takes over there.
    "FCA": ("SS", "S-", "SS", "BB", "BB", "B-", "BB"),
    # FAS: delivered alongside the ship; loading on board is the buyer's.
    "FAS": ("SS", "S-", "SS", "BB", "BB", "B-", "BB"),
    # FOB: delivered on board; the sea leg is the buyer's.
    "FOB": ("SS", "S-", "SS", "SS", "BB", "B-", "BB"),
    # CFR / CIF: two critical points - the seller pays the sea freight but the risk
    # passed on board.
    "CFR": ("SS", "S-", "SS", "SS", "SB", "B-", "BB"),
    "CIF": ("SS", "S-", "SS", "SS", "SB", "B-", "BB"),
    # CPT / CIP: risk passes on handing over to the first carrier, carriage paid to
    # destination.
    "CPT": ("SS", "S-", "SS", "SB", "SB", "B-", "BB"),
    "CIP": ("SS", "S-", "SS", "SB", "SB", "B-", "BB"),
    # DAP: delivered on the arriving means of transport ready for unloading.
    "DAP": ("SS", "S-", "SS", "SS", "SS", "B-", "BB"),
    # DPU: the seller also unloads; the buyer still clears for import.
    "DPU": ("SS", "S-", "SS", "SS", "SS", "B-", "SS"),
    # DDP: the seller clears for import and pays duties and import VAT; the buyer
    # unloads at its own risk.
    "DDP": ("SS", "S-", "SS", "SS", "SS", "S-", "BB"),
}

_WHO = {"S": "seller", "B": "buyer", "-": None}


def test_every_rule_has_a_row():
    assert sorted(COSTS_AND_RISKS) == sorted(INCOTERMS)


@pytest.mark.parametrize(("code", "row"), sorted(COSTS_AND_RISKS.items()))
def test_split_comes_out_of_the_table(code, row):
    expected = {
        stage: {"cost": _WHO[cell[0]], "risk": _WHO[cell[1]]}
        for stage, cell in zip(STAGES, row, strict=True)
    }
    assert split(code) == expected


def test_import_clearance_comes_before_unloading():
    # Only in this order can DDP (seller clears, buyer unloads) be expressed.
    assert STAGES.index("import_clearance") < STAGES.index("unloading")


@pytest.mark.parametrize(
    ("code", "first_buyer_risk"),
    [("DAP", "unloading"), ("DPU", None), ("DDP", "unloading")],
)
def test_arrival_rules_differ_only_where_the_icc_says(code, first_buyer_risk):
    table = split(code)
    at_buyer = [s for s in STAGES if table[s]["risk"] == "buyer"]
    assert (at_buyer[0] if at_buyer else None) == first_buyer_risk


def test_only_c_rules_split_cost_and_risk_at_two_points():
    two_points = {code for code, term in INCOTERMS.items() if term.cost_stage != term.risk_stage}
    assert two_points == {"CFR", "CIF", "CPT", "CIP"}


def test_unknown_rule_is_an_error():
    with pytest.raises(KeyError):
        split("FOT")
