"""Role × route matrix of a firm's FX desk, disputes, messages and the live clock.

The class market belongs to the organisation every kind of user is a member of; the
matrix's student is in the class and runs firm F001, the organisation's teacher
teaches the class. The firm's pages are the student's alone (everyone else gets 403,
as on the other firm pages). The clock is for the firm's student and whoever may
teach the class (its teacher, the school's org admin, site admins); anyone else gets
a 404 problem document, so the route does not reveal which markets exist.
"""

from __future__ import annotations

from typing import Any

import pytest

from academy.auth.models import Role
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
from tests.labs.test_labs_teacher_access import build_class, build_market

FIRM = "/sandbox/markets/{market}/firm"
CLOCK = "labs.market_clock"
WATCHES = {STUDENT, TEACHER, ORG_ADMIN, SITE_ADMIN}

EXPECTED: dict[str, Route] = {
    "labs.firm_fx": route("GET", FIRM + "/fx", {STUDENT}),
    "labs.firm_disputes": route("GET", FIRM + "/disputes", {STUDENT}),
    "labs.resolve_dispute": route("POST", FIRM + "/disputes/D000001/resolve", {STUDENT}),
    "labs.firm_messages": route("GET", FIRM + "/messages", {STUDENT}),
    CLOCK: route("GET", "/sandbox/markets/{market}/clock.json", WATCHES),
}


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
    school_class = build_class(app, users[TEACHER], organisation, [users[STUDENT]])
    market = build_market(app, school_class, users[TEACHER])
    return users, {"market": market.id}


FIRM_CASES = [
    (endpoint, who) for endpoint in sorted(EXPECTED) if endpoint != CLOCK for who in sorted(ALL)
]


@pytest.mark.parametrize(("endpoint", "who"), FIRM_CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)


@pytest.mark.parametrize("who", sorted(ALL))
def test_clock_access(app, world, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    response = client.get(EXPECTED[CLOCK].path.format(**values))
    if who in WATCHES:
        assert response.status_code == 200, who
        assert response.get_json()["market_id"] == values["market"]
    elif who == ANON:
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    else:
        assert response.status_code == 404, who
        assert response.mimetype == "application/problem+json"
        assert "sim_day" not in response.get_json()
