"""The pieces every question type shares: scores, response errors, spec checking.

A *spec* is the validated, normalised dict of one question as written in a question
file. A *question* handed to ``grade`` is a spec plus what was drawn for one attempt
(``values`` of a calculation, the shown ``order`` of options); types that draw nothing
grade the plain spec. ``grade`` is pure: no database, no clock, no randomness.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

COMMON_KEYS = {
    "id",
    "type",
    "prompt",
    "prompt_zh",
    "topic",
    "competency",
    "difficulty",
    "points",
    "feedback",
    "feedback_zh",
}
MAX_TEXT_RESPONSE = 200
MAX_ESSAY_RESPONSE = 20_000


@dataclass(frozen=True)
class Part:
    """The mark of one part of a question (an option, a pair, a gap, a field)."""

    label: str
    points: float
    max_points: float
    correct: bool


@dataclass(frozen=True)
class Score:
    """What ``grade`` returns: points out of ``max_points``, with the parts."""

    points: float
    max_points: float
    parts: tuple[Part, ...] = ()
    needs_manual: bool = False

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "max_points": self.max_points,
            "needs_manual": self.needs_manual,
            "parts": [
                {"label": p.label, "points": p.points, "max": p.max_points, "correct": p.correct}
                for p in self.parts
            ],
        }


class ResponseError(ValueError):
    """A response of the wrong shape; it is refused and stored nowhere."""

    def __init__(self, message: Any, part: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.part = part


class SpecProblems(list[str]):
    """Problems found in one question's spec, as plain English messages."""


def tidy(points: float) -> float:
    """Points rounded to four places, so that shares add up without float dust."""
    value = round(points + 0.0, 4)
    return 0.0 if value == 0 else value


def stable_id(text: str) -> str:
    """An identifier for an item that gives away nothing about its correct place."""
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def parse_number(text: Any, unit: str | None = None) -> Decimal:
    """A number typed by a learner: ``15,111 CNY``, ``USD 25.30``, ``-0.5``.

    Raises ``ResponseError`` for anything that is not one number (with the unit, if
    the question has one, optionally before or after it).
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ResponseError(_l("Enter a number."))
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise ResponseError(_l("Enter a number."))
        return Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    value = text.strip().replace("\u00a0", " ")
    if len(value) > 60:
        raise ResponseError(_l("Enter a number."))
    if unit:
        lowered, unit_lower = value.lower(), unit.lower()
        if lowered.endswith(unit_lower):
            value = value[: -len(unit)].strip()
        elif lowered.startswith(unit_lower):
            value = value[len(unit) :].strip()
    compact = value.replace(" ", "")
    if "," in compact:
        whole, _point, fraction = compact.lstrip("+-").partition(".")
        groups = whole.split(",")
        if "," in fraction or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ResponseError(_l("Enter a number (use a point for decimals)."))
        compact = compact.replace(",", "")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise ResponseError(_l("Enter a number.")) from None
    if not number.is_finite():
        raise ResponseError(_l("Enter a number."))
    return number


def number_for_json(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def within(
    given: Decimal, expected: Decimal, tolerance: Decimal | None, tolerance_percent: Decimal | None
) -> bool:
    """Whether ``given`` is within the tolerance of ``expected`` (edges included)."""
    allowed = Decimal(0)
    if tolerance is not None:
        allowed = tolerance
    elif tolerance_percent is not None:
        allowed = abs(expected) * tolerance_percent / 100
    return abs(given - expected) <= allowed


def as_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class QuestionType:
    """A kind of question: checks its spec, draws per attempt, validates and grades.

    Subclasses set ``name`` and ``keys`` (the extra keys their spec may have) and
    implement ``check_spec``, ``validate`` and ``grade``; ``parse_form`` turns posted
    form fields into a response of the shape ``validate`` accepts.
    """

    name: ClassVar[str]
    keys: ClassVar[frozenset[str]] = frozenset()
    is_manual: ClassVar[bool] = False

    # --- the spec -------------------------------------------------------------
    def check_spec(self, spec: dict[str, Any], problems: SpecProblems) -> None:
        """Add problems with the type-specific keys; may normalise ``spec`` in place."""

    def max_points(self, spec: Mapping[str, Any]) -> float:
        return float(spec.get("points", 1))

    # --- per attempt ------------------------------------------------------------
    def instantiate(
        self, spec: Mapping[str, Any], rng: random.Random, shuffle_options: bool
    ) -> dict[str, Any]:
        """What is drawn once when an attempt starts (stored, never drawn again)."""
        return {}

    # --- responses ---------------------------------------------------------------
    def validate(self, question: Mapping[str, Any], response: Any) -> Any:
        """The response in canonical form, or ``ResponseError`` if its shape is wrong."""
        raise NotImplementedError

    def parse_form(self, question: Mapping[str, Any], form: Mapping[str, str], name: str) -> Any:
        """The response posted under ``name`` (None when left empty)."""
        value = (form.get(name) or "").strip()
        return self.validate(question, value) if value else None

    def grade(self, question: Mapping[str, Any], response: Any) -> Score:
        raise NotImplementedError

    def answer_key(self, question: Mapping[str, Any]) -> Any:
        """The correct response, for the review page (after review is allowed only)."""
        return None

    # --- presentation (what a page shows; never the key before review) ---------------
    def shown_prompt(self, question: Mapping[str, Any], prompt: str) -> str:
        """The prompt's Markdown as the learner reads it (before it is rendered)."""
        return prompt

    def student_fields(self, question: Mapping[str, Any], reader: Reader) -> dict[str, Any]:
        """What the type adds to a learner's view of the question: no answers, no rules."""
        return {}

    def form_values(self, response: Any, name: str) -> dict[str, Any]:
        """A saved (non-empty) response as the values of the form fields named ``name``."""
        if isinstance(response, float):
            return {name: show_number(response).replace(",", "")}
        return {name: str(response)}

    def key_lines(self, question: Mapping[str, Any], reader: Reader) -> list[tuple[str, str]]:
        """The answer key as (label, text) lines, for review pages only."""
        key = self.answer_key(question)
        unit = question.get("unit")
        return [("", f"{key} {unit}" if unit else str(key))]


@dataclass(frozen=True)
class Reader:
    """Who reads a question: in Chinese or not, and how Markdown becomes safe HTML."""

    in_chinese: bool
    markdown: Callable[[str], Markup]

    def localised(self, mapping: Mapping[str, Any], key: str) -> Any:
        """``key_zh`` for a reader in Chinese when the author wrote one, else ``key``."""
        if self.in_chinese and mapping.get(f"{key}_zh"):
            return mapping[f"{key}_zh"]
        return mapping.get(key)


def show_number(value: float | int, decimals: int | None = None) -> str:
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    REGISTRY[cls.name] = cls()
    return cls


def question_type(name: str) -> QuestionType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}") from None


@dataclass
class Presented:
    """A question as one attempt shows it: the spec with what was drawn for it."""

    spec: dict[str, Any]
    instance: dict[str, Any] = field(default_factory=dict)

    @property
    def question(self) -> dict[str, Any]:
        return {**self.spec, **self.instance}
