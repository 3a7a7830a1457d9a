"""Factories for courses with modules, lessons and published revisions."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from academy.catalog import operations
from academy.catalog.models import Course, LessonKind, TeamRole
from academy.db import db

_numbers = itertools.count(1)


@pytest.fixture
def create_course(app, create_user):
    """A listed course with one module and ``lessons`` published reading lessons.

    ``team`` maps TeamRole to users; an owner is created if none is given.
    """

    def factory(
        lessons: int = 3, team: dict[TeamRole, Any] | None = None, **overrides: Any
    ) -> Course:
        number = next(_numbers)
        team = dict(team or {})
        owner = team.pop(TeamRole.OWNER, None) or create_user()
        with app.app_context(), db.unit_of_work():
            owner = db.session.merge(owner)
            course = operations.create_course(
                owner,
                slug=overrides.pop("slug", f"course-{number}"),
                title=overrides.pop("title", f"Course {number}"),
            )
            for role, user in team.items():
                operations.set_team_member(course, db.session.merge(user), role)
            module = operations.add_module(course, slug="basics", title="Basics")
            course.allow_self_approval = True  # the owner publishes the first versions
            for index in range(1, lessons + 1):
                lesson = operations.add_lesson(
                    module,
                    owner,
                    slug=f"lesson-{index}",
                    title=f"Lesson {index}",
                    kind=LessonKind.READING,
                )
                draft = operations.save_draft(
                    lesson,
                    owner,
                    title=f"Lesson {index}",
                    title_zh=f"第 {index} 课",
                    body=f"Body of lesson {index}.\n",
                    body_zh="",
                    message="first version",
                )
                operations.propose_revision(draft, owner)
                operations.approve_revision(draft, owner)
            course.allow_self_approval = overrides.pop("allow_self_approval", False)
            course.is_listed = overrides.pop("is_listed", True)
            for name, value in overrides.items():
                setattr(course, name, value)
            db.session.flush()
            _ = [(lesson.slug, lesson.published_revision_id) for lesson in course.lessons]
            return course

    return factory
