"""Table tests for the lab checks: parameter validation, edges on a hand-made log, purity."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from academy.labs.checks import CHECKS, evaluate, validate_params
from sandbox.scenario import load_scenario

WORLD = load_scenario("exam_standard")
PRODUCT = sorted(WORLD.products)[0]
LANE = next(iter(WORLD.lanes_by_market["DE"]))


class Log:
    """Build a JSON event log by hand."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.add(0, "MarketOpened", market_id="m", seed=1, world=WORLD.raw)
        self.add(0, "FxRatesSet", rates={"USD": 720_000_000})
        self.add(0, "BuyerJoined", buyer_id="B1", market="DE")
        self.add(0, "FirmRegistered", firm_id="S01")

    def add(self, when: int, type_: str, **data: Any) -> Log:
        self.events.append({"seq": len(self.events) + 1, "day": when, "type": type_, "data": data})
        return self

    def contract(self, *, incoterm: str = "FCA", unit_price: int = 10_000, day: int = 1) -> Log:
        quantity = 100
        self.add(day, "QuoteSubmitted", quote_id="Q1", firm_id="S01", unit_price=unit_price)
        return self.add(
            day,
            "ContractSigned",
            contract_id="C1",
            firm_id="S01",
            buyer_id="B1",
            product_id=PRODUCT,
            quantity=quantity,
            unit_price=unit_price,
            amount=unit_price * quantity,
            incoterm=incoterm,
            payment="tt",
            lane_id=LANE,
            ship_by_day=day + 30,
        )


def test_registry_names_match() -> None:
    assert all(name == cls.name for name, cls in CHECKS.items())


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"name": "nope"}, "unknown check"),
        ({}, "no name"),
        ({"name": "win_rfq", "colour": "red"}, "no parameter 'colour'"),
        ({"name": "win_rfq", "incoterm": "XYZ"}, "incoterm must be one of"),
        ({"name": "win_rfq", "min_gross_margin_percent": 1.5}, "number of percent"),
        ({"name": "win_rfq", "max_quotes": 0}, "at least 1"),
        ({"name": "win_rfq", "max_quotes": "5"}, "whole number"),
        ({"name": "positive_cash", "days": True}, "whole number"),
        ({"name": "lc_presentation_complies", "require_no_soft_clause_accepted": 1}, "true or"),
        ({"name": "declaration_cleared", "required_supervision_modes": ["9610"]}, "unknown"),
        ({"name": "declaration_cleared", "required_supervision_modes": "0110"}, "list"),
    ],
)
def test_bad_parameters_are_listed(spec: dict[str, Any], problem: str) -> None:
    problems = validate_params(spec)
    assert problems and problem in problems[0]


def test_good_parameters_pass_and_decimal_strings_are_accepted() -> None:
    assert validate_params({"name": "win_rfq", "min_gross_margin_percent": "7.5"}) == []


def test_evaluate_refuses_an_invalid_table() -> None:
    with pytest.raises(ValueError, match="unknown check"):
        evaluate({"name": "nope"}, Log().events, "S01")


def test_win_rfq_without_a_win_fails_with_reason() -> None:
    result = evaluate({"name": "win_rfq", "incoterm": "FCA"}, Log().events, "S01")
    assert not result.passed
    assert result.summary()[0].startswith("criterion 1 not met: no buyer has awarded")


@pytest.mark.parametrize(
    ("unit_price", "passed"),
    [(100_000, True), (1_000, False)],
)
def test_win_rfq_margin_edges(unit_price: int, passed: bool) -> None:
    events = Log().contract(unit_price=unit_price).events
    result = evaluate(
        {"name": "win_rfq", "incoterm": "FCA", "min_gross_margin_percent": 10}, events, "S01"
    )
    assert result.passed is passed
    margin = next(c for c in result.criteria if c.key == "win_rfq.margin")
    assert "%(margin)s" in margin.message and margin.params["minimum"] == "10"


def test_win_rfq_wrong_incoterm_and_too_many_quotes() -> None:
    events = Log().contract(incoterm="CIF", unit_price=100_000).events
    result = evaluate({"name": "win_rfq", "incoterm": "FCA", "max_quotes": 0 + 1}, events, "S01")
    assert [c.key for c in result.failures] == ["win_rfq.incoterm"]


def test_other_firms_contracts_do_not_count() -> None:
    events = Log().contract(unit_price=100_000).events
    assert not evaluate({"name": "win_rfq"}, events, "S02").passed


