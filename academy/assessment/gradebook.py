"""The gradebook of a class: students × quizzes, weights, totals, pass/fail, CSV.

Built with a fixed number of queries whatever the class size (students, quizzes,
attempts, offline marks, completions), then assembled in Python.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.attempts import kept_percent
from academy.assessment.models import Attempt, AttemptStatus, MarkChange, OfflineMark, Quiz
from academy.auth.models import User
from academy.catalog.models import Lesson
from academy.csv import csv_text
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.learning.models import CourseCompletion, Enrollment, SchoolClass
from academy.numbers import NumberError, parse_decimal


@dataclass
class Cell:
    percent: float | None = None
    is_offline: bool = False
    is_pending: bool = False  # submitted, waiting for marking or release


@dataclass
class Row:
    user: User
    cells: dict[int, Cell] = field(default_factory=dict)
    total: float = 0.0
    passed_all: bool = False
    completed: bool = False


@dataclass
class Gradebook:
    school_class: SchoolClass
    quizzes: list[Quiz]
    rows: list[Row]


def class_quizzes(school_class: SchoolClass) -> list[Quiz]:
    return list(
        db.session.scalars(
            sa.select(Quiz)
            .join(Lesson, Lesson.id == Quiz.lesson_id)
            .where(Lesson.course_id == school_class.course_id)
            .order_by(Lesson.position)
        )
    )


def build_gradebook(school_class: SchoolClass, include_unreleased: bool = True) -> Gradebook:
    quizzes = class_quizzes(school_class)
    quiz_ids = [q.id for q in quizzes]
    users = db.session.scalars(
        sa.select(User)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.class_id == school_class.id)
        .order_by(User.display_name, User.id)
    ).all()
    user_ids = [u.id for u in users]
    attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    if quiz_ids and user_ids:
        for attempt in db.session.scalars(
            sa.select(Attempt)
            .where(
                Attempt.quiz_id.in_(quiz_ids),
                Attempt.user_id.in_(
                    sa.select(Enrollment.user_id).where(Enrollment.class_id == school_class.id)
                ),
                Attempt.status == AttemptStatus.SUBMITTED,
            )
            .order_by(Attempt.number)
        ):
            attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    offline = {
        (mark.user_id, mark.quiz_id): mark.percent
        for mark in db.session.scalars(
            sa.select(OfflineMark).where(OfflineMark.class_id == school_class.id)
        )
    }
    completed = set(
        db.session.scalars(
            sa.select(CourseCompletion.user_id).where(
                CourseCompletion.course_id == school_class.course_id
            )
        )
    )
    by_id = {quiz.id: quiz for quiz in quizzes}
    weights = sum(q.weight for q in quizzes) or 1.0
    rows = []
    for user in users:
        row = Row(user=user, completed=user.id in completed)
        weighted = 0.0
        passed = bool(quizzes)
        for quiz_id in quiz_ids:
            quiz = by_id[quiz_id]
            cell = Cell()
            if (user.id, quiz_id) in offline:
                cell.percent, cell.is_offline = offline[(user.id, quiz_id)], True
            else:
                taken = attempts.get((user.id, quiz_id), [])
                final = [
                    a
                    for a in taken
                    if a.is_fully_marked
                    and (include_unreleased or not a.has_manual_items or quiz.marks_released_dt)
                ]
                cell.percent = kept_percent(quiz, final)
                cell.is_pending = bool(taken) and len(final) < len(taken)
            row.cells[quiz_id] = cell
            weighted += (cell.percent or 0.0) * quiz.weight
            passed = passed and cell.percent is not None and cell.percent >= quiz.pass_mark
        row.total = weighted / weights
        row.passed_all = passed
        rows.append(row)
    return Gradebook(school_class, quizzes, rows)


def filter_rows(book: Gradebook, status: str | None, search: str | None) -> list[Row]:
    rows = book.rows
    if search:
        needle = search.casefold()
        rows = [
            r for r in rows if needle in r.user.display_name.casefold() or needle in r.user.email
        ]
    if status == "passed":
        rows = [r for r in rows if r.passed_all]
    elif status == "failed":
        rows = [r for r in rows if not r.passed_all]
    elif status == "pending":
        rows = [r for r in rows if any(c.is_pending for c in r.cells.values())]
    return rows


def quiz_column(quiz: Quiz) -> str:
    return quiz.lesson.slug if quiz.lesson is not None else f"quiz-{quiz.id}"


def gradebook_csv(book: Gradebook, rows: list[Row] | None = None) -> str:
    """The gradebook as CSV (through the app's one writer, which guards formulas)."""
    header = ["name", "email", *[quiz_column(q) for q in book.quizzes], "total", "passed"]
    return csv_text(
        [*header, "completed"],
        (
            [
                row.user.display_name,
                row.user.email,
                *[
                    "" if row.cells[q.id].percent is None else f"{row.cells[q.id].percent:.1f}"
                    for q in book.quizzes
                ],
                f"{row.total:.1f}",
                row.passed_all,
                row.completed,
            ]
            for row in (book.rows if rows is None else rows)
        ),
    )


@dataclass(frozen=True)
class CsvProblem:
    line: int
    message: str


class GradebookImportError(OperationError):
    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__(_l("The file has problems; nothing was imported."), code="invalid_csv")
        self.problems = problems


def import_offline_marks(school_class: SchoolClass, text: str, actor: User) -> int:
    """Read ``email,quiz,percent`` rows (quiz = the lesson slug); all or nothing.

    Each mark replaces the student's grade for that quiz in this class's gradebook;
    every new or changed mark is logged.
    """
    quizzes = {quiz_column(q): q for q in class_quizzes(school_class)}
    members = {
        email.lower(): user_id
        for email, user_id in db.session.execute(
            sa.select(User.email, User.id)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.class_id == school_class.id)
        ).all()
    }
    problems: list[CsvProblem] = []
    marks: dict[tuple[int, int], float] = {}
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:3]] != ["email", "quiz", "percent"]:
        raise GradebookImportError(
            [CsvProblem(1, str(_l("The first line must be: email,quiz,percent")))]
        )
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < 3:
            problems.append(
                CsvProblem(line, str(_l("Give an e-mail address, a quiz and a percentage.")))
            )
            continue
        email, quiz_name, value = (cell.strip() for cell in record[:3])
        user_id = members.get(email.lower())
        quiz = quizzes.get(quiz_name)
        if user_id is None:
            problems.append(
                CsvProblem(line, str(_l("%(email)s is not a student of this class.", email=email)))
            )
        if quiz is None:
            problems.append(
                CsvProblem(line, str(_l("%(quiz)s is not a quiz of this course.", quiz=quiz_name)))
            )
        try:
            percent = float(parse_decimal(value, minimum=0, maximum=100, places=4))
        except NumberError:
            problems.append(
                CsvProblem(
                    line, str(_l("%(value)s is not a percentage from 0 to 100.", value=value))
                )
            )
            continue
        if user_id is not None and quiz is not None:
            if (user_id, quiz.id) in marks:
                problems.append(CsvProblem(line, str(_l("This student and quiz appear twice."))))
            marks[(user_id, quiz.id)] = percent
    if problems:
        raise GradebookImportError(problems)
    existing = {
        (m.user_id, m.quiz_id): m
        for m in db.session.scalars(
            sa.select(OfflineMark).where(OfflineMark.class_id == school_class.id)
        )
    }
    changed = 0
    for (user_id, quiz_id), percent in marks.items():
        mark = existing.get((user_id, quiz_id))
        old = mark.percent if mark else None
        if old == percent:
            continue
        if mark is None:
            mark = OfflineMark(
                class_id=school_class.id, user_id=user_id, quiz_id=quiz_id, percent=percent
            )
            db.session.add(mark)
        mark.percent = percent
        mark.entered_by_id = actor.id
        mark.entered_dt = utcnow()
        db.session.flush()
        db.session.add(
            MarkChange(
                offline_mark_id=mark.id,
                changed_by_id=actor.id,
                old_points=old,
                new_points=percent,
                reason="offline",
            )
        )
        changed += 1
    db.session.flush()
    return changed


def student_grades(user: User) -> list[tuple[Quiz, list[Attempt], float | None]]:
    """Every quiz the student has attempted, with the attempts and the visible grade kept."""
    from academy.assessment.attempts import marks_visible

    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id)
        .order_by(Attempt.quiz_id, Attempt.number)
    ).all()
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.quiz_id].append(attempt)
    result = []
    for taken in grouped.values():
        quiz = taken[0].quiz
        result.append((quiz, taken, kept_percent(quiz, [a for a in taken if marks_visible(a)])))
    return result
