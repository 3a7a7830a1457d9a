"""Role × route matrix of the learning pages (see tests/access.py).

The class belongs to the organisation every kind of user is a member of, and is taught
by that organisation's teacher: its org admin may open it too, every other role is
refused. A teacher who does not teach the class is checked in test_learning_classes.
"""

from __future__ import annotations

import pytest

from academy.auth.models import Role, User
from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.learning import operations
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

CLASS = "/teaching/classes/{school_class}"
TEACHES = {TEACHER, ORG_ADMIN, SITE_ADMIN}

EXPECTED: dict[str, Route] = {
    "learning.dashboard": route("GET", "/learning", LOGGED_IN),
    "learning.join_class": route("POST", "/learning/join", LOGGED_IN),
    "learning.list_classes": route("GET", "/teaching/classes", TEACHES),
    "learning.create_class": route("POST", "/teaching/classes", {TEACHER, SITE_ADMIN}),
    "learning.show_class": route("GET", CLASS, TEACHES),
    "learning.export_class_progress": route("GET", CLASS + "/progress.csv", TEACHES),
    "learning.archive_class": route("POST", CLASS + "/archive", TEACHES),
    "learning.restore_class": route("POST", CLASS + "/restore", TEACHES),
    "learning.list_submissions": route("GET", CLASS + "/submissions", TEACHES),
    "learning.grade_submission": route("POST", CLASS + "/submissions/{submission}/grade", TEACHES),
    "learning.download_submission": route("GET", CLASS + "/submissions/{submission}/file", TEACHES),
}


@pytest.fixture
def world(app, act, create_organisation, create_user, create_course, create_class, join):
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
        kinds={1: LessonKind.ASSIGNMENT},
        settings={1: {"submission": "file", "max_points": 20}},
    )
    school_class = create_class(course, users[TEACHER], organisation)
    learner = create_user()
    join(learner, school_class)

    def submit():
        return operations.submit_assignment(
            db.session.get(User, learner.id),
            db.session.get(Lesson, course.lesson_ids[1]),
            file_name="plan.pdf",
            file_type="application/pdf",
            file_data=b"%PDF-1.4 plan",
        ).id

    values = {"school_class": school_class.id, "submission": act(submit)}
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
