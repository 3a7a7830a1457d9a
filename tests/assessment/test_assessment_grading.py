"""Table tests for every question type: full, partial, zero and malformed responses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from academy.assessment.questionfile import parse_question_file
from academy.assessment.questions import ResponseError, question_type
from academy.assessment.questions.base import stable_id
from academy.assessment.questions.calculation import FormulaError, evaluate

SAMPLE = Path(__file__).with_name("sample_questions.toml")


@pytest.fixture(scope="module")
def specs() -> dict[str, dict]:
    parsed = parse_question_file(SAMPLE.read_text(encoding="utf-8"), "sample")
    assert parsed.problems == []
    return {spec["id"]: spec for spec in parsed.specs}


def grade(spec: dict, response, seed: int = 7):
    qtype = question_type(spec["type"])
    question = {**spec, **qtype.instantiate(spec, random.Random(seed), True)}
    return qtype.grade(question, response)


def ids(*texts: str) -> list[str]:
    return [stable_id(text) for text in texts]


STEPS = ["Receive the RFQ", "Send the quotation", "Sign the contract", "Book freight"]
BUYER_EXPORT = stable_id("Buyer clears the goods for export")
SELLER_DUTY = stable_id("Seller pays import duty")
CARRIER = stable_id("Carrier chooses the port")

CASES = [
    # single choice
    ("fob-risk-point", "b", 1.0),
    ("fob-risk-point", "a", 0.0),
    ("fob-risk-point", None, 0.0),
    # multiple response: 2 points, 3 correct options → 2/3 each, a wrong pick takes 2/3 off
    ("seller-clears-export", ["fca", "fob", "ddp"], 2.0),
    ("seller-clears-export", ["fca", "fob"], 1.3333),
    ("seller-clears-export", ["fca", "exw"], 0.0),
    ("seller-clears-export", ["fca", "fob", "exw"], 0.6667),
    ("seller-clears-export", ["exw"], 0.0),  # never below zero
    ("seller-clears-export", [], 0.0),
    # true / false
    ("exw-loading", False, 1.0),
    ("exw-loading", True, 0.0),
    # numeric with an absolute tolerance of 1: the edges count
    ("cif-value-cny", 15111, 1.0),
    ("cif-value-cny", 15112, 1.0),
    ("cif-value-cny", 15110, 1.0),
    ("cif-value-cny", 15112.01, 0.0),
    ("cif-value-cny", 15109.99, 0.0),
    # short text, case-insensitive, spaces squashed
    ("term-with-insurance", "cif", 1.0),
    ("term-with-insurance", "  c.i.f. ", 1.0),
    ("term-with-insurance", "CFR", 0.0),
    # matching: a share per pair
    ("match-duties", {"0": BUYER_EXPORT, "1": SELLER_DUTY}, 1.0),
    ("match-duties", {"0": BUYER_EXPORT, "1": CARRIER}, 0.5),
    ("match-duties", {"0": SELLER_DUTY, "1": BUYER_EXPORT}, 0.0),
    ("match-duties", {}, 0.0),
    # ordering: a share per item in place
    ("order-the-deal", ids(*STEPS), 1.0),
    ("order-the-deal", ids(STEPS[0], STEPS[1], STEPS[3], STEPS[2]), 0.5),
    ("order-the-deal", ids(*reversed(STEPS)), 0.0),
    # cloze: numeric gap and choice gap
    ("cif-cloze", {"cover": 110, "point": "on board"}, 1.0),
    ("cif-cloze", {"cover": "110", "point": "at destination"}, 0.5),
    ("cif-cloze", {"cover": 100}, 0.0),
    # document completion: a share per field
    ("jujube-invoice", {"hs_code": "0813.40", "incoterm": "fca", "total_value": 22200}, 3.0),
    ("jujube-invoice", {"hs_code": "0813.40", "incoterm": "FOB", "total_value": "22,200"}, 2.0),
    ("jujube-invoice", {"hs_code": "081340", "total_value": 22200.02}, 0.0),
]


@pytest.mark.parametrize(("question_id", "response", "expected"), CASES)
def test_grading_table(specs, question_id, response, expected):
    score = grade(specs[question_id], response)
    assert score.points == pytest.approx(expected, abs=1e-4)
    assert score.max_points == specs[question_id]["points"]


MALFORMED = [
    ("fob-risk-point", "z"),  # an option id not in the question
    ("fob-risk-point", ["b"]),
    ("seller-clears-export", ["fca", "nope"]),
    ("seller-clears-export", "fca"),
    ("seller-clears-export", ["fca", "fca"]),
    ("exw-loading", "maybe"),
    ("cif-value-cny", "15111"),  # a string for a numeric
    ("cif-value-cny", True),
    ("cif-value-cny", float("nan")),
    ("term-with-insurance", 42),
    ("term-with-insurance", "x" * 500),
    ("match-duties", {"0": "not-an-item"}),  # a pair that does not exist
    ("match-duties", {"7": BUYER_EXPORT}),
    ("match-duties", ["a"]),
    ("order-the-deal", ids(*STEPS[:3])),
    ("order-the-deal", [*ids(*STEPS[:3]), ids(STEPS[0])[0]]),
    ("cif-cloze", {"cover": "lots"}),
    ("cif-cloze", {"point": "somewhere"}),
    ("cif-cloze", {"missing": "x"}),
    ("jujube-invoice", {"total_value": "twenty thousand"}),
    ("jujube-invoice", {"shipper": "x"}),
    ("choose-terms-essay", 17),
    ("cif-from-fob", "12.5"),
]


@pytest.mark.parametrize(("question_id", "response"), MALFORMED)
def test_malformed_responses_are_refused(specs, question_id, response):
    spec = specs[question_id]
    with pytest.raises(ResponseError):
        question_type(spec["type"]).validate(spec, response)


def test_essay_needs_a_person_and_rubric_adds_levels(specs):
    spec = specs["choose-terms-essay"]
    essay = question_type("essay")
    score = essay.grade(spec, "Some thoughtful text")
    assert score.needs_manual and score.points == 0 and score.max_points == 10
    assert essay.rubric_points(spec, {0: 2, 1: 1}) == 10
    assert essay.rubric_points(spec, {0: 1, 1: 0}) == 3
    with pytest.raises(ResponseError):
        essay.rubric_points(spec, {0: 1})
    with pytest.raises(ResponseError):
        essay.rubric_points(spec, {0: 9, 1: 0})


def test_numeric_accepts_units_and_thousands_in_forms(specs):
    spec = specs["cif-value-cny"]
    numeric = question_type("numeric")
    for typed in ("15111", "15,111 CNY", "CNY 15111", " 15111.4 cny"):
        assert numeric.grade(spec, numeric.parse_form(spec, {"q": typed}, "q")).points == 1
    for typed in ("15.111,00", "about 15111", "1e400x"):
        with pytest.raises(ResponseError):
            numeric.parse_form(spec, {"q": typed}, "q")
    assert numeric.parse_form(spec, {"q": "  "}, "q") is None


def test_percent_tolerance_edges():
    spec = {"type": "numeric", "points": 1, "answer": 200, "tolerance_percent": 0.5}
    numeric = question_type("numeric")
    assert numeric.grade(spec, 201).points == 1
    assert numeric.grade(spec, 199).points == 1
    assert numeric.grade(spec, 201.01).points == 0
    assert numeric.grade(spec, 198.99).points == 0


def test_calculation_draws_are_reproducible_and_differ_between_seeds(specs):
    spec = specs["cif-from-fob"]
    calc = question_type("calculation")
    first = calc.instantiate(spec, random.Random("attempt-1:cif-from-fob"), True)
    again = calc.instantiate(spec, random.Random("attempt-1:cif-from-fob"), True)
    assert first == again
    draws = {
        tuple(calc.instantiate(spec, random.Random(seed), True)["values"].values())
        for seed in range(20)
    }
    assert len(draws) > 15
    for values in draws:
        fob, freight, rate = values
        assert 20 <= fob <= 80 and (fob * 2) == int(fob * 2)
        assert 1 <= freight <= 6
        assert 0.2 <= rate <= 0.8


def test_calculation_is_checked_with_tolerance(specs):
    spec = specs["cif-from-fob"]
    calc = question_type("calculation")
    question = {**spec, "values": {"fob": 50, "freight": 3, "rate_percent": 0.5}}
    expected = 53 / (1 - 1.1 * 0.5 / 100)  # 53.2931…
    assert calc.grade(question, round(expected, 2)).points == 1
    assert calc.grade(question, expected * 1.005).points == 1
    assert calc.grade(question, expected * 1.0051).points == 0
    assert calc.grade(question, 53.03).points == 1  # within 0.5 % (53.0266…)
    assert calc.grade(question, 53.02).points == 0
    assert calc.answer_key(question) == "53.29"
    text = calc.prompt_with_values(question, spec["prompt"])
    assert "USD 50 per unit" in text and "USD 3 per unit" in text and "0.5 %" in text


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "fob.__class__",
        "[1, 2]",
        "fob if fob else 1",
        "open('x')",
        "lambda: 1",
        "fob // 2",
        "fob % 2",
        "'text'",
        "min(fob, key=abs)",
    ],
)
def test_formula_evaluator_refuses_anything_but_arithmetic(formula):
    with pytest.raises(FormulaError):
        evaluate(formula, {"fob": 2})


def test_formula_evaluator_computes_and_guards():
    assert evaluate("max(a, b) - min(a, b) + abs(-1) + round(2.345, 2)", {"a": 3, "b": 5}) == (
        pytest.approx(2 + 1 + 2.35)
    )
    assert evaluate("2 ** 10 / (1 + 1)", {}) == 512
    assert evaluate("-a", {"a": 2}) == -2
    for formula in ("1 / (a - a)", "10 ** 100", "2 ** 1000"):
        with pytest.raises(FormulaError):
            evaluate(formula, {"a": 1})
    with pytest.raises(FormulaError):
        evaluate("unknown + 1", {})
