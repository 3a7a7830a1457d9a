"""A course package with a quiz lesson, imported for real, and a class taking it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from academy.assessment.models import Quiz
from academy.auth.models import Role
from academy.catalog.models import Lesson
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db
from academy.learning import operations as learning

SAMPLE = Path(__file__).with_name("sample_questions.toml")
_numbers = itertools.count(1)

QUIZ_LESSON = """\
+++
title = "Check: terms and documents"
kind = "quiz"
questions = ["questions/sample.toml"]
{extra}
+++

Answer every question.
"""


def write_package(root: Path, slug: str, org: str, quiz_settings: str) -> Path:
    course = root / slug
    (course / "questions").mkdir(parents=True)
    (course / "01-basics").mkdir()
    (course / "course.toml").write_text(
        f'slug = "{slug}"\ntitle = "Course {slug}"\nsummary = "A test course."\n'
        'level = "introductory"\n\n[[partners]]\n'
        f'slug = "{org}"\nname = "College {org}"\nkind = "school"\nrole = "lead"\n',
        encoding="utf-8",
    )
    (course / "01-basics" / "module.toml").write_text('title = "Basics"\n', encoding="utf-8")
    (course / "01-basics" / "01-check.md").write_text(
        QUIZ_LESSON.format(extra=quiz_settings), encoding="utf-8"
    )
    (course / "questions" / "sample.toml").write_text(
        SAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return course


@dataclass
class QuizWorld:
    quiz_id: int
    lesson_id: int
    course_id: int
    class_id: int
    package: Path
    student: Any
    other_student: Any
    teacher: Any


@pytest.fixture
def make_quiz_world(app, tmp_path, create_user):
    def factory(quiz_settings: str = "time_limit_minutes = 20\nattempts = 2") -> QuizWorld:
        number = next(_numbers)
        slug, org = f"quiz-course-{number}", f"quiz-college-{number}"
        package_root = write_package(tmp_path / f"p{number}", slug, org, quiz_settings)
        with app.app_context(), db.unit_of_work():
            package, problems = read_package(package_root)
            assert problems == [], problems
            course = import_package(package).course
            course.is_listed = True
            course_id = course.id
        with app.app_context():
            from academy.auth.queries import get_organisation_by_slug

            organisation = get_organisation_by_slug(org)
        teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
        student = create_user(roles=[Role.STUDENT], organisation=organisation)
        other = create_user(roles=[Role.STUDENT], organisation=organisation)
        with app.app_context(), db.unit_of_work():
            from academy.catalog.models import Course

            course = db.session.get(Course, course_id)
            school_class = learning.create_class(
                course, db.session.merge(teacher), "Class A", organisation=course.lead_organisation
            )
            for user in (student, other):
                learning.enroll(db.session.merge(user), course, school_class)
            lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course_id))
            quiz = db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == lesson.id))
            return QuizWorld(
                quiz.id,
                lesson.id,
                course_id,
                school_class.id,
                package_root,
                student,
                other,
                teacher,
            )

    return factory
