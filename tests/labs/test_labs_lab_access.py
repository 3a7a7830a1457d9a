"""Role × route matrix of the lab lesson routes (see tests/access.py).

Only a student enrolled in the lab's course may start or check the lab, and only the
owner of a private lab may move its clock; everyone else (staff and site admins
included) is refused: a lab is the student's own work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from academy.auth.models import Role
from academy.catalog import queries as catalog_queries
from academy.catalog.models import Lesson
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db
from academy.labs import lessons
from academy.learning import operations as learning
from tests.access import (
    ALL,
    ANON,
    EXAMINER,
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

COURSES = Path(__file__).resolve().parents[2] / "courses"
LAB = "/sandbox/courses/trade-terms-pricing/lessons/quote-lab/lab"

EXPECTED: dict[str, Route] = {
    "labs.start_lab": route("POST", LAB + "/start", {STUDENT}),
    "labs.check_lab": route("POST", LAB + "/check", {STUDENT}),
    "labs.advance_lab_clock": route("POST", "/sandbox/markets/{market}/firm/clock", {STUDENT}),
}


@pytest.fixture
def world(app, act, create_organisation, create_user):
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

    def setup() -> int:
        package, problems = read_package(COURSES / "trade-terms-pricing")
        assert not problems, problems
        import_package(package)
        course = catalog_queries.get_course_by_slug("trade-terms-pricing")
        student = db.session.merge(users[STUDENT])
        learning.enroll(student, course)
        lesson = catalog_queries.get_lesson(course, "quote-lab")
        return lessons.start_lab(student, db.session.get(Lesson, lesson.id)).id

    return users, {"market": act(setup)}


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
