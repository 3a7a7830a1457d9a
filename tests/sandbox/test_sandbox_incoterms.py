"""Table tests: Incoterms 2020 obligations and where risk passes."""

from __future__ import annotations

import pytest

from sandbox.trade import FORMALITIES, INCOTERMS, STAGES, loss_bearer

# code, sea only, seller pays main carriage, seller insures, export, import, first buyer stage,
# customs transaction mode
TABLE = [
    ("EXW", False, False, None, "buyer", "buyer", "loading_at_seller", "EXW"),
    ("FCA", False, False, None, "seller", "buyer", "port_loading", "FOB"),
    ("FAS", True, False, None, "seller", "buyer", "port_loading", "FOB"),
    ("FOB", True, False, None, "seller", "buyer", "main_carriage", "FOB"),
    ("CFR", True, True, None, "seller", "buyer", "main_carriage", "CFR"),
    ("CIF", True, True, "C", "seller", "buyer", "main_carriage", "CIF"),
    ("CPT", False, True, None, "seller", "buyer", "port_loading", "CFR"),
    ("CIP", False, True, "A", "seller", "buyer", "port_loading", "CIF"),
    ("DAP", False, True, None, "seller", "buyer", "unloading", "CIF"),
    ("DPU", False, True, None, "seller", "buyer", None, "CIF"),
    ("DDP", False, True, None, "seller", "seller", "unloading", "CIF"),
]


def test_table_covers_all_eleven_rules():
    assert sorted(INCOTERMS) == sorted(row[0] for row in TABLE)


@pytest.mark.parametrize(
    ("code", "sea", "carriage", "insurance", "export", "import_", "first", "declared"), TABLE
)
def test_obligations(code, sea, carriage, insurance, export, import_, first, declared):
    term = INCOTERMS[code]
    assert term.sea_only is sea
    assert term.seller_main_carriage is carriage
    assert term.seller_insurance == insurance
    assert term.export_clearance == export
    assert term.import_clearance == import_
    assert term.declared_as == declared


@pytest.mark.parametrize(("code", "first"), [(row[0], row[6]) for row in TABLE])
def test_risk_passes_at_the_named_point(code, first):
    physical = [stage for stage in STAGES if stage not in FORMALITIES]
    bearers = [loss_bearer(code, stage) for stage in physical]
    boundary = physical.index(first) if first else len(physical)
    assert bearers == ["seller"] * boundary + ["buyer"] * (len(physical) - boundary)


@pytest.mark.parametrize(
    ("code", "bearer"),
    [("FOB", "buyer"), ("CIF", "buyer"), ("CPT", "buyer"), ("DAP", "seller"), ("DDP", "seller")],
)
def test_loss_at_sea_hits_seller_before_risk_point_and_buyer_after(code, bearer):
    assert loss_bearer(code, "main_carriage") == bearer


def test_revenue_timing_follows_risk():
    assert {c for c, t in INCOTERMS.items() if t.revenue_at == "arrival"} == {"DAP", "DPU", "DDP"}


def test_unknown_stage_is_an_error():
    with pytest.raises(KeyError):
        loss_bearer("FOB", "warehouse")


def test_a_formality_is_not_a_stage_where_goods_are_lost():
    with pytest.raises(KeyError):
        loss_bearer("DDP", "import_clearance")
