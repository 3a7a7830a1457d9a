"""Table tests for the ``origin_certificate`` lab check on hand-made event logs.

Garlic (HS 0703) to Vietnam in the Henan food world: 30 % MFN duty, 0 % with Form E,
10 % with an RCEP certificate. The certificate counts when it is ready on or before the
day the goods arrive, the day they are cleared at import.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from academy.labs.checks import CHECKS, evaluate, validate_params
from academy.labs.checks.origin import _percent
from sandbox import duty_rate
from sandbox.scenario import load_scenario

WORLD = load_scenario("henan_food_belt_road")
GARLIC = next(
    p.id
    for p in sorted(WORLD.products.values(), key=lambda p: p.id)
    if p.hs_code.startswith("0703")
)
LANE = "FCL-VN"
FULL = {"name": "origin_certificate", "require_lowest_rate": True}


class Log:
    """Build a JSON event log by hand: one firm, a buyer in Vietnam, one in Germany."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.add(0, "MarketOpened", market_id="m", seed=1, world=WORLD.raw)
        self.add(0, "FxRatesSet", rates={"USD": 720_000_000})
        self.add(0, "BuyerJoined", buyer_id="B1", market="VN")
        self.add(0, "BuyerJoined", buyer_id="B2", market="PL")
        self.add(0, "FirmRegistered", firm_id="S01")

    def add(self, when: int, type_: str, **data: Any) -> Log:
        self.events.append({"seq": len(self.events) + 1, "day": when, "type": type_, "data": data})
        return self

    def contract(self, contract_id: str = "C1", *, buyer: str = "B1", incoterm: str = "CIF") -> Log:
        lane = LANE if buyer == "B1" else next(iter(WORLD.lanes_by_market["PL"]))
        return self.add(
            1,
            "ContractSigned",
            contract_id=contract_id,
            firm_id="S01",
            buyer_id=buyer,
            product_id=GARLIC,
            quantity=1000,
            unit_price=2_000,
            amount=2_000_000,  # USD 20,000.00
            incoterm=incoterm,
            payment="tt",
            lane_id=lane,
            ship_by_day=30,
        )

    def certificate(
        self, day: int, ready: int, scheme: str = "form_e", contract: str = "C1"
    ) -> Log:
        return self.add(
            day,
            "OriginCertificateApplied",
            contract_id=contract,
            scheme=scheme,
            certificate_no="E264600000001",
            fee=5000,
            ready_day=ready,
        )

    def arrived(self, day: int = 20, contract: str = "C1") -> Log:
        return self.add(day, "ShipmentArrived", contract_id=contract)


def test_the_world_has_the_rates_the_tests_assume() -> None:
    assert duty_rate(WORLD, "VN", GARLIC) == Decimal("0.30")
    assert duty_rate(WORLD, "VN", GARLIC, "form_e") == Decimal("0")
    assert duty_rate(WORLD, "VN", GARLIC, "rcep") == Decimal("0.10")


def test_form_e_ready_before_clearance_passes_and_reports_the_saving() -> None:
    events = Log().contract().certificate(day=3, ready=5).arrived(20).events
    result = evaluate(FULL, events, "S01")
    assert result.passed, result.summary()
    in_time = next(c for c in result.criteria if c.key == "origin_certificate.in_time")
    assert in_time.params == {"ready": 5, "cleared": 20, "rate": "0", "mfn": "30", "saved": "6,000"}
    assert "the buyer pays 0 % duty instead of 30 %" in in_time.text()