def test_declaration_mismatch_names_the_field() -> None:
    log = Log().contract(unit_price=100_000)
    finding = {"field": "declared_value", "code": "VALUE_MISMATCH", "severity": "mismatch"}
    log.add(
        3,
        "DeclarationFiled",
        contract_id="C1",
        customs_no="1",
        findings=[finding],
        declaration={"supervision_mode": "0110"},
    )
    log.add(
        4, "DeclarationReleased", contract_id="C1", inspected=True, penalty=5000, findings=[finding]
    )
    spec = {
        "name": "declaration_cleared",
        "max_mismatches": 0,
        "max_penalties": 0,
        "max_rejections": 0,
        "required_supervision_modes": ["0110"],
    }
    result = evaluate(spec, log.events, "S01")
    keys = [c.key for c in result.failures]
    assert keys == ["declaration_cleared.mismatches", "declaration_cleared.fines"]
    assert "'declared value'" in result.failures[0].text()
    refused = [{"command": "FileDeclaration", "code": "HS_CODE_FORMAT", "field": "hs_code"}]
    again = evaluate(spec, log.events, "S01", rejections=refused)
    assert "declaration_cleared.rejections" in [c.key for c in again.failures]


def test_positive_cash_needs_the_days() -> None:
    log = Log()
    log.add(0, "JournalPosted", lines=[["firm:S01", "cash", "CNY", 1_000_00]])
    for day in range(3):
        log.add(day, "DayClosed", day=day)
    assert evaluate({"name": "positive_cash", "days": 3}, log.events, "S01").passed
    result = evaluate({"name": "positive_cash", "days": 4}, log.events, "S01")
    assert [c.key for c in result.failures] == ["positive_cash.days"]


def test_lc_check_without_a_credit() -> None:
    result = evaluate({"name": "lc_presentation_complies"}, Log().events, "S01")
    assert [c.key for c in result.failures] == ["lc_presentation_complies.no_credit"]


def test_checks_import_no_web_or_database_code() -> None:
    package = Path(__file__).resolve().parents[2] / "academy" / "labs" / "checks"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                root = name.split(".")[0]
                assert root not in ("flask", "sqlalchemy", "flask_sqlalchemy"), path.name
                if root == "academy":
                    assert name.startswith("academy.labs.checks"), (path.name, name)


def negotiated(log: Log, *, unit_price: int, letters: int, decision: str = "accept") -> Log:
    """The firm writes ``letters`` times on R1; the buyer counters, then gives ``decision``."""
    for number in range(1, letters + 1):
        log.add(1, "NegotiationProposed", rfq_id="R1", firm_id="S01", round=number)
        last = number == letters
        log.add(
            1,
            "NegotiationAnswered",
            rfq_id="R1",
            firm_id="S01",
            round=number,
            decision=decision if last else "counter",
        )
    if decision == "accept":
        log.contract(unit_price=unit_price)
        log.events[-1]["data"]["rfq_id"] = "R1"
    return log


@pytest.mark.parametrize(
    ("unit_price", "letters", "decision", "failures"),
    [
        (100_000, 2, "accept", []),
        (1_000, 2, "accept", ["negotiated_contract.margin"]),  # conceded the margin away
        (100_000, 4, "accept", ["negotiated_contract.rounds"]),  # too many letters
        (100_000, 2, "decline", ["negotiated_contract.none"]),  # the buyer walked away
    ],
)
def test_negotiated_contract_edges(unit_price, letters, decision, failures) -> None:
    events = negotiated(Log(), unit_price=unit_price, letters=letters, decision=decision).events
    spec = {"name": "negotiated_contract", "min_gross_margin_percent": 10, "max_rounds": 3}
    result = evaluate(spec, events, "S01")
    assert [c.key for c in result.failures] == failures
    assert result.passed is (failures == [])


def test_a_contract_won_without_letters_is_not_a_negotiated_one() -> None:
    events = Log().contract(unit_price=100_000).events
    result = evaluate({"name": "negotiated_contract"}, events, "S01")
    assert [c.key for c in result.failures] == ["negotiated_contract.none"]
    assert "0 letters sent" in result.summary()[0]


def test_negotiated_contract_parameters_are_checked() -> None:
    assert "at least 1" in validate_params({"name": "negotiated_contract", "max_rounds": 0})[0]
    assert validate_params({"name": "negotiated_contract", "min_gross_margin_percent": "6.5"}) == []
