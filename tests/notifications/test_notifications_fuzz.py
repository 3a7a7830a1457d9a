"""Fuzzing the notification POST routes (issue 10) as a logged-in user: never a 500."""

from __future__ import annotations

from tests.fuzzing import fuzz_matrix
from tests.notifications.test_notifications_access import EXPECTED, users  # noqa: F401

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_notification_post_route_answers_500_to_junk(
    app,
    users,  # noqa: F811 (the matrix's fixture)
    no_csrf,
):
    fuzz_matrix(app, EXPECTED, (users, {}), examples=15)
