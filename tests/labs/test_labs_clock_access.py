"""Role × route matrix of the class-market schedule and late-joiner routes (tests/access.py).

The same world as the teachers' matrix: the class's teacher, its org admin and site
admins may set a market's schedule and add firms for late joiners; every other role is
refused. A teacher of another class is checked in test_labs_teacher_pages.
"""

from __future__ import annotations

import pytest

from tests.access import ALL, Route, check_access, route
from tests.conftest import login_as
from tests.labs.test_labs_teacher_access import MARKET, TEACHES
from tests.labs.test_labs_teacher_access import world as world  # the shared fixture

EXPECTED: dict[str, Route] = {
    "labs.schedule_class_market": route("POST", MARKET + "/schedule", TEACHES),
    "labs.add_class_market_firms": route("POST", MARKET + "/add-firms", TEACHES),
}

CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
