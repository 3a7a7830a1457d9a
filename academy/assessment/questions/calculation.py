"""Calculation questions: parameters drawn per attempt, answers from a safe formula.

Formulas are parsed with ``ast`` and evaluated by walking an allow-list of nodes:
numbers, parameter names, ``+ - * / **``, unary minus, parentheses and calls of
``min``, ``max``, ``round`` and ``abs``. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
import math
import operator
import random
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.assessment.questions.base import (
    QuestionType,
    ResponseError,
    Score,
    SpecProblems,
    as_decimal,
    is_number,
    number_for_json,
    parse_number,
    register,
    show_number,
    within,
)

MAX_FORMULA_LENGTH = 500
MAX_EXPONENT = 64
MAX_MAGNITUDE = 1e15

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": lambda value, places=0: round(value, int(places)),
}


class FormulaError(ValueError):
    """A formula that is not allowed, or that cannot be evaluated for some values."""


def parse_formula(formula: str) -> ast.Expression:
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("the formula is empty")
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_FORMULA_LENGTH} characters")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"the formula is not valid: {error.msg}") from None
    for node in ast.walk(tree):
        _check_node(node)
    return tree


def _check_node(node: ast.AST) -> None:
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Call, ast.Load)
    if isinstance(node, (ast.operator, ast.unaryop)):
        if type(node) not in _BINARY and not isinstance(node, (ast.USub, ast.UAdd)):
            raise FormulaError(f"the operator {type(node).__name__} is not allowed")
        return
    if not isinstance(node, allowed):
        raise FormulaError(f"{type(node).__name__} is not allowed in a formula")
    if isinstance(node, ast.Constant) and not is_number(node.value):
        raise FormulaError("only numbers may appear as constants")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise FormulaError("only min, max, round and abs may be called")
        if node.keywords or not node.args:
            raise FormulaError(f"{node.func.id} takes plain arguments")


def formula_names(formula: str) -> set[str]:
    tree = parse_formula(formula)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    """The formula's value for ``values``; ``FormulaError`` if it cannot be computed."""
    tree = parse_formula(formula)

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise FormulaError(f"unknown name {node.id!r}")
            return float(values[node.id])
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
                raise FormulaError("an exponent is too large")
            try:
                result = _BINARY[type(node.op)](left, right)
            except ZeroDivisionError:
                raise FormulaError("division by zero") from None
            except OverflowError:
                raise FormulaError("a number grew too large") from None
            if isinstance(result, complex) or not math.isfinite(result):
                raise FormulaError("the result is not a real number")
            if abs(result) > MAX_MAGNITUDE:
                raise FormulaError("a number grew too large")
            return result
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return float(_FUNCTIONS[node.func.id](*[walk(arg) for arg in node.args]))

    return walk(tree)


