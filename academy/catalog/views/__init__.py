"""The catalog blueprint: authoring and review; learning adds the learner's pages to it."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import can, require
from academy.catalog import queries
from academy.catalog.models import Course, Lesson, LessonRevision
from academy.navigation import register_nav_item

bp = Blueprint("catalog", __name__, template_folder="../templates")

register_nav_item("catalog.list_courses", _l("Courses"), lambda user: True, order=15)
register_nav_item(
    "catalog.authoring_home",
    _l("Authoring"),
    lambda user: (
        user.is_authenticated
        and (user.is_site_admin or user.has_role(Role.TEACHER, Role.MENTOR, Role.ORG_ADMIN))
    ),
    order=40,
)


def course_is_visible(course: Course) -> bool:
    return course.is_listed or (
        current_user.is_authenticated and can(current_user, "course.view", course)
    )


def get_course_or_404(slug: str, require_action: str | None = None) -> Course:
    """The course named ``slug``; unlisted courses look absent to anyone outside the team."""
    course = queries.get_course_by_slug(slug)
    if course is None or not course_is_visible(course):
        abort(404)
    if require_action:
        require(can(current_user, require_action, course))
    return course


def get_lesson_or_404(course: Course, lesson_slug: str) -> Lesson:
    lesson = queries.get_lesson(course, lesson_slug)
    if lesson is None:
        abort(404)
    return lesson


def asset_resolver(course: Course):
    def resolve(path: str) -> str:
        return url_for(
            "catalog.course_asset", slug=course.slug, filename=path.removeprefix("images/")
        )

    return resolve


def get_revision_or_404(lesson: Lesson, number: int) -> LessonRevision:
    revision = queries.get_revision(lesson, number)
    if revision is None:
        abort(404)
    return revision


from academy.catalog.views import authoring, review  # noqa: E402, F401  (routes)
