"""Role × route matrix of the catalogue and authoring pages (see tests/access.py).

The course is listed; its team is the TEACHER (owner), the MENTOR (co-author) and the
EXAMINER (reviewer). Authoring pages are for the team only, so the org admin, who may
author courses in general, is refused this one.
"""

from __future__ import annotations

import pytest

from academy.auth.models import Role
from academy.catalog import operations
from academy.catalog.models import Course, TeamRole
from academy.db import db
from tests.access import (
    ALL,
    ANON,
    EXAMINER,
    LOGGED_IN,
    MENTOR,
    NO_ROLE,
    ORG_ADMIN,
    SITE_ADMIN,
    STUDENT,
    TEACHER,
    Route,
    check_access,
    route,
)
from tests.conftest import login_as

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

AUTHORS = {TEACHER, MENTOR, ORG_ADMIN, SITE_ADMIN}
TEAM = {TEACHER, MENTOR, EXAMINER, SITE_ADMIN}
EDITORS = {TEACHER, MENTOR, SITE_ADMIN}
REVIEWERS = {TEACHER, EXAMINER, SITE_ADMIN}
OWNERS = {TEACHER, SITE_ADMIN}
COURSE = "/courses/{course}"
AUTHORING = "/authoring/courses/{course}"
LESSON = AUTHORING + "/lessons/lesson-1"

EXPECTED: dict[str, Route] = {
    "catalog.list_courses": route("GET", "/courses", ALL),
    "catalog.show_course": route("GET", COURSE, ALL),
    "catalog.course_asset": route("GET", COURSE + "/assets/{asset}", ALL),
    "catalog.enroll": route("POST", COURSE + "/enroll", LOGGED_IN),
    "catalog.show_lesson": route("GET", COURSE + "/lessons/lesson-1", LOGGED_IN),
    "catalog.complete_lesson": route("POST", COURSE + "/lessons/lesson-1/complete", LOGGED_IN),
    "catalog.submit_assignment": route("POST", COURSE + "/lessons/lesson-1/submission", LOGGED_IN),
    "catalog.authoring_home": route("GET", "/authoring", AUTHORS),
    "catalog.create_course": route("POST", "/authoring/courses", AUTHORS),
    "catalog.preview_markdown": route("POST", "/authoring/preview", AUTHORS),
    "catalog.edit_course": route("GET", AUTHORING, TEAM),
    "catalog.add_team_member": route("POST", AUTHORING + "/team", OWNERS),
    "catalog.remove_team_member": route("POST", AUTHORING + "/team/{member}/remove", OWNERS),
    "catalog.add_partner": route("POST", AUTHORING + "/partners", OWNERS),
    "catalog.add_module": route("POST", AUTHORING + "/modules", OWNERS),
    "catalog.edit_module": route("GET", AUTHORING + "/modules/basics", OWNERS),
    "catalog.add_lesson": route("POST", AUTHORING + "/lessons", EDITORS),
    "catalog.upload_asset": route("POST", AUTHORING + "/assets", EDITORS),
    "catalog.edit_lesson": route("GET", LESSON + "/edit", EDITORS),
    "catalog.lesson_settings": route("POST", LESSON + "/settings", OWNERS),
    "catalog.lesson_history": route("GET", LESSON + "/history", TEAM),
    "catalog.show_revision": route("GET", LESSON + "/revisions/{revision}", TEAM),
    "catalog.compare_revisions": route(
        "GET", LESSON + "/compare?from={revision}&to={revision}", TEAM
    ),
    "catalog.review_revision": route("GET", LESSON + "/revisions/{revision}/review", REVIEWERS),
    "catalog.restore_revision": route("POST", LESSON + "/revisions/{revision}/restore", TEAM),
    "catalog.withdraw_revision": route("POST", LESSON + "/revisions/{revision}/withdraw", TEAM),
}


@pytest.fixture
def world(app, create_organisation, create_user, create_course):
    organisation = create_organisation()
    users = {ANON: None, NO_ROLE: create_user()}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=organisation)
    users[SITE_ADMIN] = create_user(is_site_admin=True)
    course = create_course(
        lessons=2,
        team={
            TeamRole.OWNER: users[TEACHER],
            TeamRole.CO_AUTHOR: users[MENTOR],
            TeamRole.REVIEWER: users[EXAMINER],
        },
    )
    with app.app_context(), db.unit_of_work():
        course = db.session.get(Course, course.id)
        asset = operations.upload_asset(
            course, db.session.merge(users[TEACHER]), "map.png", "image/png", PNG
        )
        member = next(m for m in course.team if m.role == TeamRole.CO_AUTHOR)
        values = {
            "course": course.slug,
            "asset": asset.filename,
            "member": member.id,
            "revision": course.lessons[0].published_revision.number,
        }
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)


def test_unlisted_course_is_invisible_outside_its_team(app, client, create_user, create_course):
    outsider = create_user(roles=[Role.STUDENT])
    course = create_course(is_listed=False)
    login_as(client, outsider)
    assert client.get(f"/courses/{course.slug}").status_code == 404
    assert client.get(f"/courses/{course.slug}/lessons/lesson-1").status_code == 404
    assert course.slug not in client.get("/courses").get_data(as_text=True)