def _places(step: Decimal) -> int:
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def draw_value(parameter: Mapping[str, Any], rng: random.Random) -> int | float:
    """A value on the grid min, min+step, … ≤ max, chosen uniformly."""
    low, high = as_decimal(parameter["min"]), as_decimal(parameter["max"])
    step = as_decimal(parameter.get("step", 1))
    assert low is not None and high is not None and step is not None
    count = int((high - low) / step)
    value = (low + step * rng.randint(0, count)).quantize(Decimal(1).scaleb(-_places(step)))
    return number_for_json(value)


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@register
class Calculation(QuestionType):
    """The learner computes a number from drawn figures; checked against the formula."""

    name = "calculation"
    keys = frozenset(
        {"formula", "parameters", "tolerance", "tolerance_percent", "decimals", "unit"}
    )

    def check_spec(self, spec, problems: SpecProblems):
        parameters = spec.get("parameters")
        names: list[str] = []
        if not isinstance(parameters, list) or not parameters:
            problems.append("'parameters' must list at least one parameter")
            spec["parameters"] = []
        else:
            for number, parameter in enumerate(parameters, start=1):
                where = f"parameter {number}: "
                if not isinstance(parameter, dict):
                    problems.append(f"{where}must be a table")
                    continue
                name = parameter.get("name")
                if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                    problems.append(f"{where}'name' must be lowercase letters, digits and _")
                elif name in names or name in {"min", "max", "round", "abs"}:
                    problems.append(f"{where}the name {name!r} is taken")
                else:
                    names.append(name)
                unknown = set(parameter) - {"name", "min", "max", "step"}
                if unknown:
                    problems.append(f"{where}unknown keys: {', '.join(sorted(unknown))}")
                parameter.setdefault("step", 1)
                if not all(is_number(parameter.get(k)) for k in ("min", "max", "step")):
                    problems.append(f"{where}'min', 'max' and 'step' must be numbers")
                elif parameter["step"] <= 0 or parameter["min"] > parameter["max"]:
                    problems.append(f"{where}needs min ≤ max and a step above 0")
        if ("tolerance" in spec) == ("tolerance_percent" in spec):
            problems.append("give one of 'tolerance' or 'tolerance_percent'")
        for key in ("tolerance", "tolerance_percent"):
            if key in spec and (not is_number(spec[key]) or spec[key] < 0):
                problems.append(f"'{key}' must be a number of at least 0")
        if "decimals" in spec and (not isinstance(spec["decimals"], int) or spec["decimals"] < 0):
            problems.append("'decimals' must be a whole number of at least 0")
        try:
            used = formula_names(spec.get("formula"))
        except FormulaError as error:
            problems.append(f"'formula': {error}")
            return
        for name in sorted(used - set(names)):
            problems.append(f"'formula' uses {name!r}, which is not a parameter")
        prompt = spec.get("prompt") or ""
        for name in PLACEHOLDER.findall(prompt):
            if name not in names:
                problems.append(f"'prompt' shows {{{name}}}, which is not a parameter")
        if len(problems) == 0:
            rng = random.Random(f"check:{spec.get('id')}")
            for _ in range(25):  # the formula must work for the values learners may get
                try:
                    evaluate(spec["formula"], self.draw(spec, rng))
                except FormulaError as error:
                    problems.append(f"'formula' fails for some drawn values: {error}")
                    break

    def draw(self, spec: Mapping[str, Any], rng: random.Random) -> dict[str, int | float]:
        return {p["name"]: draw_value(p, rng) for p in spec["parameters"]}

    def instantiate(self, spec, rng, shuffle_options):
        return {"values": self.draw(spec, rng)}

    def expected(self, question: Mapping[str, Any]) -> float:
        return evaluate(question["formula"], question["values"])

    def shown_prompt(self, question: Mapping[str, Any], prompt: str) -> str:
        return self.prompt_with_values(question, prompt)

    def prompt_with_values(self, question: Mapping[str, Any], prompt: str) -> str:
        """The prompt with each ``{name}`` replaced by the value drawn for this attempt."""
        values = question.get("values", {})
        return PLACEHOLDER.sub(
            lambda m: show_number(values[m.group(1)]) if m.group(1) in values else m.group(0),
            prompt,
        )

    def validate(self, question, response):
        if not is_number(response):
            raise ResponseError(_l("Enter a number."))
        return number_for_json(parse_number(response))

    def parse_form(self, question, form, name):
        value = (form.get(name) or "").strip()
        return number_for_json(parse_number(value, question.get("unit"))) if value else None

    def grade(self, question, response):
        maximum = self.max_points(question)
        if response is None:
            return Score(0.0, maximum)
        given = parse_number(self.validate(question, response))
        expected = Decimal(repr(self.expected(question)))
        right = within(
            given,
            expected,
            as_decimal(question.get("tolerance")),
            as_decimal(question.get("tolerance_percent")),
        )
        return Score(maximum if right else 0.0, maximum)

    def answer_key(self, question):
        return show_number(self.expected(question), question.get("decimals"))
