"""Assignments in the gradebook: the teacher's points as a percentage of the maximum.

Registered with assessment's grade sources (``academy.assessment.grade_sources``) when
the learning package is imported. A submission waiting for a grade shows as pending; a
graded one carries the teacher's feedback to the student's "My grades".
"""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.grade_sources import Cell, Column, GradedLesson
from academy.catalog.models import LessonKind
from academy.db import db
from academy.i18n import pick
from academy.learning.models import AssignmentSubmission

#: The percentage that passes an assignment whose lesson does not set ``pass_mark``.
DEFAULT_PASS_MARK = 50.0


def assignment_max_points(settings: dict) -> float:
    """An assignment's maximum points (front-matter ``max_points``, 10 when unset)."""
    return float(settings.get("max_points", 10))


class AssignmentGrades:
    """Assignment lessons as a grade source."""

    def columns(self, lessons: list[GradedLesson]) -> list[Column]:
        return [
            Column(
                key=f"assignment-{graded.lesson.id}",
                kind="assignment",
                lesson=graded.lesson,
                title=pick(graded.title, graded.title_zh),
                weight=1.0,
                pass_mark=float(graded.lesson.settings.get("pass_mark", DEFAULT_PASS_MARK)),
                endpoint="learning.list_submissions",
                endpoint_args=(("lesson", graded.lesson.id),),
                takes_class=True,
            )
            for graded in lessons
            if graded.lesson.kind == LessonKind.ASSIGNMENT
        ]

    def cells(self, columns, user_ids, *, class_id, for_student):
        by_lesson = {column.lesson.id: column for column in columns}
        if not by_lesson or not user_ids:
            return {}
        rows = db.session.execute(
            sa.select(
                AssignmentSubmission.user_id,
                AssignmentSubmission.lesson_id,
                AssignmentSubmission.points,
                AssignmentSubmission.feedback,
                AssignmentSubmission.graded_dt,
            ).where(
                AssignmentSubmission.lesson_id.in_(list(by_lesson)),
                AssignmentSubmission.user_id.in_(user_ids),
            )
        )
        cells = {}
        for user_id, lesson_id, points, feedback, graded_dt in rows:
            column = by_lesson[lesson_id]
            cell = Cell(is_pending=graded_dt is None)
            if graded_dt is not None and points is not None:
                cell.percent = points * 100 / assignment_max_points(column.lesson.settings)
                cell.feedback = feedback if for_student else ""
            cells[(user_id, column.key)] = cell
        return cells
