"""Factories for the learning tests: courses with published lessons, classes, actions.

Courses are built from the models directly (the catalogue's authoring operations are
not needed here): a module, and lessons that each have a published revision.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from academy.auth.models import Organisation, User
from academy.catalog.models import (
    Course,
    Lesson,
    LessonKind,
    LessonRevision,
    Module,
    RevisionStatus,
)
from academy.db import db, utcnow
from academy.learning import operations
from academy.learning.models import SchoolClass

_numbers = itertools.count(1)


@dataclass(frozen=True)
class BuiltCourse:
    id: int
    slug: str
    title: str
    lesson_ids: list[int]
    lesson_titles: list[str]


@pytest.fixture
def create_course(app: Flask) -> Callable[..., BuiltCourse]:
    """``create_course(lessons=3, kinds={2: LessonKind.ASSIGNMENT}, optional={1})``."""

    def factory(
        lessons: int = 3,
        kinds: dict[int, LessonKind] | None = None,
        optional: set[int] | frozenset[int] = frozenset(),
        settings: dict[int, dict[str, Any]] | None = None,
        **overrides: Any,
    ) -> BuiltCourse:
        number = next(_numbers)
        values = {
            "slug": f"course-{number}",
            "title": f"Export Course {number}",
            "title_zh": f"出口课程 {number}",
            "is_listed": True,
            "is_open": True,
        }
        values.update(overrides)
        with app.app_context(), db.unit_of_work():
            course = Course(**values)
            module = Module(course=course, slug="module-1", title="Module one", position=1)
            db.session.add_all([course, module])
            titles = []
            for index in range(lessons):
                lesson = Lesson(
                    course=course,
                    module=module,
                    slug=f"lesson-{index + 1}",
                    position=index + 1,
                    kind=(kinds or {}).get(index, LessonKind.READING),
                    is_required=index not in optional,
                    settings=(settings or {}).get(index, {}),
                )
                title = f"Lesson {index + 1} of course {number}"
                revision = LessonRevision(
                    lesson=lesson,
                    number=1,
                    status=RevisionStatus.PUBLISHED,
                    title=title,
                    title_zh=f"课时 {index + 1}",
                    body="Body",
                    published_dt=utcnow(),
                )
                db.session.add_all([lesson, revision])
                db.session.flush()
                lesson.published_revision = revision
                titles.append(title)
            db.session.flush()
            return BuiltCourse(
                course.id,
                course.slug,
                course.title,
                [lesson.id for lesson in course.lessons],
                titles,
            )

    return factory


@pytest.fixture
def act(app: Flask):
    """Run ``func`` in a request context as one committed unit of work."""

    def run(func: Callable[[], Any]) -> Any:
        with app.test_request_context(), db.unit_of_work():
            return func()

    return run


def get(model: type, ident: int) -> Any:
    return db.session.get(model, ident)


@pytest.fixture
def create_class(act) -> Callable[..., SchoolClass]:
    def factory(
        course: BuiltCourse,
        teacher: User,
        organisation: Organisation | None = None,
        name: str = "Class 1",
        term: str = "Autumn 2025",
    ) -> SchoolClass:
        def build() -> SchoolClass:
            school_class = operations.create_class(
                get(Course, course.id),
                get(User, teacher.id),
                name,
                term,
                organisation=get(Organisation, organisation.id) if organisation else None,
            )
            _ = school_class.course.title
            return school_class

        return act(build)

    return factory


@pytest.fixture
def join(act) -> Callable[[User, SchoolClass], None]:
    def joiner(student: User, school_class: SchoolClass) -> None:
        act(lambda: operations.join_class(get(User, student.id), school_class.join_code))

    return joiner


@pytest.fixture
def complete(act) -> Callable[[User, int], None]:
    def completer(student: User, lesson_id: int) -> None:
        def run() -> None:
            user, lesson = get(User, student.id), get(Lesson, lesson_id)
            operations.record_lesson_view(user, lesson)
            operations.complete_lesson(user, lesson)

        act(run)

    return completer


@pytest.fixture
def view(act) -> Callable[[User, int], None]:
    def viewer(student: User, lesson_id: int) -> None:
        act(lambda: operations.record_lesson_view(get(User, student.id), get(Lesson, lesson_id)))

    return viewer
