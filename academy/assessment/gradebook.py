"""The gradebook of a class and a student's grades: quizzes, assignments and labs.

Columns come from the grade sources (``academy.assessment.grade_sources``): quizzes
here, assignments from the learning domain, lab checks from the labs domain. Built with
a fixed number of queries whatever the class size (students, lessons, a query or two
per source, completions), then assembled in Python: weights, totals, pass/fail, CSV.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.attempts import kept_percent
from academy.assessment.grade_sources import (
    Cell,
    Column,
    GradedLesson,
    GradeSource,
    grade_sources,
    register_grade_source,
)
from academy.assessment.models import Attempt, AttemptStatus, MarkChange, OfflineMark, Quiz
from academy.auth.models import User
from academy.catalog.models import Course, Lesson, LessonKind, LessonRevision, Module
from academy.csv import csv_text
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.i18n import pick
from academy.learning.models import CourseCompletion, Enrollment, SchoolClass
from academy.numbers import NumberError, parse_decimal


@dataclass
class Row:
    user: User
    cells: dict[str, Cell] = field(default_factory=dict)
    total: float = 0.0
    passed_all: bool = False
    completed: bool = False


@dataclass
class Gradebook:
    school_class: SchoolClass
    columns: list[Column]
    rows: list[Row]

    @property
    def quizzes(self) -> list[Quiz]:
        """The quizzes among the columns (offline marks are entered for these)."""
        return [column.subject for column in self.columns if isinstance(column.subject, Quiz)]


def class_quizzes(school_class: SchoolClass) -> list[Quiz]:
    return list(
        db.session.scalars(
            sa.select(Quiz)
            .join(Lesson, Lesson.id == Quiz.lesson_id)
            .where(Lesson.course_id == school_class.course_id)
            .order_by(Lesson.position)
        )
    )


class QuizGrades:
    """Quizzes as a grade source: the kept grade of submitted attempts, or an offline mark."""

    def columns(self, lessons: list[GradedLesson]) -> list[Column]:
        ids = [g.lesson.id for g in lessons if g.lesson.kind == LessonKind.QUIZ]
        quizzes = {
            quiz.lesson_id: quiz
            for quiz in (
                db.session.scalars(sa.select(Quiz).where(Quiz.lesson_id.in_(ids))) if ids else []
            )
        }
        return [
            Column(
                key=f"quiz-{quiz.id}",
                kind="quiz",
                lesson=graded.lesson,
                title=pick(quiz.title, quiz.title_zh),
                weight=quiz.weight,
                pass_mark=quiz.pass_mark,
                endpoint="assessment.manage_quiz",
                endpoint_args=(("quiz_id", quiz.id),),
                subject=quiz,
            )
            for graded in lessons
            if (quiz := quizzes.get(graded.lesson.id)) is not None
        ]

    def cells(self, columns, user_ids, *, class_id, for_student):
        by_quiz = {column.subject.id: column for column in columns if column.kind == "quiz"}
        if not by_quiz or not user_ids:
            return {}
        attempts: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
        for attempt in db.session.scalars(
            sa.select(Attempt)
            .where(
                Attempt.quiz_id.in_(list(by_quiz)),
                Attempt.user_id.in_(user_ids),
                Attempt.status == AttemptStatus.SUBMITTED,
            )
            .order_by(Attempt.number)
        ):
            attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
        offline = {}
        if class_id is not None:
            offline = {
                (mark.user_id, mark.quiz_id): mark.percent
                for mark in db.session.scalars(
                    sa.select(OfflineMark).where(
                        OfflineMark.class_id == class_id, OfflineMark.user_id.in_(user_ids)
                    )
                )
            }
        cells = {}
        for user_id in user_ids:
            for quiz_id, column in by_quiz.items():
                quiz, cell = column.subject, Cell()
                taken = attempts.get((user_id, quiz_id), [])
                if for_student:
                    cell.links = [
                        (f"#{a.number}", "assessment.review_attempt", {"attempt_id": a.id})
                        for a in taken
                    ]
                if (user_id, quiz_id) in offline:
                    cell.percent, cell.is_offline = offline[(user_id, quiz_id)], True
                else:
                    final = [
                        a
                        for a in taken
                        if a.is_fully_marked
                        and (not for_student or not a.has_manual_items or quiz.marks_released_dt)
                    ]
                    cell.percent = kept_percent(quiz, final)
                    cell.is_pending = bool(taken) and len(final) < len(taken)
                cells[(user_id, column.key)] = cell
        return cells


register_grade_source(QuizGrades())


def graded_lessons(course_id: int) -> list[GradedLesson]:
    """The course's lessons that may carry a grade, in syllabus order."""
    rows = db.session.execute(
        sa.select(Lesson, LessonRevision.title, LessonRevision.title_zh)
        .join(Lesson.module)
        .outerjoin(LessonRevision, LessonRevision.id == Lesson.published_revision_id)
        .where(Lesson.course_id == course_id, Lesson.kind != LessonKind.READING)
        .order_by(Module.position, Lesson.position, Lesson.id)
    ).all()
    return [
        GradedLesson(lesson, title or lesson.slug, title_zh or "")
        for lesson, title, title_zh in rows
    ]


