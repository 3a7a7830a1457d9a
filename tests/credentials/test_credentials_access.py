"""Role × route matrix of the credentials pages (see tests/access.py).

Everyone is a member of one industry association (so its org admin administers the
certificates); the student holds the certificate and is in the talent pool; a
recruiter of an enterprise is an extra kind of user here. Public pages are open to
all; a holder's pages answer 404 to other users (their certificates are not theirs).
"""

from __future__ import annotations

import pytest

from academy.auth.models import OrganisationKind, Role, User
from academy.credentials import talent
from academy.credentials.models import TalentProfile
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
    check_access,
    route,
)
from tests.conftest import login_as

RECRUITER = "recruiter"
EVERYONE = ALL | {RECRUITER}
SIGNED_IN = LOGGED_IN | {RECRUITER}
ADMINS = {ORG_ADMIN, SITE_ADMIN}
RECRUITERS = {RECRUITER, SITE_ADMIN}
MINE = "/account/certificates/{serial}"
ISSUED = "/associations/{org}/certificates/{serial}"
ISSUER = "/credentials/issuers/{org}"

EXPECTED: dict[str, Route] = {
    "credentials.verify": route("POST", "/verify", EVERYONE),
    "credentials.verify_link": route("GET", "/verify/{serial}", EVERYONE),
    "credentials.issuer_profile": route("GET", ISSUER, EVERYONE),
    "credentials.issuer_keys": route("GET", ISSUER + "/jwks.json", EVERYONE),
    "credentials.status_list": route("GET", ISSUER + "/status/0", EVERYONE),
    "credentials.privacy_notice": route("GET", "/talent-pool/privacy", EVERYONE),
    "credentials.my_certificates": route("GET", "/account/certificates", SIGNED_IN),
    "credentials.show_certificate": route("GET", MINE, SIGNED_IN),
    "credentials.download_certificate_pdf": route("GET", MINE + "/certificate.pdf", SIGNED_IN),
    "credentials.download_credential": route("GET", MINE + "/credential.jwt", SIGNED_IN),
    "credentials.edit_pool_profile": route("GET", "/account/talent-pool", SIGNED_IN),
    "credentials.leave_pool": route("POST", "/account/talent-pool/leave", SIGNED_IN),
    "credentials.accept_contact_request": route(
        "POST", "/account/talent-pool/requests/{request}/accept", SIGNED_IN
    ),
    "credentials.decline_contact_request": route(
        "POST", "/account/talent-pool/requests/{request}/decline", SIGNED_IN
    ),
    "credentials.list_associations": route("GET", "/associations/", ADMINS),
    "credentials.list_certificates": route("GET", "/associations/{org}/certificates", ADMINS),
    "credentials.show_issued_certificate": route("GET", ISSUED, ADMINS),
    "credentials.revoke_certificate": route("POST", ISSUED + "/revoke", ADMINS),
    "credentials.reissue_certificate": route("POST", ISSUED + "/reissue", ADMINS),
    "credentials.rotate_key": route("POST", "/associations/{org}/keys/rotate", ADMINS),
    "credentials.pool_statistics": route("GET", "/associations/{org}/talent-statistics", ADMINS),
    "credentials.search_pool": route("GET", "/talent?level=L2", RECRUITERS),
    "credentials.show_pool_profile": route("GET", "/talent/{profile}", RECRUITERS),
    "credentials.list_contact_requests": route("GET", "/talent/requests", RECRUITERS),
}


@pytest.fixture
def world(app, create_organisation, create_user, issue):
    association = create_organisation(kind=OrganisationKind.ASSOCIATION)
    enterprise = create_organisation(kind=OrganisationKind.ENTERPRISE)
    users = {ANON: None, NO_ROLE: create_user()}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=association)
    users[RECRUITER] = create_user(roles=[Role.RECRUITER], organisation=enterprise)
    users[SITE_ADMIN] = create_user(is_site_admin=True)
    certificate = issue(holder=users[STUDENT], association=association)
    with app.test_request_context(), db.unit_of_work():
        holder = db.session.get(User, users[STUDENT].id)
        profile = talent.opt_in(holder, talent.ProfileChoices(province="zhejiang"))
        contact = talent.send_contact_request(
            db.session.get(User, users[RECRUITER].id), profile, "We export furniture."
        )
        values = {
            "serial": certificate.serial,
            "org": association.slug,
            "profile": profile.id,
            "request": contact.id,
        }
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(EVERYONE)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)


def test_profile_is_gone_once_opted_out(app, world, count_rows):
    users, values = world
    with app.test_request_context(), db.unit_of_work():
        talent.opt_out(db.session.get(User, users[STUDENT].id))
    client = app.test_client()
    login_as(client, users[RECRUITER])
    assert client.get(f"/talent/{values['profile']}").status_code == 404
    assert count_rows(TalentProfile, TalentProfile.is_opted_in.is_(True)) == 0
