"""Fuzzing the catalogue's POST routes (issue 10): enrolling, lessons, authoring, review.

Each route is posted in its access-matrix world (``test_catalog_access.py``: a course
with a module, two published lessons, an owner, a co-author and a reviewer) by a user it
lets in, with the junk of ``tests/fuzzing.py``: never a 500, every view reached past its
access checks, nothing stored with a NUL byte.
"""

from __future__ import annotations

import pytest

from academy.auth.models import Role
from academy.catalog.models import Course, Lesson, TeamRole
from academy.db import db
from tests.catalog.test_catalog_access import EXPECTED, world  # noqa: F401
from tests.conftest import login_as
from tests.fuzzing import fuzz_matrix

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_catalog_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811 (the matrix's fixture)
    no_csrf,
):
    fuzz_matrix(app, EXPECTED, world, first=("catalog.enroll",))


@pytest.mark.parametrize("minutes", ["9" * 400, "99999999999999999999", "2147483648", "-1e3"])
def test_a_huge_number_of_minutes_is_an_error_on_the_field_and_adds_no_lesson(
    app, client, create_user, create_course, count_rows, no_csrf, minutes
):
    # Found by the fuzz test: 400 nines reached NumberRange, whose NaN check overflowed.
    owner = create_user(roles=[Role.TEACHER])
    course = create_course(lessons=1, team={TeamRole.OWNER: owner})
    with app.app_context():
        module_id = db.session.get(Course, course.id).modules[0].id
    login_as(client, owner)
    before = count_rows(Lesson)
    response = client.post(
        f"/authoring/courses/{course.slug}/lessons",
        data={
            "module": module_id,
            "slug": "huge",
            "title": "Huge",
            "kind": "reading",
            "duration_minutes": minutes,
        },
    )
    assert response.status_code == 400
    assert count_rows(Lesson) == before
