"""Lab checks in the gradebook: the share of the check's criteria met, passed or not.

Registered with assessment's grade sources when the labs package is imported (the
assessment domain may not import labs). Only lab lessons with a ``[check]`` are graded;
a lab completed by "mark complete" has nothing to grade. A student's best run counts: a
passed check stays passed when they start the lab again and try something else.
"""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.grade_sources import Cell, Column, GradedLesson
from academy.catalog.models import LessonKind
from academy.db import db
from academy.i18n import pick
from academy.labs.models import LabResult


def criteria_percent(criteria: list[dict]) -> float:
    """The share of a stored check's criteria that were met, in percent."""
    if not criteria:
        return 0.0
    return round(sum(1 for c in criteria if c.get("met")) * 100 / len(criteria), 2)


class LabGrades:
    """Lab lessons with a check, as a grade source."""

    def columns(self, lessons: list[GradedLesson]) -> list[Column]:
        return [
            Column(
                key=f"lab-{graded.lesson.id}",
                kind="lab",
                lesson=graded.lesson,
                title=pick(graded.title, graded.title_zh),
                weight=1.0,
                pass_mark=None,
            )
            for graded in lessons
            if graded.lesson.kind == LessonKind.LAB and graded.lesson.settings.get("check")
        ]

    def cells(self, columns, user_ids, *, class_id, for_student):
        by_lesson = {column.lesson.id: column for column in columns}
        if not by_lesson or not user_ids:
            return {}
        rows = db.session.execute(
            sa.select(LabResult.user_id, LabResult.lesson_id, LabResult.passed, LabResult.criteria)
            .where(LabResult.lesson_id.in_(list(by_lesson)), LabResult.user_id.in_(user_ids))
            .order_by(LabResult.id)
        )
        cells: dict[tuple[int, str], Cell] = {}
        for user_id, lesson_id, passed, criteria in rows:
            key = (user_id, by_lesson[lesson_id].key)
            percent = criteria_percent(criteria)
            best = cells.get(key)
            if best is None or (passed, percent) >= (best.passed, best.percent):
                cells[key] = Cell(percent=percent, passed=passed)
        return cells
