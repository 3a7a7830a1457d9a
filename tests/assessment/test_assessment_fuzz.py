"""Fuzzing the assessment POST routes (issue 10) in their access-matrix world.

Banks, questions, quiz settings, marking, release, regrade and the gradebook import are
posted by the staff member the matrix lets through its object rules; starting, taking,
saving, submitting and disputing an attempt by the student whose attempt it is. Junk
from ``tests/fuzzing.py``: never a 500, every view reached past its access checks,
nothing stored with a NUL byte.
"""

from __future__ import annotations

from tests.assessment.test_assessment_access import (  # noqa: F401 (the matrix's fixture)
    EXPECTED,
    OBJECT_ALLOWED,
    world,
)
from tests.fuzzing import fuzz_matrix

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_assessment_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811
    no_csrf,
):
    # The attempt is submitted first, so that its essay can be marked.
    fuzz_matrix(app, EXPECTED, world, who=OBJECT_ALLOWED, first=("assessment.submit_attempt",))