def course_rows(
    course_id: int, users: list[User], *, class_id: int | None, for_student: bool
) -> tuple[list[Column], list[Row]]:
    """Columns of every grade source for the course, and a row per user.

    A fixed number of queries whatever the number of users: the lessons, then a
    query or two per source.
    """
    lessons = graded_lessons(course_id)
    found: list[tuple[GradeSource, list[Column]]] = [
        (source, source.columns(lessons)) for source in grade_sources()
    ]
    position = {graded.lesson.id: number for number, graded in enumerate(lessons)}
    columns = sorted(
        (column for _, source_columns in found for column in source_columns),
        key=lambda column: position[column.lesson.id],
    )
    user_ids = [user.id for user in users]
    cells: dict[tuple[int, str], Cell] = {}
    for source, source_columns in found:
        if source_columns:
            cells.update(
                source.cells(source_columns, user_ids, class_id=class_id, for_student=for_student)
            )
    weights = sum(column.weight for column in columns) or 1.0
    rows = []
    for user in users:
        row = Row(user=user)
        row.cells = {c.key: cells.get((user.id, c.key)) or Cell() for c in columns}
        row.total = sum((row.cells[c.key].percent or 0.0) * c.weight for c in columns) / weights
        row.passed_all = bool(columns) and all(row.cells[c.key].has_passed(c) for c in columns)
        rows.append(row)
    return columns, rows


def build_gradebook(school_class: SchoolClass) -> Gradebook:
    """The class's gradebook: every student × every quiz, assignment and lab."""
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.class_id == school_class.id)
            .order_by(User.display_name, User.id)
        )
    )
    columns, rows = course_rows(
        school_class.course_id, users, class_id=school_class.id, for_student=False
    )
    completed = set(
        db.session.scalars(
            sa.select(CourseCompletion.user_id).where(
                CourseCompletion.course_id == school_class.course_id
            )
        )
    )
    for row in rows:
        row.completed = row.user.id in completed
    return Gradebook(school_class, columns, rows)


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
    header = ["name", "email", *[column.slug for column in book.columns], "total", "passed"]
    return csv_text(
        [*header, "completed"],
        (
            [
                row.user.display_name,
                row.user.email,
                *[
                    "" if row.cells[c.key].percent is None else f"{row.cells[c.key].percent:.1f}"
                    for c in book.columns
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
    return _save_offline_marks(school_class, _read_offline_marks(school_class, text), actor)


def _read_offline_marks(school_class: SchoolClass, text: str) -> dict[tuple[int, int], float]:
    """The percentage per (student id, quiz id); ``GradebookImportError`` lists every problem."""
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
    return marks


def _save_offline_marks(
    school_class: SchoolClass, marks: dict[tuple[int, int], float], actor: User
) -> int:
    """Write the marks that are new or changed, each with its audit entry; how many."""
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


@dataclass
class CourseGrades:
    """One course on a student's "My grades" page."""

    course: Course
    columns: list[Column]
    row: Row


def student_report(user: User) -> list[CourseGrades]:
    """Every course the student is enrolled in or took a quiz of, with what they may see.

    Marks waiting for release stay hidden; a quiz shows its attempts, an assignment its
    feedback, a lab its check.
    """
    enrolled = {
        enrollment.course_id: enrollment.class_id
        for enrollment in db.session.scalars(
            sa.select(Enrollment).where(Enrollment.user_id == user.id).order_by(Enrollment.id)
        )
    }
    attempted = db.session.scalars(
        sa.select(Lesson.course_id)
        .join(Quiz, Quiz.lesson_id == Lesson.id)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .where(Attempt.user_id == user.id)
        .distinct()
    )
    for course_id in attempted:
        enrolled.setdefault(course_id, None)
    courses = {
        course.id: course
        for course in db.session.scalars(sa.select(Course).where(Course.id.in_(list(enrolled))))
    }
    report = []
    for course_id, class_id in enrolled.items():
        columns, rows = course_rows(course_id, [user], class_id=class_id, for_student=True)
        if columns:
            report.append(CourseGrades(courses[course_id], columns, rows[0]))
    report.sort(key=lambda grades: grades.course.title.casefold())
    return report
