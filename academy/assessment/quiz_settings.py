"""Setting up a quiz lesson from the web: its questions, draws, timing and review.

The same rules as a course package's front matter apply (``check_quiz_settings``), and
the lesson's stored front matter is kept in step, so an exported package says what the
teacher set here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment import operations
from academy.assessment.models import Question, Quiz, ReviewPolicy
from academy.assessment.quizzes import (
    apply_quiz_settings,
    check_quiz_settings,
    course_bank,
    quiz_for_lesson,
)
from academy.db import db
from academy.errors import OperationError

#: Which form field a problem from ``check_quiz_settings`` belongs to.
PROBLEM_FIELDS = {
    "'questions'": "question_files",
    "draw": "draw",
    "a quiz needs": "question_files",
    "'pass_mark'": "pass_mark",
    "'time_limit_minutes'": "time_limit_minutes",
    "'attempts'": "attempts",
    "'close_date'": "close_date",
    "'open_date'": "open_date",
}


def bank_files(course: Any) -> dict[str, list[str]]:
    """Question keys of the course's bank, by the question file they belong to."""
    bank = course_bank(course)
    if bank is None:
        return {}
    files: dict[str, list[str]] = {}
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.bank_id == bank.id, Question.is_retired.is_(False))
        .order_by(Question.id)
    )
    for question in questions:
        files.setdefault(question.source_file or "questions/bank.toml", []).append(question.key)
    return files


def bank_topics(course: Any) -> dict[str, list[int]]:
    bank = course_bank(course)
    if bank is None:
        return {}
    topics: dict[str, list[int]] = {}
    for topic, difficulty in db.session.execute(
        sa.select(Question.topic, Question.difficulty).where(
            Question.bank_id == bank.id, Question.is_retired.is_(False)
        )
    ):
        topics.setdefault(topic, []).append(difficulty)
    return topics


def parse_draw_lines(text: str) -> list[dict[str, Any]]:
    """``topic count [difficulty]`` per line → draw rules; a malformed line is refused."""
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts[1:]):
            raise OperationError(
                _l(
                    "Line %(number)d: write a topic, a count and optionally a difficulty, e.g. “incoterms 5 2”.",
                    number=number,
                ),
                field="draw",
                code="invalid_draw_line",
            )
        rule: dict[str, Any] = {"topic": parts[0], "count": int(parts[1])}
        if len(parts) == 3:
            rule["difficulty"] = int(parts[2])
        rules.append(rule)
    return rules


def review_contradiction(settings: dict[str, Any]) -> str | None:
    """Why the review setting can never take effect with these attempts and dates, if so.

    Answers are never shown while a student can still attempt the quiz, so a review
    setting that promises them needs the attempts to run out or the quiz to close.
    """
    review = settings.get("review", "after_submit")
    if review == ReviewPolicy.NEVER:
        return None
    if settings.get("close_date") is not None:
        return None
    if review == ReviewPolicy.AFTER_CLOSE:
        return str(
            _l("Answers would never be shown: set a close date, or choose another review setting.")
        )
    if settings.get("attempts") is None:
        return str(
            _l(
                "With unlimited attempts and no close date, answers could never be shown: "
                "limit the attempts, set a close date, or choose “never”."
            )
        )
    return None


def review_notice(quiz: Quiz) -> str | None:
    """What students will see, where the review setting alone would suggest more."""
    if quiz.review == ReviewPolicy.NEVER:
        return None
    if quiz.max_attempts == 1:
        return None
    return str(
        _l(
            "Students see answers and feedback only after their last attempt or once the quiz "
            "closes, and only once their marks are released; never between attempts."
        )
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def update_quiz_settings(
    lesson: Any,
    *,
    question_files: list[str],
    draw: list[dict[str, Any]],
    pass_mark: float,
    time_limit_minutes: int | None,
    attempts: int | None,
    grade_kept: str,
    shuffle_questions: bool,
    shuffle_options: bool,
    review: str,
    open_date: datetime | None,
    close_date: datetime | None,
    weight: float,
    is_anonymous_marking: bool,
) -> Quiz:
    """Create or change the quiz of a quiz lesson; nothing changes if a rule is broken."""
    course = lesson.course
    settings: dict[str, Any] = {
        "questions": question_files,
        "draw": draw,
        "pass_mark": int(pass_mark) if float(pass_mark).is_integer() else pass_mark,
        "grade_kept": grade_kept,
        "shuffle_questions": shuffle_questions,
        "shuffle_options": shuffle_options,
        "review": review,
    }
    for key, value in (
        ("time_limit_minutes", time_limit_minutes),
        ("attempts", attempts),
        ("open_date", _utc(open_date)),
        ("close_date", _utc(close_date)),
    ):
        if value is not None:
            settings[key] = value
    files = bank_files(course)
    unknown = [path for path in question_files if path not in files]
    if unknown:
        raise OperationError(
            _l("Choose question files of this course's bank."),
            field="question_files",
            code="question_file_unknown",
        )
    problems = check_quiz_settings(settings, bank_topics(course))
    contradiction = review_contradiction(settings)
    if contradiction and not problems:
        raise OperationError(contradiction, field="review", code="review_contradiction")
    if problems:
        field = next((f for marker, f in PROBLEM_FIELDS.items() if marker in problems[0]), None)
        raise OperationError("; ".join(problems), field=field, code="invalid_settings")
    if weight < 0:
        raise OperationError(
            _l("The weight cannot be negative."), field="weight", code="negative_weight"
        )
    quiz = quiz_for_lesson(lesson)
    if quiz is None:
        organisation = course.lead_organisation
        if organisation is None:
            raise OperationError(
                _l("Add a partner organisation to the course first: it owns the question bank."),
                code="no_partner_organisation",
            )
        bank = operations.get_or_create_bank(organisation, course.slug[:64], course.title)
        title = lesson.published_revision.title if lesson.published_revision else lesson.slug
        quiz = Quiz(lesson_id=lesson.id, bank=bank, title=title)
        quiz.title_zh = lesson.published_revision.title_zh if lesson.published_revision else ""
        db.session.add(quiz)
    apply_quiz_settings(quiz, settings, files)
    quiz.weight = weight
    quiz.is_anonymous_marking = is_anonymous_marking
    lesson.settings = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in settings.items()
        if not (key in ("questions", "draw") and not value)
    }
    db.session.flush()
    return quiz
