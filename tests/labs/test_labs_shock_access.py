"""Role × route matrix of injecting events into a class market (see tests/access.py).

Only those who may run the class's markets (its teacher, its school's admins and site
admins) may inject an event; the class's students and everyone else are refused.
"""

from __future__ import annotations

import pytest

from tests.access import (
    ALL,
    ORG_ADMIN,
    SITE_ADMIN,
    TEACHER,
    Route,
    check_access,
    route,
)
from tests.conftest import login_as
from tests.labs.test_labs_teacher_access import MARKET
from tests.labs.test_labs_teacher_access import world as world

EXPECTED: dict[str, Route] = {
    "labs.inject_class_market_shock": route(
        "POST", MARKET + "/shocks", {TEACHER, ORG_ADMIN, SITE_ADMIN}
    ),
}

CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
