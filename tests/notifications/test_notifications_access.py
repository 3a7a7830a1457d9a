"""Role × route matrix of the notification pages (see tests/access.py): everyone logged
in has their own notifications; anonymous visitors are sent to log in."""

from __future__ import annotations

import pytest

from academy.auth.models import Role
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

EXPECTED: dict[str, Route] = {
    "notifications.list_notifications": route("GET", "/notifications/", LOGGED_IN),
    "notifications.read_notifications": route("POST", "/notifications/read", LOGGED_IN),
    "notifications.choose_email": route("POST", "/notifications/email", LOGGED_IN),
}


@pytest.fixture
def users(create_organisation, create_user):
    organisation = create_organisation()
    people = {ANON: None, NO_ROLE: create_user(), SITE_ADMIN: create_user(is_site_admin=True)}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        people[name] = create_user(roles=[role], organisation=organisation)
    return people


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, users, no_csrf, endpoint, who):
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], {}, endpoint, who)