@pytest.mark.parametrize(
    ("log", "failures", "says"),
    [
        # never applied: nothing was ready, and the buyer pays the MFN rate
        (
            Log().contract().arrived(20),
            [
                "origin_certificate.applied",
                "origin_certificate.in_time",
                "origin_certificate.lowest_rate",
            ],
            "without one the buyer pays 30 % duty",
        ),
        # applied on the day the goods arrived: ready two days after clearance
        (
            Log().contract().certificate(day=20, ready=22).arrived(20),
            ["origin_certificate.in_time"],
            "ready only on day 22, after the goods were cleared at import on day 20",
        ),
        # ready on the very day of clearance is in time
        (Log().contract().certificate(day=17, ready=20).arrived(20), [], "met"),
        # RCEP in time, but Form E was the better certificate for garlic
        (
            Log().contract().certificate(day=3, ready=4, scheme="rcep").arrived(20),
            ["origin_certificate.lowest_rate"],
            "the lowest rate on offer is 0 % under Form E",
        ),
        # goods still at sea: the certificate cannot be judged yet
        (
            Log().contract().certificate(day=3, ready=4),
            ["origin_certificate.in_time"],
            "have not been cleared at import yet",
        ),
    ],
)
def test_origin_certificate_edges(log: Log, failures: list[str], says: str) -> None:
    result = evaluate(FULL, log.events, "S01")
    assert [c.key for c in result.failures] == failures
    assert result.passed is (failures == [])
    assert says in " ".join(result.summary())


def test_a_scheme_the_lab_does_not_accept_fails() -> None:
    events = Log().contract().certificate(day=3, ready=4).arrived(20).events
    result = evaluate({"name": "origin_certificate", "schemes": ["rcep"]}, events, "S01")
    assert [c.key for c in result.failures] == ["origin_certificate.scheme"]
    assert "the certificate is under Form E; the lab accepts RCEP" in result.summary()[1]


@pytest.mark.parametrize(
    ("buyer", "incoterm"),
    [("B2", "CIF"), ("B1", "EXW")],  # Poland grants no preference; under EXW the buyer exports
)
def test_contracts_outside_the_schemes_do_not_count(buyer: str, incoterm: str) -> None:
    events = Log().contract(buyer=buyer, incoterm=incoterm).arrived(20).events
    result = evaluate(FULL, events, "S01")
    assert [c.key for c in result.failures] == ["origin_certificate.none"]
    assert "(ID, TH, VN)" in result.summary()[0]


def test_the_contract_closest_to_passing_is_reported() -> None:
    log = Log().contract("C1").contract("C2").arrived(20, "C1")
    log.certificate(day=3, ready=4, contract="C2").arrived(25, "C2")
    result = evaluate(FULL, log.events, "S01")
    assert result.passed
    assert result.criteria[0].params["contract"] == "C2"


def test_another_firms_certificate_does_not_count() -> None:
    events = Log().contract().certificate(day=3, ready=4).arrived(20).events
    assert not evaluate(FULL, events, "S02").passed


def test_the_margin_criterion_uses_the_awarded_price() -> None:
    events = Log().contract().certificate(day=3, ready=4).arrived(20).events
    spec = {**FULL, "min_gross_margin_percent": 90}
    assert [c.key for c in evaluate(spec, events, "S01").failures] == ["origin_certificate.margin"]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"schemes": ["form_a"]}, "unknown values form_a"),
        ({"schemes": "form_e"}, "list"),
        ({"ready_before_clearance": 1}, "true or false"),
        ({"min_gross_margin_percent": 5.5}, "number of percent"),
    ],
)
def test_bad_parameters_are_listed(spec: dict[str, Any], problem: str) -> None:
    problems = validate_params({"name": "origin_certificate", **spec})
    assert problems and problem in problems[0]


def test_duty_rates_read_as_percent() -> None:
    assert [_percent(Decimal(r)) for r in ("0.30", "0", "0.027", "0.125")] == [
        "30",
        "0",
        "2.7",
        "12.5",
    ]


def test_the_lab_page_names_the_schemes_as_the_certificates_do() -> None:
    check = CHECKS["origin_certificate"]()
    lines = check.describe({"name": "origin_certificate", "schemes": ["form_e", "rcep"]})
    assert ("the certificate is issued under %(value)s", {"value": "Form E, RCEP"}) in lines
    assert lines[0][0] == check.goal
