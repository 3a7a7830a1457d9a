"""The question-type registry and the checking of one question's spec.

``check_spec(raw)`` turns one ``[[questions]]`` table into a normalised spec and a list
of problems; ``question_type(name)`` gives the type that validates and grades it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from academy.assessment.questions import calculation, choice, text  # noqa: F401  (register)
from academy.assessment.questions.base import (
    COMMON_KEYS,
    REGISTRY,
    Part,
    Presented,
    QuestionType,
    ResponseError,
    Score,
    SpecProblems,
    is_number,
    question_type,
)

__all__ = [
    "REGISTRY",
    "Part",
    "Presented",
    "QuestionType",
    "ResponseError",
    "Score",
    "check_spec",
    "question_type",
]

QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def check_spec(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """A normalised copy of one question table and every problem found in it."""
    problems = SpecProblems()
    if not isinstance(raw, dict):
        return {}, ["a question must be a table"]
    spec = copy.deepcopy(raw)
    question_id = spec.get("id")
    if not isinstance(question_id, str) or not QUESTION_ID.fullmatch(question_id):
        problems.append("'id' must be lowercase letters, digits and hyphens (at most 80)")
    kind = spec.get("type")
    if kind not in REGISTRY:
        problems.append(f"'type' must be one of {', '.join(sorted(REGISTRY))}")
        return spec, list(problems)
    qtype = REGISTRY[kind]
    unknown = set(spec) - COMMON_KEYS - qtype.keys
    if unknown:
        problems.append(f"unknown keys for {kind}: {', '.join(sorted(unknown))}")
    if not isinstance(spec.get("prompt"), str) or not spec["prompt"].strip():
        problems.append("'prompt' is required")
    for key in ("prompt_zh", "feedback", "feedback_zh", "competency"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(f"'{key}' must be a text")
    topic = spec.get("topic")
    if not isinstance(topic, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", topic):
        problems.append("'topic' is required: lowercase letters, digits and hyphens")
    spec.setdefault("difficulty", 2)
    if not isinstance(spec["difficulty"], int) or not 1 <= spec["difficulty"] <= 5:
        problems.append("'difficulty' must be a whole number from 1 to 5")
    spec.setdefault("points", 1)
    if not is_number(spec["points"]) or spec["points"] <= 0:
        problems.append("'points' must be a number above 0")
    qtype.check_spec(spec, problems)
    return spec, list(problems)
