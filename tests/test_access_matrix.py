"""Role × route access matrix: the foundation's routes, and the check that covers all.

``EXPECTED`` states, for each endpoint, which kinds of user may use it; other domains
keep theirs in ``tests/<domain>/test_<domain>_access.py`` (see ``tests/access.py``).
The first test fails when a route is added without a row in one of these tables, so no
route can ship without a decision about who may reach it.
"""

from __future__ import annotations

import pytest

from academy.auth import operations
from academy.auth.models import Role
from academy.db import db
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
    all_expected,
    check_access,
    route,
)
from tests.conftest import login_as

EXPECTED: dict[str, Route] = {
    "main.index": route("GET", "/", ALL),
    "main.dashboard": route("GET", "/dashboard", LOGGED_IN),
    "main.healthz": route("GET", "/healthz", ALL),
    "observability.show_metrics": route("GET", "/metrics", ALL),  # loopback in tests
    "main.set_language": route("POST", "/language", ALL),
    "auth.login": route("GET", "/login", ALL),
    "auth.logout": route("POST", "/logout", ALL),
    "auth.register": route("GET", "/register", ALL),
    "auth.forgot_password": route("GET", "/password/forgot", ALL),
    "auth.reset_password": route("GET", "/password/reset/not-a-token", ALL),
    "auth.accept_invitation": route("GET", "/invitations/not-a-token", ALL),
    "auth.profile": route("GET", "/account", LOGGED_IN),
    "auth.change_password": route("POST", "/account/password", LOGGED_IN),
    "auth.end_all_sessions": route("POST", "/account/sessions/end", LOGGED_IN),
    # Exports: every user sees only their own (someone else's id is a 404).
    "exports.list_exports": route("GET", "/exports", LOGGED_IN),
    "exports.download": route("GET", "/exports/1/download", LOGGED_IN),
    "auth.login_second_factor": route("GET", "/login/two-factor", ALL),
    "auth.confirm_identity": route("GET", "/account/confirm", LOGGED_IN),
    "auth.show_two_factor": route("GET", "/account/two-factor", LOGGED_IN),
    "auth.begin_two_factor": route("POST", "/account/two-factor/setup", LOGGED_IN),
    "auth.enable_two_factor": route("POST", "/account/two-factor/enable", LOGGED_IN),
    "auth.disable_two_factor": route("POST", "/account/two-factor/disable", LOGGED_IN),
    "auth.renew_recovery_codes": route("POST", "/account/two-factor/recovery-codes", LOGGED_IN),
    "auth.verify_email": route("GET", "/account/verify/not-a-token", ALL),
    "auth.resend_verification": route("POST", "/account/verify", LOGGED_IN),
    "orgs.my_organisations": route("GET", "/organisations/", {ORG_ADMIN, SITE_ADMIN}),
    "orgs.show_organisation": route("GET", "/organisations/{org}", {ORG_ADMIN, SITE_ADMIN}),
    "orgs.show_audit_log": route("GET", "/organisations/{org}/audit", {ORG_ADMIN, SITE_ADMIN}),
    "orgs.export_audit_log": route(
        "GET", "/organisations/{org}/audit.csv", {ORG_ADMIN, SITE_ADMIN}
    ),
    "orgs.invite_member": route(
        "POST", "/organisations/{org}/invitations", {ORG_ADMIN, SITE_ADMIN}
    ),
    "orgs.revoke_invitation": route(
        "POST", "/organisations/{org}/invitations/{invitation}/revoke", {ORG_ADMIN, SITE_ADMIN}
    ),
    "orgs.remove_membership": route(
        "POST", "/organisations/{org}/memberships/{membership}/remove", {ORG_ADMIN, SITE_ADMIN}
    ),
    "admin.list_organisations": route("GET", "/admin/organisations", {SITE_ADMIN}),
    "admin.edit_organisation": route("GET", "/admin/organisations/{org_id}", {SITE_ADMIN}),
    "admin.list_users": route("GET", "/admin/users", {SITE_ADMIN}),
    "admin.deactivate_user": route("POST", "/admin/users/{user}/deactivate", {SITE_ADMIN}),
    "admin.reactivate_user": route("POST", "/admin/users/{user}/reactivate", {SITE_ADMIN}),
    "admin.remove_two_factor": route("POST", "/admin/users/{user}/two-factor/remove", {SITE_ADMIN}),
    "admin.send_password_reset": route("POST", "/admin/users/{user}/password-reset", {SITE_ADMIN}),
    "audit.list_events": route("GET", "/admin/audit/", {SITE_ADMIN}),
    "audit.export_events": route("GET", "/admin/audit/export.csv", {SITE_ADMIN}),
    "admin.edit_user": route("GET", "/admin/users/{user}", {SITE_ADMIN}),
    "admin.add_membership": route("POST", "/admin/users/{user}/memberships", {SITE_ADMIN}),
    "admin.remove_membership": route(
        "POST", "/admin/users/{user}/memberships/{membership}/remove", {SITE_ADMIN}
    ),
}


def test_every_route_is_in_the_matrix(app):
    expected = all_expected()
    registered = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert registered - expected.keys() == set(), "routes missing from the access matrix"
    assert expected.keys() - registered == set(), "matrix names routes that do not exist"


def test_every_route_method_is_in_the_matrix(app):
    expected = all_expected()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        assert expected[rule.endpoint].method in rule.methods, rule.endpoint


@pytest.fixture
def world(app, create_organisation, create_user):
    """One organisation with a member of every role, an invitation and a target user."""
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
    target = create_user(roles=[Role.TEACHER], organisation=organisation)
    with app.test_request_context(), db.unit_of_work():
        invitation = operations.invite_member(
            db.session.merge(organisation),
            "invitee@example.test",
            Role.MENTOR,
            db.session.merge(users[ORG_ADMIN]),
        )
        invitation_id = invitation.id
    values = {
        "org": organisation.slug,
        "org_id": organisation.id,
        "invitation": invitation_id,
        "membership": target.memberships[0].id,
        "user": target.id,
    }
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    spec = EXPECTED[endpoint]
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, spec, values, endpoint, who)
