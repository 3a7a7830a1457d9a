"""Two-factor authentication: enrolment, the login's second step, replay, recovery codes."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from academy.audit.models import AuditAction, AuditEvent
from academy.auth.models import RecoveryCode, Role, User
from academy.db import db
from tests.conftest import DEFAULT_PASSWORD, login_as


def secret_of(read, user: User) -> str:
    return read(lambda: db.session.get(User, user.id).totp_secret)


def enrol(client, read, user: User) -> tuple[str, list[str]]:
    """Turn two-factor on for ``user`` through the pages; returns the secret and codes."""
    login_as(client, user)
    client.post("/account/two-factor/setup")
    secret = secret_of(read, user)
    page = client.post("/account/two-factor/enable", data={"code": pyotp.TOTP(secret).now()})
    assert page.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page.get_data(as_text=True))
    return secret, codes


def test_setting_up_shows_a_qr_code_and_turns_on_only_with_a_right_code(
    client, create_user, read, no_csrf
):
    user = create_user(roles=[Role.TEACHER])
    login_as(client, user)
    client.post("/account/two-factor/setup")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = secret_of(read, user)
    assert "<svg" in page and secret in page

    wrong = client.post("/account/two-factor/enable", data={"code": "000000"})
    assert wrong.status_code == 400
    assert not read(lambda: db.session.get(User, user.id).has_two_factor)

    right = client.post("/account/two-factor/enable", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 200
    assert read(lambda: db.session.get(User, user.id).has_two_factor)
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", right.get_data(as_text=True))
    assert len(codes) == 10
    stored = read(lambda: list(db.session.scalars(sa.select(RecoveryCode.code_hash))))
    assert not set(codes) & set(stored)  # only hashes are kept
    assert read(
        lambda: db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == AuditAction.TWO_FACTOR_ENABLED)
        )
    )


def test_login_asks_for_the_code_after_the_password(app, client, create_user, read, no_csrf):
    user = create_user(roles=[Role.ORG_ADMIN])
    secret, _codes = enrol(app.test_client(), read, user)

    first = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert first.headers["Location"] == "/login/two-factor"
    assert "/login" in client.get("/dashboard").headers["Location"]  # not logged in yet

    assert client.post("/login/two-factor", data={"code": "123456"}).status_code == 400
    # Enrolling spent the current step's code; the next step's is within the drift allowed.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    done = client.post("/login/two-factor", data={"code": code})
    assert done.status_code == 302
    assert client.get("/dashboard").status_code == 200

    # The same code cannot be used again, even from another browser.
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert other.post("/login/two-factor", data={"code": code}).status_code == 400


def test_a_recovery_code_logs_in_once(app, client, create_user, read, no_csrf):
    user = create_user()
    _secret, codes = enrol(app.test_client(), read, user)
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert client.post("/login/two-factor", data={"code": codes[0]}).status_code == 302

    again = app.test_client()
    again.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert again.post("/login/two-factor", data={"code": codes[0]}).status_code == 400
    assert again.post("/login/two-factor", data={"code": codes[1].upper()}).status_code == 302


def test_the_second_step_cannot_be_reached_without_the_password(client, no_csrf):
    response = client.post("/login/two-factor", data={"code": "123456"})
    assert response.headers["Location"] == "/login"


def test_wrong_codes_are_throttled_like_wrong_passwords(app, client, create_user, read, no_csrf):
    user = create_user()
    enrol(app.test_client(), read, user)
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    statuses = [
        client.post("/login/two-factor", data={"code": "000000"}).status_code
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 1)
    ]
    assert statuses[-1] == 429


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_FOR_ADMINS", True)


def test_when_required_admins_must_set_it_up_before_anything_else(
    app, client, create_user, read, required, no_csrf
):
    admin = create_user(roles=[Role.ORG_ADMIN])
    login_as(client, admin)
    assert client.get("/dashboard").headers["Location"] == "/account/two-factor"
    enrol(client, read, admin)
    assert client.get("/dashboard").status_code == 200
    # ...and cannot turn it off again.
    client.post("/account/two-factor/disable")
    assert read(lambda: db.session.get(User, admin.id).has_two_factor)


def test_when_required_students_and_teachers_are_not_forced(client, create_user, required):
    for role in (Role.STUDENT, Role.TEACHER):
        user = create_user(roles=[role])
        login_as(client, user)
        assert client.get("/dashboard").status_code == 200


def test_turning_it_off_removes_the_secret_and_codes(app, client, create_user, read, no_csrf):
    user = create_user()
    enrol(client, read, user)
    client.post("/account/two-factor/disable")
    assert read(lambda: db.session.get(User, user.id).totp_secret) is None
    assert (
        read(
            lambda: db.session.scalar(
                sa.select(sa.func.count())
                .select_from(RecoveryCode)
                .where(RecoveryCode.user_id == user.id)
            )
        )
        == 0
    )


def test_a_site_admin_removes_a_lost_second_factor_and_it_is_audited(
    app, client, create_user, read, no_csrf
):
    user = create_user(roles=[Role.TEACHER])
    enrol(app.test_client(), read, user)
    admin = create_user(is_site_admin=True)
    login_as(client, admin)
    client.post(f"/admin/users/{user.id}/two-factor/remove")
    assert not read(lambda: db.session.get(User, user.id).has_two_factor)
    event = read(
        lambda: db.session.scalar(
            sa.select(AuditEvent)
            .where(AuditEvent.action == AuditAction.TWO_FACTOR_DISABLED)
            .order_by(AuditEvent.id.desc())
        )
    )
    assert (event.actor_email, event.subject_label) == (admin.email, user.email)
