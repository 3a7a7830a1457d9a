"""Org admins invite staff by one-time links and manage members; site admins manage all."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from academy import mail
from academy.auth.models import Invitation, Membership, Organisation, Role, User
from academy.db import db, utcnow
from tests.conftest import csrf_token, login_as


def invite(client, slug: str, email: str, role: str = "teacher"):
    return client.post(
        f"/organisations/{slug}/invitations",
        data={
            "email": email,
            "role": role,
            "csrf_token": csrf_token(client, f"/organisations/{slug}"),
        },
    )


def last_invitation_path(app) -> str:
    with app.app_context():
        body = mail.outbox()[-1].body
    match = re.search(r"http://localhost(/invitations/\S+)", body)
    assert match, body
    return match.group(1)


def test_new_person_accepts_an_invitation(app, client, create_user, read):
    admin = create_user(roles=[Role.ORG_ADMIN])
    slug = admin.memberships[0].organisation.slug
    login_as(client, admin)
    assert invite(client, slug, "new.teacher@example.test").status_code == 302
    path = last_invitation_path(app)

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200
    response = guest.post(
        path,
        data={
            "display_name": "Wang Fang",
            "password": "teaching-trade-2026",
            "confirm": "teaching-trade-2026",
            "csrf_token": csrf_token(guest, path),
        },
    )
    assert response.status_code == 302
    user = read(
        lambda: db.session.scalar(sa.select(User).where(User.email == "new.teacher@example.test"))
    )
    roles = read(
        lambda: {(m.role, m.organisation.slug) for m in db.session.get(User, user.id).memberships}
    )
    assert roles == {(Role.TEACHER, slug)}

    # The link works once.
    reused = app.test_client().get(path)
    assert reused.status_code == 400
    assert "This link has already been used." in reused.get_data(as_text=True)


def test_existing_user_accepts_after_logging_in(app, client, create_user, read):
    admin = create_user(roles=[Role.ORG_ADMIN])
    organisation = admin.memberships[0].organisation
    mentor = create_user()
    login_as(client, admin)
    invite(client, organisation.slug, mentor.email, "mentor")
    path = last_invitation_path(app)

    other = app.test_client()
    response = other.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as(other, mentor)
    response = other.post(path, data={"csrf_token": csrf_token(other, path)})
    assert response.status_code == 302
    roles = read(lambda: {m.role for m in db.session.get(User, mentor.id).memberships})
    assert roles == {Role.MENTOR}


def test_invitation_for_someone_else_is_refused(app, client, create_user, count_rows):
    admin = create_user(roles=[Role.ORG_ADMIN])
    invited = create_user()
    intruder = create_user()
    login_as(client, admin)
    invite(client, admin.memberships[0].organisation.slug, invited.email)
    path = last_invitation_path(app)
    other = app.test_client()
    login_as(other, intruder)
    page = other.get(path).get_data(as_text=True)
    assert "You are logged in with another account." in page
    other.post(path, data={"csrf_token": csrf_token(other, path)})
    assert count_rows(Membership, Membership.user_id == intruder.id) == 0


def test_expired_and_revoked_invitations(app, client, create_user):
    admin = create_user(roles=[Role.ORG_ADMIN])
    slug = admin.memberships[0].organisation.slug
    login_as(client, admin)
    invite(client, slug, "late@example.test")
    expired_path = last_invitation_path(app)
    with app.app_context(), db.unit_of_work():
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.email == "late@example.test")
            .values(expires_dt=utcnow() - timedelta(seconds=1))
        )
    response = app.test_client().get(expired_path)
    assert response.status_code == 400
    assert "This link has expired." in response.get_data(as_text=True)

    invite(client, slug, "withdrawn@example.test")
    revoked_path = last_invitation_path(app)
    with app.app_context():
        invitation_id = db.session.scalar(
            sa.select(Invitation.id).where(Invitation.email == "withdrawn@example.test")
        )
    response = client.post(
        f"/organisations/{slug}/invitations/{invitation_id}/revoke",
        data={"csrf_token": csrf_token(client, f"/organisations/{slug}")},
    )
    assert response.status_code == 302
    response = app.test_client().get(revoked_path)
    assert response.status_code == 400
    assert "This invitation has been withdrawn." in response.get_data(as_text=True)


def test_invalid_invitation_form_is_a_field_error(app, client, create_user, count_rows):
    admin = create_user(roles=[Role.ORG_ADMIN])
    login_as(client, admin)
    response = invite(client, admin.memberships[0].organisation.slug, "not-an-address")
    assert response.status_code == 400
    assert 'id="email-error"' in response.get_data(as_text=True)
    response = invite(client, admin.memberships[0].organisation.slug, "ok@example.test", "student")
    assert response.status_code == 400  # students register themselves
    assert count_rows(Invitation) == 0


def test_org_admin_cannot_manage_another_organisation(client, create_user, create_organisation):
    admin = create_user(roles=[Role.ORG_ADMIN])
    other = create_organisation()
    login_as(client, admin)
    assert client.get(f"/organisations/{other.slug}").status_code == 403
    assert client.get("/organisations/no-such-org").status_code == 404


def test_membership_of_another_organisation_cannot_be_removed(app, client, create_user, count_rows):
    admin = create_user(roles=[Role.ORG_ADMIN])
    outsider = create_user(roles=[Role.TEACHER])
    login_as(client, admin)
    slug = admin.memberships[0].organisation.slug
    response = client.post(
        f"/organisations/{slug}/memberships/{outsider.memberships[0].id}/remove",
        data={"csrf_token": csrf_token(client, f"/organisations/{slug}")},
    )
    assert response.status_code == 404
    assert count_rows(Membership, Membership.user_id == outsider.id) == 1


def test_org_admin_removes_a_member_but_not_their_own_admin_role(
    client, create_user, create_organisation, count_rows
):
    organisation = create_organisation()
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=organisation)
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    login_as(client, admin)
    token = csrf_token(client, f"/organisations/{organisation.slug}")
    client.post(
        f"/organisations/{organisation.slug}/memberships/{teacher.memberships[0].id}/remove",
        data={"csrf_token": token},
    )
    assert count_rows(Membership, Membership.user_id == teacher.id) == 0
    response = client.post(
        f"/organisations/{organisation.slug}/memberships/{admin.memberships[0].id}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    assert count_rows(Membership, Membership.user_id == admin.id) == 1


def test_site_admin_creates_an_organisation(client, create_user, count_rows):
    admin = create_user(is_site_admin=True)
    login_as(client, admin)
    token = csrf_token(client, "/admin/organisations")
    response = client.post(
        "/admin/organisations",
        data={
            "name": "Henan Rail Logistics",
            "slug": "henan-rail",
            "kind": "enterprise",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert count_rows(Organisation, Organisation.slug == "henan-rail") == 1
    duplicate = client.post(
        "/admin/organisations",
        data={"name": "Again", "slug": "henan-rail", "kind": "enterprise", "csrf_token": token},
    )
    assert duplicate.status_code == 400
    assert 'id="slug-error"' in duplicate.get_data(as_text=True)
    bad = client.post(
        "/admin/organisations",
        data={"name": "Bad", "slug": "Bad Slug!", "kind": "school", "csrf_token": token},
    )
    assert 'id="slug-error"' in bad.get_data(as_text=True)
    assert count_rows(Organisation) == 1


def test_site_admin_manages_users(client, create_user, create_organisation, read):
    admin = create_user(is_site_admin=True)
    target = create_user()
    organisation = create_organisation()
    login_as(client, admin)
    listing = client.get(f"/admin/users?q={target.email}").get_data(as_text=True)
    assert target.email in listing and admin.email not in listing
    token = csrf_token(client, f"/admin/users/{target.id}")
    response = client.post(
        f"/admin/users/{target.id}/memberships",
        data={"organisation": organisation.id, "role": "examiner", "csrf_token": token},
    )
    assert response.status_code == 302
    assert read(lambda: db.session.get(User, target.id).roles()) == {Role.EXAMINER}

    response = client.post(
        f"/admin/users/{admin.id}", data={"is_enabled": "y", "csrf_token": token}
    )
    assert "You cannot remove your own administrator rights" in response.get_data(as_text=True)
    assert read(lambda: db.session.get(User, admin.id).is_site_admin) is True


def test_disabling_a_user_logs_them_out(app, client, create_user):
    admin = create_user(is_site_admin=True)
    target = create_user()
    target_client = app.test_client()
    login_as(target_client, target)
    assert target_client.get("/dashboard").status_code == 200
    login_as(client, admin)
    client.post(
        f"/admin/users/{target.id}",
        data={"csrf_token": csrf_token(client, f"/admin/users/{target.id}")},
    )
    assert target_client.get("/dashboard").status_code == 302
