"""Who may do what with a course: the ``can(user, action, obj)`` rules of the catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

from academy.auth.models import Role
from academy.auth.permissions import rule
from academy.catalog.models import Course, Lesson, TeamRole

EDITING_ROLES = frozenset({TeamRole.OWNER, TeamRole.CO_AUTHOR})
REVIEWING_ROLES = frozenset({TeamRole.OWNER, TeamRole.REVIEWER})


@rule("course.view")
def can_view_course(user: Any, course: Course) -> bool:
    return course.is_listed or course.team_role(user) is not None


@rule("course.edit")
def can_edit_course(user: Any, course: Course) -> bool:
    """Write drafts and propose changes; mentors are co-authors of the courses they write."""
    return course.team_role(user) in EDITING_ROLES


@rule("course.review")
def can_review_course(user: Any, course: Course) -> bool:
    """Approve or send back proposed revisions, which publishes them."""
    return course.team_role(user) in REVIEWING_ROLES


@rule("course.manage")
def can_manage_course(user: Any, course: Course) -> bool:
    """Change the team, the partners and the course's settings and structure."""
    return course.team_role(user) == TeamRole.OWNER


@rule("course.create")
def can_create_course(user: Any, _obj: Any = None) -> bool:
    return user.has_role(Role.TEACHER, Role.MENTOR, Role.ORG_ADMIN)


@rule("lesson.view")
def can_view_lesson(user: Any, lesson: Lesson) -> bool:
    """See the lesson page; whether it is released yet is a separate question."""
    return can_view_course(user, lesson.course)


def is_released(lesson: Lesson, today: date) -> bool:
    dates = [d for d in (lesson.release_date, lesson.module.release_date) if d is not None]
    return all(d <= today for d in dates)
