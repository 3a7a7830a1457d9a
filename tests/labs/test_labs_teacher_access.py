"""Role × route matrix of the teachers' class-market pages (see tests/access.py).

The class belongs to the organisation every kind of user is a member of and is taught
by that organisation's teacher: its org admin and site admins may run its markets too,
every other role is refused (the student of the matrix is a member of the school but
does not teach). A teacher of another class is checked in test_labs_teacher_pages.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pytest
from flask import Flask

from academy.auth.models import Organisation, Role, User
from academy.catalog.models import Course
from academy.db import db
from academy.labs import teaching
from academy.learning import operations
from academy.learning.models import SchoolClass
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

CLASS = "/sandbox/teach/classes/{school_class}/markets"
MARKET = "/sandbox/teach/markets/{market}"
TEACHES = {TEACHER, ORG_ADMIN, SITE_ADMIN}

EXPECTED: dict[str, Route] = {
    "labs.list_class_markets": route("GET", CLASS, TEACHES),
    "labs.create_class_market": route("POST", CLASS, TEACHES),
    "labs.show_class_market": route("GET", MARKET, TEACHES),
    "labs.advance_class_market": route("POST", MARKET + "/advance", TEACHES),
    "labs.pause_class_market": route("POST", MARKET + "/pause", TEACHES),
    "labs.resume_class_market": route("POST", MARKET + "/resume", TEACHES),
    "labs.finish_class_market": route("POST", MARKET + "/finish", TEACHES),
    "labs.export_class_market_results": route("GET", MARKET + "/results.csv", TEACHES),
    "labs.show_class_market_firm": route("GET", MARKET + "/firms/{firm}", TEACHES),
    "labs.debrief_class_market_firm": route("GET", MARKET + "/firms/{firm}/debrief", TEACHES),
    "labs.add_class_market_member": route("POST", MARKET + "/firms/{firm}/members", TEACHES),
}

SMALL_WORLD = {"scenario": "exam_standard", "seed": 2019, "buyers": 20}

_numbers = itertools.count(1)


def build_class(
    app: Flask,
    teacher: User,
    organisation: Organisation | None,
    students: Sequence[User] = (),
) -> SchoolClass:
    """A class of a bare course taught by ``teacher``, joined by ``students``."""
    number = next(_numbers)
    with app.test_request_context(), db.unit_of_work():
        course = Course(
            slug=f"market-course-{number}",
            title=f"Market course {number}",
            title_zh=f"沙盘课程 {number}",
            is_listed=True,
            is_open=True,
        )
        db.session.add(course)
        db.session.flush()
        school_class = operations.create_class(
            course,
            db.session.get(User, teacher.id),
            f"Class {number}",
            organisation=db.session.get(Organisation, organisation.id) if organisation else None,
        )
        for student in students:
            operations.join_class(db.session.get(User, student.id), school_class.join_code)
        _ = school_class.join_code
        return school_class


def build_market(app: Flask, school_class: SchoolClass, teacher: User, **overrides: Any):
    """A class market in the small exam world; ``**overrides`` for create_class_market."""
    values: dict[str, Any] = {**SMALL_WORLD, **overrides}
    with app.test_request_context(), db.unit_of_work():
        market = teaching.create_class_market(
            db.session.get(SchoolClass, school_class.id),
            db.session.get(User, teacher.id),
            **values,
        )
        _ = [firm.firm_id for firm in market.firms]
        return market


@pytest.fixture
def world(app, create_organisation, create_user) -> tuple[dict[str, Any], dict[str, Any]]:
    organisation = create_organisation()
    users: dict[str, Any] = {ANON: None, NO_ROLE: create_user()}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=organisation)
    users[SITE_ADMIN] = create_user(is_site_admin=True)
    school_class = build_class(app, users[TEACHER], organisation, [create_user()])
    market = build_market(app, school_class, users[TEACHER], bot_count=1)
    student_firm = next(firm.firm_id for firm in market.firms if firm.user_id is not None)
    values = {"school_class": school_class.id, "market": market.id, "firm": student_firm}
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
