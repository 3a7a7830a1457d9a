"""Fuzzing the assessment POST routes (issue 10) in their access-matrix world.

Banks, questions, quiz settings, marking, release, regrade and the gradebook import are
posted by the staff member the matrix lets through its object rules; starting, taking,
saving, submitting and disputing an attempt by the student whose attempt it is. Junk
from ``tests/fuzzing.py``: never a 500, every view reached past its access checks,
nothing stored with a NUL byte.
"""

from __future__ import annotations

import pytest

from tests.access import STUDENT, TEACHER
from tests.assessment.test_assessment_access import (  # noqa: F401 (the matrix's fixture)
    EXPECTED,
    OBJECT_ALLOWED,
    world,
)
from tests.conftest import login_as
from tests.fuzzing import fuzz_matrix

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_assessment_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811
    no_csrf,
):
    # The attempt is submitted first, so that its essay can be marked.
    fuzz_matrix(app, EXPECTED, world, who=OBJECT_ALLOWED, first=("assessment.submit_attempt",))


@pytest.mark.parametrize("number", ["99999999999999999999", "9" * 400, "-9223372036854775809"])
def test_huge_numbers_in_query_strings_are_ignored_not_a_500(
    app,
    world,  # noqa: F811
    number,
):
    # ?difficulty= reached the bank's query and overflowed it (SQLite: OverflowError).
    users, values = world
    student, teacher = app.test_client(), app.test_client()
    login_as(student, users[STUDENT])
    login_as(teacher, users[TEACHER])
    attempt = student.get(f"/assessment/attempts/{values['attempt']}?page={number}")
    assert attempt.status_code == 200
    bank = teacher.get(f"/assessment/banks/{values['bank']}?difficulty={number}")
    assert bank.status_code == 200
    question = teacher.get(f"/assessment/questions/{values['question']}?version={number}")
    assert question.status_code in (200, 404)
