"""Blueprint checks and the coverage matrix (units × parts × marks), with no writes.

``coverage`` answers "what does this blueprint examine, and can the bank fill it?":
for every unit of the standard, its weight at the level, the theory items asked per
difficulty (and how many the bank holds), the practical points and the judged marks.
``blueprint_problems`` lists, per form field, what stops a blueprint from being
published: a rule the bank cannot fill, an unknown unit, a task whose check the sandbox
cannot judge, a weighted unit that nothing examines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.assessment.models import Question
from academy.certification import practical
from academy.certification.standards.models import Standard, StandardLevel
from academy.db import db

DIFFICULTIES = (1, 2, 3, 4, 5)


@dataclass
class UnitCoverage:
    code: str
    title: str
    title_zh: str
    weight: int
    items: dict[int, int] = field(default_factory=dict)  # difficulty -> asked
    available: dict[int, int] = field(default_factory=dict)  # difficulty -> in the bank
    practical_points: int = 0
    judged_marks: int = 0

    @property
    def theory_items(self) -> int:
        return sum(self.items.values())

    @property
    def is_examined(self) -> bool:
        return bool(self.theory_items or self.practical_points or self.judged_marks)

    def shortfall(self, difficulty: int) -> int:
        return max(0, self.items.get(difficulty, 0) - self.available.get(difficulty, 0))


@dataclass
class Coverage:
    units: list[UnitCoverage]
    problems: dict[str, list[str]]

    @property
    def can_publish(self) -> bool:
        return not any(self.problems.values())

    @property
    def theory_items(self) -> int:
        return sum(unit.theory_items for unit in self.units)

    @property
    def practical_points(self) -> int:
        return sum(unit.practical_points for unit in self.units)

    @property
    def judged_marks(self) -> int:
        return sum(unit.judged_marks for unit in self.units)


def bank_counts(bank_id: int | None) -> dict[tuple[str, int], int]:
    """Live automatically marked questions of a bank per (topic, difficulty)."""
    if bank_id is None:
        return {}
    rows = db.session.execute(
        sa.select(Question.topic, Question.difficulty, sa.func.count())
        .where(Question.bank_id == bank_id, Question.is_retired.is_(False))
        .group_by(Question.topic, Question.difficulty)
    )
    return {(topic, difficulty): count for topic, difficulty, count in rows}


def _check_rules(rules, units, problems) -> None:
    for rule in rules:
        if rule["unit"] not in units:
            problems["theory"].append(_("Unknown unit %(unit)s.", unit=rule["unit"]))
        elif rule["difficulty"] not in DIFFICULTIES or rule["count"] < 0:
            problems["theory"].append(_("Each count must be a whole number of 0 or more."))


def _check_tasks(tasks, units, problems) -> None:
    for task in tasks:
        if task.get("unit") not in units:
            problems["practical"].append(
                _(
                    "Task %(task)s names unknown unit %(unit)s.",
                    task=task.get("key"),
                    unit=task.get("unit"),
                )
            )
        points = task.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            problems["practical"].append(
                _("Task %(task)s needs points, a whole number of 1 or more.", task=task.get("key"))
            )
        for problem in practical.check_problems(task.get("check") or {}):
            problems["practical"].append(
                _("Task %(task)s: %(problem)s", task=task.get("key"), problem=problem)
            )


def _check_parts(parts, units, problems) -> None:
    for part in parts:
        if part.get("unit") not in units:
            problems["judged"].append(
                _(
                    "Part %(part)s names unknown unit %(unit)s.",
                    part=part.get("key"),
                    unit=part.get("unit"),
                )
            )
        marks = part.get("max_marks")
        if isinstance(marks, bool) or not isinstance(marks, int) or marks < 1:
            problems["judged"].append(
                _(
                    "Part %(part)s needs max_marks, a whole number of 1 or more.",
                    part=part.get("key"),
                )
            )
        if not part.get("prompt"):
            problems["judged"].append(_("Part %(part)s needs a prompt.", part=part.get("key")))


def coverage(
    standard: Standard,
    level: StandardLevel,
    bank_id: int | None,
    rules: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    parts: list[dict[str, Any]],
    scenario: str = "",
    seed: int | None = None,
) -> Coverage:
    """The coverage matrix of a blueprint and what stops it from being published."""
    problems: dict[str, list[str]] = defaultdict(list)
    units = {
        unit.code: UnitCoverage(
            unit.code, unit.title, unit.title_zh, unit.weights.get(level.code, 0)
        )
        for unit in standard.units
    }
    counts = bank_counts(bank_id)
    for code, unit in units.items():
        for difficulty in DIFFICULTIES:
            unit.available[difficulty] = counts.get((code, difficulty), 0)
    _check_rules(rules, units, problems)
    _check_tasks(tasks, units, problems)
    _check_parts(parts, units, problems)
    for rule in rules:
        if rule["unit"] in units and rule["count"] > 0:
            unit = units[rule["unit"]]
            unit.items[rule["difficulty"]] = unit.items.get(rule["difficulty"], 0) + rule["count"]
    for task in tasks:
        if task.get("unit") in units and isinstance(task.get("points"), int):
            units[task["unit"]].practical_points += task["points"]
    for part in parts:
        if part.get("unit") in units and isinstance(part.get("max_marks"), int):
            units[part["unit"]].judged_marks += part["max_marks"]
    for unit in units.values():
        for difficulty in DIFFICULTIES:
            if unit.shortfall(difficulty):
                problems["theory"].append(
                    _(
                        "Unit %(unit)s asks for %(asked)s items of difficulty %(difficulty)s; "
                        "the bank holds %(held)s.",
                        unit=unit.code,
                        asked=unit.items[difficulty],
                        difficulty=difficulty,
                        held=unit.available[difficulty],
                    )
                )
        if unit.weight and not unit.is_examined:
            problems["theory"].append(
                _(
                    "Unit %(unit)s weighs %(weight)s%% at this level but nothing examines it.",
                    unit=unit.code,
                    weight=unit.weight,
                )
            )
    if rules and any(rule["count"] for rule in rules) and bank_id is None:
        problems["theory"].append(_("Choose the question bank the theory part draws from."))
    if tasks:
        problem = practical.scenario_problem(scenario, seed) if scenario else _("Name a scenario.")
        if problem:
            problems["scenario"].append(problem)
    return Coverage(list(units.values()), dict(problems))
