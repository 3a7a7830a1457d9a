"""Rubrics: criteria with scored levels, for essays and for assignments.

A rubric is a list of ``{criterion = "...", levels = [{points = N, description = "..."}]}``.
A marker chooses one level per criterion and the work gets the sum of their points, so
the rubric's top levels must add up to the work's maximum. Essay questions
(``academy.assessment.questions.text``) and assignment lessons (front-matter
``rubric``, graded in ``academy.learning``) share these two rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.assessment.questions.base import ResponseError, is_number, tidy


def rubric_problems(rubric: Any, total: float, total_key: str = "points") -> list[str]:
    """What is wrong with ``rubric`` for work worth ``total`` points (empty when it is fine).

    ``total_key`` names the setting that holds the total, for the message.
    """
    if not isinstance(rubric, list):
        return ["'rubric' must be a list of criteria"]
    problems = []
    top_total = 0.0
    for number, criterion in enumerate(rubric, start=1):
        if not isinstance(criterion, dict) or not isinstance(criterion.get("criterion"), str):
            problems.append(f"rubric criterion {number} needs a 'criterion' text")
            continue
        levels = criterion.get("levels")
        if (
            not isinstance(levels, list)
            or not levels
            or not all(
                isinstance(level, dict)
                and is_number(level.get("points"))
                and isinstance(level.get("description"), str)
                for level in levels
            )
        ):
            problems.append(
                f"rubric criterion {number} needs 'levels' with 'points' and 'description'"
            )
            continue
        top_total += max(level["points"] for level in levels)
    if rubric and not problems and abs(top_total - float(total)) > 1e-9:
        problems.append(
            f"the rubric's top levels add up to {top_total:g}, not to '{total_key}' ({total:g})"
        )
    return problems


def rubric_points(rubric: Sequence[Mapping[str, Any]], levels: Mapping[int, int]) -> float:
    """Points for a choice of one level per criterion (criterion index → level index).

    Raises:
        ResponseError: a criterion has no level chosen, or a level that does not exist.
    """
    if set(levels) != set(range(len(rubric))):
        raise ResponseError(_l("Choose a level for every criterion."))
    total = 0.0
    for index, criterion in enumerate(rubric):
        level = levels[index]
        if not 0 <= level < len(criterion["levels"]):
            raise ResponseError(_l("Choose a level for every criterion."))
        total += criterion["levels"][level]["points"]
    return tidy(total)
