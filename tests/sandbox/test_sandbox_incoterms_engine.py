"""Table test: the engine follows each Incoterms 2020 rule's split when a contract runs.

One contract per rule is signed, bought, booked, declared and shipped in a forced world
(Germany, human hair wigs). What the seller pays at booking, whether it declares for
export, when revenue is recognised, who clears for import and how the sale is taxed
must match the rule's row.
"""

from __future__ import annotations

import pytest

from sandbox.engine.market import replay
from tests.sandbox.taxworld import arrive, events_of, ship, sign, tax_market

# rule, lane, seller pays main freight, seller insures, seller declares for export,
# revenue at, seller clears import (ImportCleared), taxed as domestic sale
TABLE = [
    ("EXW", "TEST-RAIL", False, False, False, "departure", False, True),
    ("FCA", "TEST-RAIL", False, False, True, "departure", False, False),
    ("FAS", "TEST-SEA", False, False, True, "departure", False, False),
    ("FOB", "TEST-SEA", False, False, True, "departure", False, False),
    ("CFR", "TEST-SEA", True, False, True, "departure", False, False),
    ("CIF", "TEST-SEA", True, True, True, "departure", False, False),
    ("CPT", "TEST-RAIL", True, False, True, "departure", False, False),
    ("CIP", "TEST-RAIL", True, True, True, "departure", False, False),
    ("DAP", "TEST-RAIL", True, False, True, "arrival", False, False),
    ("DPU", "TEST-RAIL", True, False, True, "arrival", False, False),
    ("DDP", "TEST-RAIL", True, False, True, "arrival", True, False),
]


@pytest.mark.parametrize(
    ("rule", "lane", "freight", "insured", "declares", "revenue_at", "clears", "domestic"),
    TABLE,
)
def test_contract_runs_as_its_rule_says(
    tmp_path, rule, lane, freight, insured, declares, revenue_at, clears, domestic
):
    m = tax_market(tmp_path)
    contract = sign(m, rule, lane=lane)
    contract_id = contract["contract_id"]
    ship(m, contract)
    booked = events_of(m, "FreightBooked", contract_id)[0]
    local = 0 if rule == "EXW" else 6000 + 30000  # one cbm of haulage + export clearance
    assert (booked["freight_cny"] > local) is freight
    assert booked["insured"] is insured
    assert bool(events_of(m, "DeclarationFiled", contract_id)) is declares
    recognised_at_departure = bool(events_of(m, "RevenueRecognised", contract_id))
    assert recognised_at_departure is (revenue_at == "departure")
    arrive(m, contract)
    assert events_of(m, "RevenueRecognised", contract_id)
    assert bool(events_of(m, "ImportCleared", contract_id)) is clears
    assert bool(events_of(m, "DomesticSaleTaxed", contract_id)) is domestic
    assert m.money_created() == 0 and m.trial_balance_ok()
    assert replay(m.store.read()).state_hash() == m.state_hash()


def test_dpu_seller_pays_unloading_dap_does_not(tmp_path):
    paid = {}
    for rule in ("DAP", "DPU"):
        m = tax_market(tmp_path)
        contract = sign(m, rule)
        ship(m, contract)
        paid[rule] = events_of(m, "FreightBooked", contract["contract_id"])[0]["freight_cny"]
    # Same seed, same lane: DPU costs the seller the unloading on top of DAP's carriage.
    assert paid["DPU"] > paid["DAP"]
