"""Role × route matrix of the students' firm pages (see tests/access.py).

The market has one firm, run by the matrix's student; every other kind of user
(teachers and admins included) is refused the firm's pages: a student's firm is
read only through its own view, and teachers have their own drill-down pages.
"""

from __future__ import annotations

import pytest

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.models import SandboxMarket
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

FIRM = "/sandbox/markets/{market}/firm"

EXPECTED: dict[str, Route] = {
    "labs.my_firms": route("GET", "/sandbox/firms", LOGGED_IN),
    "labs.firm_dashboard": route("GET", FIRM, {STUDENT}),
    "labs.firm_history": route("GET", FIRM + "/history", {STUDENT}),
    "labs.quote_rfq": route("GET", FIRM + "/rfqs/{rfq}/quote", {STUDENT}),
    "labs.negotiate_rfq": route("GET", FIRM + "/rfqs/{rfq}/negotiate", {STUDENT}),
    "labs.show_contract": route("GET", FIRM + "/contracts/C000001", {STUDENT}),
    "labs.insure_buyer": route("POST", FIRM + "/buyers/B000001/insure", {STUDENT}),
    "labs.answer_inquiry": route("POST", FIRM + "/inquiries/I0000001/answer", {STUDENT}),
}


@pytest.fixture
def world(app, act, create_organisation, create_user, make_market, add_student_firm):
    organisation = create_organisation()
    users = {ANON: None, NO_ROLE: create_user()}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=organisation)
    users[SITE_ADMIN] = create_user(is_site_admin=True)
    market = make_market(buyers=60)
    add_student_firm(market, user=users[STUDENT], products=("P01", "P05", "P18"))
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 4))

    def first_rfq():
        row = db.session.get(SandboxMarket, market.id)
        view = markets.open_market(row).firm_view("F001")
        return view["open_rfqs"][0]["rfq_id"]

    return users, {"market": market.id, "rfq": act(first_rfq)}


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)
