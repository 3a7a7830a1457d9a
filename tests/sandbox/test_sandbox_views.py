"""A firm's view shows its own business and nothing sealed or private to others."""

from __future__ import annotations

import json


def test_firm_view_hides_sealed_and_private_facts(make_market):
    market = make_market(days=40)
    view = market.firm_view("F001")
    text = json.dumps(view)  # JSON-ready
    assert view["firm"]["id"] == "F001" and view["kpis"]["firm_id"] == "F001"
    for hidden in (
        '"outcome"',
        '"reservation"',
        '"honesty"',
        '"payment_habit"',
        '"credit_rating"',
        '"persona"',
    ):
        assert hidden not in text
    assert all(q["firm_id"] == "F001" for q in view["quotes"])
    assert all(c["firm_id"] == "F001" for c in view["contracts"])
    assert view["contracts"], "the cautious bot should have won something in 40 days"
    for card in view["contracts"]:
        declaration = card.get("declaration")
        if declaration and not declaration.get("inspected"):
            assert "findings" not in declaration
        if card["stage"] == "departed":
            low, high = card["expected_arrival"]
            assert low <= high
    listed = set(market.state.firms["F001"]["products"])
    assert all(r["product_id"] in listed for r in view["open_rfqs"])


def test_views_do_not_change_state(make_market):
    market = make_market(days=10)
    before = market.state_hash()
    for firm_id in market.state.firms:
        market.firm_view(firm_id)
    assert market.state_hash() == before


def test_a_disputes_merit_stays_sealed(make_market):
    market = make_market(days=40)
    contract = next(c for c in market.state.contracts.values() if c["firm_id"] == "F001")
    market.emit(
        "DisputeOpened",
        {
            "dispute_id": "D000999",
            "contract_id": contract["contract_id"],
            "reason": "quality",
            "claim_rate": 0.2,
            "merit": 0.5,
        },
    )
    market.flush()
    disputes = {d["dispute_id"]: d for d in market.firm_view("F001")["disputes"]}
    assert "D000999" in disputes
    assert all("merit" not in dispute for dispute in disputes.values())
    assert market.state.disputes["D000999"]["merit"] == 0.5
