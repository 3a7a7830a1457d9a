"""The audit log records security-relevant actions; admins filter and export it."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from academy import mail
from academy.audit.models import AuditAction, AuditEvent
from academy.audit.operations import record_event
from academy.auth.models import Organisation, Role, User
from academy.db import db
from tests.conftest import DEFAULT_PASSWORD, login_as


def actions(read) -> list[str]:
    return read(
        lambda: list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    )


def test_logins_and_failed_logins_are_recorded_without_the_password(
    client, create_user, read, no_csrf
):
    user = create_user()
    client.post("/login", data={"email": user.email, "password": "wrong-password-1"})
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert actions(read)[-2:] == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN]
    rows = read(lambda: list(db.session.scalars(sa.select(AuditEvent))))
    assert all("wrong-password" not in row.details for row in rows)
    assert rows[-2].actor_email == user.email and rows[-2].actor_id is None


def test_role_changes_by_an_admin_are_recorded(
    client, create_user, create_organisation, read, no_csrf
):
    admin = create_user(is_site_admin=True)
    target = create_user()
    organisation = create_organisation()
    login_as(client, admin)
    client.post(
        f"/admin/users/{target.id}/memberships",
        data={"organisation": organisation.id, "role": "examiner"},
    )
    membership_id = read(lambda: db.session.get(User, target.id).memberships[0].id)
    client.post(f"/admin/users/{target.id}/memberships/{membership_id}/remove")
    client.post(f"/admin/users/{target.id}", data={"is_site_admin": "y", "is_enabled": "y"})
    rows = read(lambda: list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))))[
        -3:
    ]
    assert [row.action for row in rows] == [
        AuditAction.ROLE_GRANTED,
        AuditAction.ROLE_REMOVED,
        AuditAction.SITE_ADMIN_GRANTED,
    ]
    assert {row.actor_email for row in rows} == {admin.email}
    assert '"role": "examiner"' in rows[0].details
    assert rows[0].organisation_id == organisation.id


def test_an_admin_sends_a_reset_link_and_it_is_recorded(app, client, create_user, read, no_csrf):
    admin = create_user(is_site_admin=True)
    target = create_user()
    login_as(client, admin)
    client.post(f"/admin/users/{target.id}/password-reset")
    with app.app_context():
        message = mail.outbox()[-1]
    assert message.to == target.email or target.email in str(message.to)
    assert "http://localhost/password/reset/" in message.body
    assert actions(read)[-1] == AuditAction.PASSWORD_RESET_SENT


def test_an_admin_edits_an_organisation_but_not_its_short_name(
    client, create_user, create_organisation, read, no_csrf
):
    admin = create_user(is_site_admin=True)
    organisation = create_organisation()
    login_as(client, admin)
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={
            "name": "Renamed College",
            "description": "New words",
            "time_zone": "Asia/Shanghai",
            "is_active": "y",
            "slug": "hijacked",
        },
    )
    assert response.status_code == 302
    saved = read(lambda: db.session.get(Organisation, organisation.id))
    assert (saved.name, saved.time_zone, saved.slug) == (
        "Renamed College",
        "Asia/Shanghai",
        organisation.slug,
    )
    event = read(lambda: db.session.scalars(sa.select(AuditEvent)).all()[-1])
    assert event.action == AuditAction.ORGANISATION_EDITED
    assert "name" in event.details and "time_zone" in event.details


def test_an_organisation_edit_with_a_bad_zone_is_refused(
    client, create_user, create_organisation, read, no_csrf
):
    admin = create_user(is_site_admin=True)
    organisation = create_organisation()
    login_as(client, admin)
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={"name": "X", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert read(lambda: db.session.get(Organisation, organisation.id).name) == organisation.name


def test_the_admin_page_filters_by_action_and_actor(app, client, create_user, no_csrf):
    admin = create_user(is_site_admin=True)
    with app.test_request_context(), db.unit_of_work():
        record_event(AuditAction.LOGIN_FAILED, actor_email="mallory@example.test")
        record_event(AuditAction.PASSWORD_CHANGED, actor_email="alice@example.test")
    login_as(client, admin)
    page = client.get("/admin/audit/?action=login_failed").get_data(as_text=True)
    assert "mallory@example.test" in page and "alice@example.test" not in page
    page = client.get("/admin/audit/?actor=alice").get_data(as_text=True)
    assert "alice@example.test" in page and "mallory@example.test" not in page
    # Odd filters are ignored, not a 500.
    assert client.get("/admin/audit/?action=nope&from=2026-13-45&page=-3").status_code == 200


def test_the_export_is_csv_through_the_formula_guard(app, client, create_user, no_csrf):
    admin = create_user(is_site_admin=True)
    with app.test_request_context(), db.unit_of_work():
        record_event(AuditAction.LOGIN_FAILED, actor_email='=HYPERLINK("http://evil.example")')
    login_as(client, admin)
    response = client.get("/admin/audit/export.csv?action=login_failed")
    assert response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["time_utc", "action", "actor"]
    assert rows[1][2].startswith("'=")


def test_a_teacher_cannot_read_the_audit_log(client, create_user):
    login_as(client, create_user(roles=[Role.TEACHER]))
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


def test_a_huge_page_number_is_no_500(client, create_user):
    login_as(client, create_user(is_site_admin=True))
    assert client.get("/admin/audit/?page=99999999999999999999999").status_code == 200


def test_a_huge_user_list_page_number_is_no_500(client, create_user):
    login_as(client, create_user(is_site_admin=True))
    assert client.get("/admin/users?page=99999999999999999999999").status_code == 200


def test_an_org_admin_reads_and_exports_only_their_organisations_rows(
    app, client, create_user, create_organisation
):
    ours, theirs = create_organisation(), create_organisation()
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=ours)
    create_user(roles=[Role.EXAMINER], organisation=ours, email="ours@example.test")
    create_user(roles=[Role.EXAMINER], organisation=theirs, email="theirs@example.test")
    with app.test_request_context(), db.unit_of_work():
        record_event(AuditAction.LOGIN_FAILED, actor_email="stranger@example.test")
    login_as(client, admin)
    page = client.get(f"/organisations/{ours.slug}/audit").get_data(as_text=True)
    assert "ours@example.test" in page
    assert "theirs@example.test" not in page and "stranger@example.test" not in page
    exported = client.get(f"/organisations/{ours.slug}/audit.csv").get_data(as_text=True)
    assert "ours@example.test" in exported and "theirs@example.test" not in exported
    assert client.get(f"/organisations/{theirs.slug}/audit").status_code == 403


def test_the_next_page_link_keeps_the_filter(app, client, create_user):
    with app.test_request_context(), db.unit_of_work():
        for number in range(app.config["PAGE_SIZE"] + 1):
            record_event(AuditAction.LOGIN_FAILED, actor_email=f"guess{number}@example.test")
    login_as(client, create_user(is_site_admin=True))
    page = client.get("/admin/audit/?action=login_failed").get_data(as_text=True)
    link = next(part for part in page.split('href="')[1:] if "page=2" in part)
    assert "action=login_failed" in link.split('"')[0]
