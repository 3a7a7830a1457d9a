"""Fuzzing the foundation's POST routes (issue 10): accounts, two-factor, organisations, admin.

Every POST endpoint of the foundation's access matrix (``tests/test_access_matrix.py``)
is posted, in that matrix's world, by a user it lets in (anonymous for the public
forms), with junk from ``tests/fuzzing.py``: never a 500, every view reached past its
access checks, nothing stored with a NUL byte. The second step of a login is posted by
a client that has just given the password of an account with two-factor turned on; a
reset link and an invitation link are real ones.
"""

from __future__ import annotations

import re

from academy import mail
from academy.auth import operations
from academy.auth.models import Role, User
from academy.auth.resets import send_reset_link
from academy.auth.tokens import sign_token
from academy.db import db
from tests.access import NO_ROLE, SITE_ADMIN, TEACHER
from tests.auth.test_two_factor import enrol
from tests.conftest import DEFAULT_PASSWORD
from tests.fuzzing import (
    NAMES,
    assert_reached,
    fuzz_plan,
    fuzz_queries,
    matrix_plan,
    post_endpoints,
    stored_text_with,
)
from tests.test_access_matrix import EXPECTED, world  # noqa: F401 (the matrix's fixture)

#: Endpoints of the matrix; the POST ones among them are fuzzed.
FUZZED_ENDPOINTS = frozenset(EXPECTED)

#: Whose answer to any post is to end the session (a bounce to the login page).
ENDS_SESSIONS = {
    "auth.logout": "logging out ends the session whatever the form holds",
    "auth.end_all_sessions": "ends every session of the account, this client's too",
}


def test_no_foundation_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811 (the fixture imported above)
    no_csrf,
    create_user,
    create_organisation,
    read,
):
    users, values = world
    plan = matrix_plan(
        app,
        EXPECTED,
        users,
        values,
        # Ending all sessions of the student would log out the student's other clients.
        who={"auth.end_all_sessions": NO_ROLE},
        # The site admin's removal takes the target's membership first.
        values_for={"orgs.remove_membership": {"membership": users[TEACHER].memberships[0].id}},
    )
    assert set(plan) == FUZZED_ENDPOINTS & post_endpoints(app)
    second = create_user(roles=[Role.TEACHER], organisation=create_organisation())
    enrol(app.test_client(), read, second)
    pending = app.test_client()
    answer = pending.post("/login", data={"email": second.email, "password": DEFAULT_PASSWORD})
    assert answer.headers["Location"] == "/login/two-factor"
    plan["auth.login_second_factor"] = (pending, "/login/two-factor")
    # A real reset link and a real invitation, so that their forms are checked (a made-up
    # token is refused before the form is read).
    forgetful = create_user()
    with app.test_request_context(), db.unit_of_work():
        send_reset_link(db.session.get(User, forgetful.id))
        invitation = operations.invite_member(
            db.session.get(User, second.id).memberships[0].organisation,
            "fuzz-invitee@example.test",
            Role.TEACHER,
            db.session.get(User, users[SITE_ADMIN].id),
        )
        invitation_path = f"/invitations/{sign_token('invitation', invitation.token_id)}"
    with app.app_context():
        bodies = " ".join(message.body for message in mail.outbox())
    reset_path = re.findall(r"http://localhost(/password/reset/\S+)", bodies)[-1]
    plan["auth.reset_password"] = (app.test_client(), reset_path)
    plan["auth.accept_invitation"] = (app.test_client(), invitation_path)

    statuses = fuzz_plan(app, plan, examples=40)

    assert_reached(statuses, allowed=ENDS_SESSIONS)
    fuzz_queries(app, matrix_plan(app, EXPECTED, users, values, method="GET"))
    assert stored_text_with(app) == []
    assert stored_text_with(app, ("\u202e",), NAMES) == []
