"""Fuzzing the learning POST routes (issue 10): classes, joining, grading a submission.

Each route is posted in its access-matrix world (``test_learning_access.py``) by a user
it lets in, with the junk of ``tests/fuzzing.py``: never a 500, every view reached
past its access checks, nothing stored with a NUL byte.
"""

from __future__ import annotations

from tests.access import TEACHER
from tests.conftest import login_as
from tests.fuzzing import fuzz_matrix
from tests.learning.test_learning_access import EXPECTED, world  # noqa: F401

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_learning_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811 (the matrix's fixture)
    no_csrf,
):
    fuzz_matrix(app, EXPECTED, world)


def test_a_huge_lesson_number_in_the_submissions_filter_is_ignored(
    app,
    world,  # noqa: F811
):
    # ?lesson= reached the submissions query and overflowed it (SQLite: OverflowError).
    users, values = world
    client = app.test_client()
    login_as(client, users[TEACHER])
    path = f"/teaching/classes/{values['school_class']}/submissions?lesson=" + "9" * 30
    assert client.get(path).status_code == 200
