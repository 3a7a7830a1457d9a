"""Rule 5 of issue 17: the declaration's freight and insurance boxes, and every check
naming the box that holds the error.

GACC Announcement 2019 No. 18: freight marks 1 rate / 2 amount per tonne / 3 total;
insurance marks 1 rate / 3 total; FOB states neither, CFR the freight, CIF both, C&I
the insurance.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.customs import check_declaration, expected_declaration
from sandbox.customs.money_boxes import box_total, parse_money_box
from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.errors import CommandRejected
from tests.sandbox.special_cargo_world import contract_on, special_market

TOLERANCES = {
    "value_tolerance": Decimal("0.01"),
    "weight_tolerance": Decimal("0.05"),
    "freight_tolerance": Decimal("0.10"),
    "usd_rate": 700_000_000,  # CNY 7.00 per USD
}


def expected(incoterm: str, freight_usd: int = 280_000, insurance_usd: int = 3_000) -> dict:
    return expected_declaration(
        consignor_code="91410100123456789X",
        consignee="Dekker & Reimes",
        contract_no="C000001",
        incoterm=incoterm,
        lane_mode="sea_fcl",
        lane_origin="CNTAO",
        market="NL",
        hs_code="6704200000",
        goods_name="Human hair wigs",
        quantity=2000,
        unit="piece",
        net_weight_g=300,
        gross_weight_g=400,
        units_per_package=10,
        currency="USD",
        invoice_value=9_000_000,
        freight_usd=freight_usd,
        insurance_usd=insurance_usd,
    )


def check(incoterm: str, **changes) -> list[tuple[str, str, str]]:
    want = expected(incoterm)
    filed = {**want, **changes}
    return [(f.field, f.code, f.severity) for f in check_declaration(filed, want, **TOLERANCES)]


@pytest.mark.parametrize(
    ("incoterm", "freight", "insurance"),
    [
        ("FOB", "", ""),
        ("FCA", "", ""),  # declared as FOB
        ("EXW", "", ""),
        ("CFR", "USD/2800.00/3", ""),
        ("CPT", "USD/2800.00/3", ""),  # declared as CFR
        ("CIF", "USD/2800.00/3", "USD/30.00/3"),
        ("CIP", "USD/2800.00/3", "USD/30.00/3"),
    ],
)
def test_boxes_filled_by_transaction_mode(incoterm, freight, insurance):
    want = expected(incoterm)
    assert (want["freight"], want["insurance"]) == (freight, insurance)
    assert check(incoterm) == []


@pytest.mark.parametrize(
    ("incoterm", "changes", "finding"),
    [
        ("CFR", {"freight": ""}, ("freight", "FREIGHT_MISSING")),
        ("CIF", {"freight": None}, ("freight", "FREIGHT_MISSING")),
        ("CIF", {"insurance": ""}, ("insurance", "INSURANCE_MISSING")),
        ("FOB", {"freight": "USD/2800/3"}, ("freight", "FREIGHT_NOT_ALLOWED")),
        ("FOB", {"insurance": "USD/30/3"}, ("insurance", "INSURANCE_NOT_ALLOWED")),
        ("CFR", {"insurance": "USD/30/3"}, ("insurance", "INSURANCE_NOT_ALLOWED")),
        ("CFR", {"freight": "USD 2800"}, ("freight", "FREIGHT_FORMAT")),
        ("CFR", {"freight": "USD/abc/3"}, ("freight", "FREIGHT_FORMAT")),
        ("CFR", {"freight": "USD/-5/3"}, ("freight", "FREIGHT_FORMAT")),
        ("CFR", {"freight": "2800/3"}, ("freight", "FREIGHT_FORMAT")),  # total needs currency
        ("CFR", {"freight": "usd/2800/3"}, ("freight", "FREIGHT_FORMAT")),
        ("CFR", {"freight": "150/1"}, ("freight", "FREIGHT_FORMAT")),  # rate over 100 %
        ("CFR", {"freight": "USD/2800/4"}, ("freight", "FREIGHT_MARK")),
        ("CIF", {"insurance": "USD/30/2"}, ("insurance", "INSURANCE_MARK")),
        ("CIF", {"insurance": "USD/thirty/3"}, ("insurance", "INSURANCE_FORMAT")),
        ("CIF", {"freight": 2800}, ("freight", "FIELD_TYPE")),
    ],
)
def test_money_box_errors_name_their_box(incoterm, changes, finding):
    assert check(incoterm, **changes) == [(*finding, "error")]


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        ({"freight": "USD/3200/3"}, ("freight", "FREIGHT_MISMATCH")),
        ({"freight": "USD/2000/3"}, ("freight", "FREIGHT_MISMATCH")),
        ({"freight": "USD/10/2"}, ("freight", "FREIGHT_MISMATCH")),  # 10 x 0.8 t = 8
        ({"freight": "1/1"}, ("freight", "FREIGHT_MISMATCH")),  # 1 % of 90,000 = 900
        ({"insurance": "USD/90/3"}, ("insurance", "INSURANCE_MISMATCH")),
        ({"insurance": "0.1/1"}, ("insurance", "INSURANCE_MISMATCH")),  # 90 against 30
        ({"net_weight_kg": 500}, ("net_weight_kg", "WEIGHT_MISMATCH")),
        ({"gross_weight_kg": 900}, ("gross_weight_kg", "GROSS_WEIGHT_MISMATCH")),
        ({"package_count": 199}, ("package_count", "PACKAGES_MISMATCH")),
        ({"declared_value": 8_000_000}, ("declared_value", "VALUE_MISMATCH")),
    ],
)
def test_mismatches_name_their_box(changes, finding):
    assert check("CIF", **changes) == [(*finding, "mismatch")]


@pytest.mark.parametrize(
    "changes",
    [
        {"freight": "USD/2800/3"},
        {"freight": "USD/3500/2"},  # USD 3,500 a tonne x 0.8 t gross = USD 2,800
        {"freight": "CNY/19600/3"},  # at CNY 7.00 per USD
        {"freight": "USD/2900/3"},  # within 10 %
        {"insurance": "USD/30/3"},
        {"insurance": "0.0333/1"},  # 0.0333 % of USD 90,000 = USD 29.97
    ],
)
def test_every_mark_of_the_right_figure_is_clean(changes):
    assert check("CIF", **changes) == []


def test_net_weight_above_gross_flags_the_net_weight_box():
    assert check("FOB", net_weight_kg=900) == [("net_weight_kg", "NET_ABOVE_GROSS", "error")]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("USD/2800/3", ("USD", Decimal("2800"), 3)),
        (" USD / 28.5 / 2 ", ("USD", Decimal("28.5"), 2)),
        ("0.3/1", ("", Decimal("0.3"), 1)),
        ("USD/0.3/1", ("USD", Decimal("0.3"), 1)),
        ("USD/0/3", None),
        ("USD/NaN/3", None),
        ("USD/2800", None),
        ("/", None),
    ],
)
def test_parse_money_box(text, parsed):
    assert parse_money_box(text) == parsed


def test_box_total_per_mark():
    kwargs = {"goods_value": 9_000_000, "gross_weight_kg": 800, "usd_rate": 700_000_000}
    assert box_total(("USD", Decimal("2800"), 3), **kwargs) == 280_000
    assert box_total(("USD", Decimal("3500"), 2), **kwargs) == 280_000
    assert box_total(("", Decimal("2"), 1), **kwargs) == 180_000
    assert box_total(("CNY", Decimal("700"), 3), **kwargs) == 10_000


@pytest.fixture
def cfr_contract(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P01", "T-FCL", "CFR")
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    return market, contract


def test_engine_expects_the_booked_freight_in_the_freight_box(cfr_contract):
    market, contract = cfr_contract
    form = expected_for(market, contract)
    assert form["transaction_mode"] == "CFR" and form["insurance"] == ""
    assert form["freight"] == f"USD/{Decimal(contract['freight']['freight_usd']) / 100:.2f}/3"


def test_engine_refuses_a_cfr_declaration_without_freight_naming_the_box(cfr_contract):
    market, contract = cfr_contract
    form = {**expected_for(market, contract), "freight": ""}
    with pytest.raises(CommandRejected) as error:
        market.execute(c.FileDeclaration("H1", contract["contract_id"], form))
    assert (error.value.code, error.value.field) == ("FREIGHT_MISSING", "freight")
    assert contract["declaration"] is None


def test_engine_records_a_wrong_freight_as_a_mismatch(cfr_contract):
    market, contract = cfr_contract
    form = {**expected_for(market, contract), "freight": "USD/1/3"}
    market.execute(c.FileDeclaration("H1", contract["contract_id"], form))
    codes = [(f["field"], f["code"]) for f in contract["declaration"]["findings"]]
    assert codes == [("freight", "FREIGHT_MISMATCH")]


def test_declarations_without_money_boxes_still_file_under_fob(tmp_path):
    market = special_market(tmp_path)
    contract = contract_on(market, "P01", "T-FCL", "FOB")
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    form = expected_for(market, contract)
    del form["freight"], form["insurance"]
    market.execute(c.FileDeclaration("H1", contract["contract_id"], form))
    assert contract["declaration"]["findings"] == []


def test_a_v1_booking_replays_and_its_declaration_still_has_a_freight_box(tmp_path):
    from sandbox.engine.market import replay
    from sandbox.events import Event

    market = special_market(tmp_path)
    contract = contract_on(market, "P01", "T-FCL", "CFR")
    market.execute(c.BookFreight("H1", contract["contract_id"]))
    old = []
    for event in market.store.read():
        if event.type == "FreightBooked":
            data = {
                k: v
                for k, v in event.data.items()
                if k not in ("freight_usd", "insurance_usd", "documents", "cold_chain")
            }
            event = Event(event.seq, event.day, event.type, 1, data)
        # The log is stored without the scenario's new tables, as an old market was.
        if event.type == "MarketOpened":
            world = {k: v for k, v in event.data["world"].items() if k != "logistics"}
            event = Event(
                event.seq, event.day, event.type, event.version, {**event.data, "world": world}
            )
        old.append(Event.from_dict(event.to_dict()))
    rebuilt = replay(old)
    again = rebuilt.state.contracts[contract["contract_id"]]
    assert "freight_usd" not in again["freight"]
    form = expected_for(rebuilt, again)
    parsed = parse_money_box(form["freight"])
    assert parsed is not None and parsed[0] == "USD" and parsed[2] == 3
    rebuilt.execute(c.FileDeclaration("H1", contract["contract_id"], form))
    assert again["declaration"]["findings"] == []
