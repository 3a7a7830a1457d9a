"""Sensitive actions ask for the password again when the session proved it long ago."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.audit.models import AuditAction, AuditEvent
from academy.auth.models import Role, User, UserSession
from academy.db import db, utcnow
from tests.conftest import DEFAULT_PASSWORD, csrf_token, login_as


def age_sessions(app, user: User, minutes: int) -> None:
    """Pretend ``user``'s sessions last proved the password ``minutes`` ago."""
    with app.app_context(), db.unit_of_work():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == user.id)
            .values(confirmed_dt=utcnow() - timedelta(minutes=minutes))
        )


def events(read, action: AuditAction) -> list[AuditEvent]:
    return read(
        lambda: list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))
    )


def test_an_old_session_must_confirm_the_password_before_deactivating_someone(
    app, client, create_user, read, no_csrf
):
    admin = create_user(is_site_admin=True)
    target = create_user(roles=[Role.TEACHER])
    login_as(client, admin)
    age_sessions(app, admin, minutes=30)
    page = f"/admin/users/{target.id}"

    response = client.post(f"{page}/deactivate", headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm?next=")
    assert read(lambda: db.session.get(User, target.id).is_enabled)

    wrong = client.post("/account/confirm", data={"password": "not-the-password", "next": page})
    assert wrong.status_code == 400
    assert len(events(read, AuditAction.REAUTHENTICATION_FAILED)) == 1

    right = client.post("/account/confirm", data={"password": DEFAULT_PASSWORD, "next": page})
    assert right.status_code == 302 and right.headers["Location"] == page
    client.post(f"{page}/deactivate")
    assert not read(lambda: db.session.get(User, target.id).is_enabled)
    (event,) = events(read, AuditAction.USER_DEACTIVATED)
    assert (event.actor_email, event.subject_label) == (admin.email, target.email)


def test_a_fresh_login_needs_no_second_confirmation(app, client, create_user, read, no_csrf):
    admin = create_user(is_site_admin=True)
    target = create_user()
    login_as(client, admin)
    response = client.post(f"/admin/users/{target.id}/deactivate")
    assert response.headers["Location"] == f"/admin/users/{target.id}"
    assert not read(lambda: db.session.get(User, target.id).is_enabled)


def test_deactivating_ends_the_users_sessions_and_reactivating_lets_them_log_in(
    app, create_user, auth, client, read, no_csrf
):
    admin = create_user(is_site_admin=True)
    target = create_user()
    target_client = app.test_client()
    login_as(target_client, target)
    assert target_client.get("/dashboard").status_code == 200

    login_as(client, admin)
    client.post(f"/admin/users/{target.id}/deactivate")
    assert "/login" in target_client.get("/dashboard").headers["Location"]

    client.post(f"/admin/users/{target.id}/reactivate")
    assert read(lambda: db.session.get(User, target.id).is_enabled)
    assert len(events(read, AuditAction.USER_REACTIVATED)) == 1


def test_an_admin_cannot_deactivate_themselves(client, create_user, read, no_csrf):
    admin = create_user(is_site_admin=True)
    login_as(client, admin)
    client.post(f"/admin/users/{admin.id}/deactivate")
    assert read(lambda: db.session.get(User, admin.id).is_enabled)


def test_an_org_admin_with_an_old_session_confirms_before_inviting(
    app, client, create_user, count_rows, no_csrf
):
    from academy.auth.models import Invitation

    admin = create_user(roles=[Role.ORG_ADMIN])
    slug = admin.memberships[0].organisation.slug
    login_as(client, admin)
    age_sessions(app, admin, minutes=30)
    before = count_rows(Invitation)
    response = client.post(
        f"/organisations/{slug}/invitations", data={"email": "new@example.test", "role": "teacher"}
    )
    assert response.headers["Location"].startswith("/account/confirm")
    assert count_rows(Invitation) == before


def test_the_confirmation_page_carries_a_csrf_token(client, create_user):
    user = create_user()
    login_as(client, user)
    assert csrf_token(client, "/account/confirm")
