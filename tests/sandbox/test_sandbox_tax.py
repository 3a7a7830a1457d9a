"""Table tests for the tax rules: input VAT by product, the rebate cap, EXW as a domestic
sale, import duty per HS heading and market with and without a certificate of origin,
import VAT under DDP, and the margins that do and do not count the Incoterm's costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.bots import register_bot_firms, run_bots
from sandbox.bots.strategies import Cautious
from sandbox.customs import (
    customs_value,
    deemed_domestic_vat,
    duty_rate,
    import_taxes,
    import_vat_rate,
    input_vat_rate,
    rebate_amounts,
)
from sandbox.engine import commands as c
from sandbox.engine.kpis import firm_kpis
from sandbox.engine.market import Market, replay
from sandbox.engine.views import firm_view
from sandbox.errors import CommandRejected, ScenarioError
from sandbox.money import apply_rate
from sandbox.scenario import World, load_scenario
from sandbox.trade import QuoteInputs, price_ladder
from tests.sandbox.taxworld import arrive, events_of, ship, sign, tax_market


@pytest.fixture(scope="module")
def food_world() -> World:
    return load_scenario("henan_food_belt_road")


@pytest.fixture(scope="module")
def rail_world() -> World:
    return load_scenario("zhengzhou_rail_air")


# --- input VAT by product --------------------------------------------------------------

FOOD_VAT = [
    ("P04", "garlic, HS 07", "0.09"),
    ("P05", "groundnuts, HS 12", "0.09"),
    ("P06", "dried jujubes, HS 08", "0.09"),
    ("P07", "natural honey, HS 04", "0.09"),
    ("P08", "dried mushrooms, HS 07", "0.09"),
    ("P09", "frozen dumplings, HS 19: a processed food", "0.13"),
    ("P10", "instant noodles, HS 19: a processed food", "0.13"),
    ("P11", "sesame seeds, HS 12", "0.09"),
    ("P12", "green tea, HS 09", "0.09"),
    ("P13", "apples, HS 08", "0.09"),
    ("P14", "corn starch, HS 11 but named as processed", "0.13"),
    ("P15", "rice vinegar, HS 22", "0.13"),
    ("P16", "black fungus, HS 07", "0.09"),
    ("P31", "porcelain tableware, HS 69", "0.13"),
]


@pytest.mark.parametrize(("product", "what", "rate"), FOOD_VAT)
def test_input_vat_follows_the_product(food_world, product, what, rate):
    assert input_vat_rate(food_world, product) == Decimal(rate), what


@pytest.mark.parametrize("product", ["P01", "P17", "P18", "P19", "P24", "P28", "P29"])
def test_manufactures_carry_thirteen_percent(rail_world, product):
    assert input_vat_rate(rail_world, product) == Decimal("0.13")


# --- rebate never above the invoice's VAT ----------------------------------------------

REBATE_CAP = [
    # net, invoice VAT rate, rebate rate, refund, non-refundable
    (100_000, "0.13", "0.13", 13_000, 0),
    (100_000, "0.13", "0.09", 9_000, 4_000),
    (100_000, "0.13", "0", 0, 13_000),
    (100_000, "0.09", "0.09", 9_000, 0),
    (100_000, "0.09", "0.13", 9_000, 0),  # capped: the invoice carried only 9 %
    (33_333, "0.09", "0.13", 3_000, 0),
]


@pytest.mark.parametrize(("net", "vat", "rebate", "refund", "lost"), REBATE_CAP)
def test_rebate_is_capped_at_the_invoice_vat(net, vat, rebate, refund, lost):
    assert rebate_amounts(net, Decimal(vat), Decimal(rebate)) == (refund, lost)


def test_agricultural_goods_carry_nine_percent_through_the_engine(tmp_path):
    m = tax_market(tmp_path, market="KZ", product="P04")
    contract = sign(m, "FCA")
    ship(m, contract)
    order = m.state.purchase_orders[contract["po_id"]]
    net = order["quantity"] * order["unit_cost"]
    m.execute(c.ClaimRebate("H1", contract["contract_id"]))
    claim = events_of(m, "RebateClaimed", contract["contract_id"])[0]
    # Garlic: 9 % on the invoice and a 9 % rebate, so all the input VAT comes back.
    assert claim["refund"] == apply_rate(net, Decimal("0.09"))
    assert claim["non_refundable"] == 0
    assert m.state.ledger.balance("firm:H1", "input_vat") == 0
    assert m.money_created() == 0 and m.trial_balance_ok()


# --- EXW: a domestic sale ----------------------------------------------------------------

DEEMED = [(113_000, "0.13", 13_000), (109_000, "0.09", 9_000), (100, "0.13", 12), (0, "0.13", 0)]


@pytest.mark.parametrize(("price", "rate", "vat"), DEEMED)
def test_deemed_domestic_vat_is_carved_out_of_the_price(price, rate, vat):
    assert deemed_domestic_vat(price, Decimal(rate)) == vat


def test_exw_without_declaration_is_taxed_as_a_domestic_sale(tmp_path):
    m = tax_market(tmp_path)
    contract = sign(m, "EXW", price=3_000)  # buyers compare offers: USD 50 never wins
    contract_id = contract["contract_id"]
    ship(m, contract)
    assert contract["declaration"] is None
    revenue = events_of(m, "RevenueRecognised", contract_id)[0]["revenue"]
    taxed = events_of(m, "DomesticSaleTaxed", contract_id)[0]
    output = deemed_domestic_vat(revenue, Decimal("0.13"))
    assert taxed["output_vat"] == output
    assert taxed["input_vat_credited"] == min(output, apply_rate(contract["cost"], Decimal("0.13")))
    assert taxed["vat_paid"] == output - taxed["input_vat_credited"]
    ledger = m.state.ledger
    # Sales are net of output VAT; the tax office got the difference; no rebate.
    assert -ledger.balance("firm:H1", "sales") == revenue - output
    assert -ledger.balance("tax", "tax_income") >= taxed["vat_paid"]
    assert contract["domestic_sale"]["vat_paid"] == taxed["vat_paid"]
    with pytest.raises(CommandRejected) as rejected:
        m.execute(c.ClaimRebate("H1", contract_id))
    assert rejected.value.code == "REBATE_DOMESTIC_SALE"
    assert m.money_created() == 0 and m.trial_balance_ok()
    assert replay(m.store.read()).state_hash() == m.state_hash()


# --- import duty per HS heading and market -----------------------------------------------

DUTY = [
    # market, product, scheme, rate
    ("VN", "P04", None, "0.30"),  # garlic, MFN
    ("VN", "P04", "form_e", "0.00"),  # ACFTA
    ("VN", "P04", "rcep", "0.10"),
    ("VN", "P07", None, "0.10"),  # honey
    ("VN", "P07", "form_e", "0.00"),
    ("TH", "P04", "rcep", "0.27"),  # no RCEP cut on garlic: no preference
    ("ID", "P13", "form_e", "0.00"),
    ("KZ", "P04", "form_e", "0.06"),  # no FTA: the scheme does not help
    ("VN", "P31", None, "0.05"),  # heading not listed: the market's flat rate
]


@pytest.mark.parametrize(("market", "product", "scheme", "rate"), DUTY)
def test_duty_is_per_heading_and_market(food_world, market, product, scheme, rate):
    assert duty_rate(food_world, market, product, scheme) == Decimal(rate)


@pytest.mark.parametrize(
    ("market", "product", "rate"),
    [("DE", "P29", "0.12"), ("DE", "P18", "0.00"), ("DE", "P19", "0.027"), ("GB", "P19", "0.04")],
)
def test_duty_differs_between_headings_in_one_market(rail_world, market, product, rate):
    assert duty_rate(rail_world, market, product) == Decimal(rate)


@pytest.mark.parametrize(
    ("value", "duty", "vat", "expected"),
    [(10_000, "0.10", "0.19", (1_000, 2_090)), (10_000, "0", "0.05", (0, 500))],
)
def test_import_vat_is_levied_on_value_plus_duty(value, duty, vat, expected):
    assert import_taxes(value, Decimal(duty), Decimal(vat)) == expected


def test_customs_value_takes_duty_and_vat_out_of_a_ddp_price():
    assert customs_value(13_090, Decimal("0.10"), Decimal("0.19")) == 10_000


def test_ddp_seller_pays_duty_by_heading_and_import_vat(tmp_path):
    m = tax_market(tmp_path, market="DE", product="P01")
    contract = sign(m, "DDP", price=5_000)
    ship(m, contract)
    arrive(m, contract)
    cleared = events_of(m, "ImportCleared", contract["contract_id"])[0]
    assert cleared["duty_rate"] == "0.022"  # wigs, heading 6704, not the flat 4 %
    assert cleared["import_vat_rate"] == "0.19"
    assert cleared["duty"] == apply_rate(cleared["customs_value"], Decimal("0.022"))
    assert cleared["import_vat"] == apply_rate(
        cleared["customs_value"] + cleared["duty"], Decimal("0.19")
    )
    paid = cleared["duty"] + cleared["import_vat"] + cleared["fee"]
    assert -m.state.ledger.balance("customs:import", "tax_income") == paid
    assert m.money_created() == 0 and m.trial_balance_ok()


# --- certificates of origin ----------------------------------------------------------------


def _ddp_to_vietnam(tmp_path, *, certificate: bool) -> tuple:
    m = tax_market(tmp_path, market="VN", product="P04")
    contract = sign(m, "DDP", price=900)

    def apply() -> None:
        if certificate:
            m.execute(c.ApplyOriginCertificate("H1", contract["contract_id"], "form_e"))

    ship(m, contract, before_freight=apply)
    arrive(m, contract)
    return m, contract, events_of(m, "ImportCleared", contract["contract_id"])[0]


@pytest.mark.parametrize(
    ("certificate", "rate", "scheme"), [(False, "0.30", None), (True, "0.00", "form_e")]
)
def test_form_e_brings_the_preferential_duty(tmp_path, certificate, rate, scheme):
    m, contract, cleared = _ddp_to_vietnam(tmp_path, certificate=certificate)
    assert (cleared["duty_rate"], cleared["scheme"]) == (rate, scheme)
    assert cleared["import_vat_rate"] == str(import_vat_rate(m.world, "VN"))
    if certificate:
        applied = events_of(m, "OriginCertificateApplied", contract["contract_id"])[0]
        assert applied["certificate_no"].startswith("E26") and applied["fee"] == 5_000
        assert contract["origin_certificate"]["ready_day"] == applied["ready_day"]
        assert -m.state.ledger.balance("customs", "fee_income") >= 5_000
    assert m.money_created() == 0 and m.trial_balance_ok()
    assert replay(m.store.read()).state_hash() == m.state_hash()


@pytest.mark.parametrize(
    ("market", "incoterm", "scheme", "code"),
    [
        ("VN", "FCA", "form_x", "ORIGIN_SCHEME_UNKNOWN"),
        ("KZ", "FCA", "form_e", "ORIGIN_SCHEME_MARKET"),
        ("VN", "EXW", "rcep", "ORIGIN_NOT_EXPORTER"),
    ],
)
def test_certificate_refusals(tmp_path, market, incoterm, scheme, code):
    m = tax_market(tmp_path, market=market, product="P04")
    contract = sign(m, incoterm, price=900)
    before = m.state_hash()
    with pytest.raises(CommandRejected) as rejected:
        m.execute(c.ApplyOriginCertificate("H1", contract["contract_id"], scheme))
    assert rejected.value.code == code and m.state_hash() == before


def test_certificate_once_and_before_arrival(tmp_path):
    m = tax_market(tmp_path, market="VN", product="P04")
    contract = sign(m, "CIP", price=900)
    m.execute(c.ApplyOriginCertificate("H1", contract["contract_id"], "rcep"))
    with pytest.raises(CommandRejected) as twice:
        m.execute(c.ApplyOriginCertificate("H1", contract["contract_id"], "form_e"))
    assert twice.value.code == "ORIGIN_CERTIFICATE_EXISTS"
    other = tax_market(tmp_path, market="VN", product="P04")
    # On open account the contract stays active after arrival (paid 60 days later).
    late = sign(other, "CIP", price=900, payment="open_account")
    ship(other, late)
    arrive(other, late)
    with pytest.raises(CommandRejected) as too_late:
        other.execute(c.ApplyOriginCertificate("H1", late["contract_id"], "form_e"))
    assert too_late.value.code == "ORIGIN_TOO_LATE"


# --- margins --------------------------------------------------------------------------------


def test_gross_margin_counts_the_sellers_incoterm_costs(tmp_path):
    m = tax_market(tmp_path, market="DE", product="P01")
    contract = sign(m, "DDP", price=5_000)
    ship(m, contract)
    arrive(m, contract)
    kpis = firm_kpis(m.state, "H1")
    ledger = m.state.ledger
    delivery = ledger.balance("firm:H1", "delivery_cost")
    booked = events_of(m, "FreightBooked", contract["contract_id"])[0]
    cleared = events_of(m, "ImportCleared", contract["contract_id"])[0]
    assert delivery == (
        booked["freight_cny"] + booked["insurance_cny"]
        + cleared["duty"] + cleared["import_vat"] + cleared["fee"]
    )  # fmt: skip
    sales = -ledger.balance("firm:H1", "sales")
    assert kpis["goods_margin"] - kpis["gross_margin"] == pytest.approx(delivery / sales, abs=2e-4)
    assert ledger.balance("firm:H1", "selling_expense") == 0
    card = next(k for k in firm_view(m, "H1")["contracts"])["tax"]
    assert card["seller_clears_import"] and card["import_vat_rate"] == "0.19"
    margins = card["margins"]
    assert margins["delivery_costs"] == delivery
    assert margins["gross_margin"] < margins["goods_margin"]


def test_price_ladder_carries_import_vat_into_ddp():
    inputs = QuoteInputs(
        exw=100_000, pre_carriage=0, export_clearance=0, port_loading=0, main_freight=0,
        destination_charges=0, unloading=0, import_clearance=0,
        insurance_rate_a=Decimal(0), insurance_rate_c=Decimal(0),
        import_duty_rate=Decimal("0.10"), import_vat_rate=Decimal("0.19"),
    )  # fmt: skip
    ladder = price_ladder(inputs)
    # DDP = DAP + duty on CIP (10 000) + import VAT on CIP + duty (20 900).
    assert ladder["DDP"] - ladder["DAP"] == 10_000 + 20_900


# --- scenario validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tax", "message"),
    [
        ({"import_vat": {"DE": 0.19}}, "string"),
        ({"duties": [{"market": "DE", "heading": "67", "mfn": "0.1"}]}, "4 digits"),
        (
            {
                "duties": [
                    {"market": "DE", "heading": "6704", "mfn": "0.1", "preferential": {"x": "0"}}
                ]
            },
            "unknown scheme",
        ),
        ({"agricultural_vat_rate": "1.5"}, "below 1"),
    ],
)
def test_bad_tax_data_is_refused(exam_world, tax, message):
    data = {**exam_world.raw, "tax": tax}
    with pytest.raises(ScenarioError, match=message):
        World.from_dict(data)


@pytest.mark.parametrize(
    ("market", "incoterm", "applies"),
    [("VN", "DDP", True), ("VN", "CIP", False), ("KZ", "DDP", False)],
)
def test_bots_apply_for_origin_only_when_they_pay_a_duty_it_lowers(
    tmp_path, market, incoterm, applies
):
    m = tax_market(tmp_path, market=market, product="P04")
    contract = sign(m, incoterm, price=900)

    def run(command) -> bool:
        try:
            m.execute(command)
        except CommandRejected:
            return False
        return True

    Cautious()._origin(m, "H1", contract, run)
    assert bool(events_of(m, "OriginCertificateApplied", contract["contract_id"])) is applies


def test_a_refused_exw_collection_reverses_the_domestic_vat(tmp_path):
    m = tax_market(tmp_path, refusal=50.0)  # every D/P buyer refuses the documents
    contract = sign(m, "EXW", price=3_000, payment="dp")
    ship(m, contract)
    taxed = events_of(m, "DomesticSaleTaxed", contract["contract_id"])[0]
    tax_before = m.state.ledger.balance("tax", "tax_income")
    for _ in range(60):
        if contract["status"] != "active":
            break
        m.step()
    assert contract["status"] == "refused"
    ledger = m.state.ledger
    assert ledger.balance("firm:H1", "sales") == 0
    assert ledger.balance("tax", "tax_income") == tax_before + taxed["vat_paid"]
    assert m.money_created() == 0 and m.trial_balance_ok()


def test_a_world_without_tax_or_fx_tables_still_runs_and_replays(exam_world):
    # Logs written before the tables existed store worlds without them: defaults apply.
    raw = {k: v for k, v in exam_world.raw.items() if k not in ("tax", "fx")}
    world = World.from_dict(raw)
    assert world.tax.duties == {} and world.fx_rules.pegs == {}
    assert input_vat_rate(world, "P05") == Decimal("0.09")  # groundnuts, by chapter
    market = Market.open(world, buyers=60)
    register_bot_firms(market, 3, ["cautious", "aggressive", "sloppy"])
    for _ in range(20):
        run_bots(market)
        market.step()
    assert market.money_created() == 0 and market.trial_balance_ok()
    assert replay(market.store.read()).state_hash() == market.state_hash()
