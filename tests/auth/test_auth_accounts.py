"""Registration, password reset, the profile and the password policy."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from academy import mail
from academy.auth.models import PasswordResetToken, User
from academy.auth.passwords import password_problems
from academy.db import db, utcnow
from tests.conftest import csrf_token


def register(client, **fields):
    data = {
        "display_name": "Li Na",
        "email": "li.na@example.test",
        "password": "silk-road-2026",
        "confirm": "silk-road-2026",
        "csrf_token": csrf_token(client, "/register"),
    }
    data.update(fields)
    return client.post("/register", data=data)


def test_student_registers_and_is_logged_in(client, read):
    response = register(client)
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome, Li Na" in page
    user = read(
        lambda: db.session.scalar(sa.select(User).where(User.email == "li.na@example.test"))
    )
    assert user.password_hash != "silk-road-2026"
    assert user.password_hash.startswith("pbkdf2:")  # the test config's fast method


def test_duplicate_email_is_a_field_error_and_creates_nothing(client, create_user, count_rows):
    create_user(email="taken@example.test")
    before = count_rows(User)
    response = register(client, email="Taken@Example.test")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in body
    assert "An account with this e-mail address already exists." in body
    assert count_rows(User) == before


def test_weak_password_is_refused_on_its_field(client, count_rows):
    response = register(client, password="password1", confirm="password1")
    body = response.get_data(as_text=True)
    assert 'id="password-error"' in body
    assert count_rows(User) == 0


def test_mismatched_confirmation(client, count_rows):
    response = register(client, confirm="something-else-entirely")
    assert "The two passwords do not match." in response.get_data(as_text=True)
    assert count_rows(User) == 0


def test_unknown_join_code_is_a_field_error_and_creates_nothing(client, count_rows):
    response = register(client, join_code="NOCLASS1")
    body = response.get_data(as_text=True)
    assert 'id="join_code-error"' in body
    assert count_rows(User) == 0


def test_registration_without_csrf_changes_nothing(client, count_rows):
    response = client.post(
        "/register",
        data={
            "display_name": "X",
            "email": "x@example.test",
            "password": "silk-road-2026",
            "confirm": "silk-road-2026",
        },
    )
    assert response.status_code == 400
    assert count_rows(User) == 0


def test_password_policy():
    from academy import create_app
    from academy.config import TestConfig

    app = create_app({"CONFIG_CLASS": TestConfig, "DATABASE_URL": "sqlite://"})
    with app.app_context():
        assert password_problems("silk-road-2026") == []
        assert password_problems("short")
        assert password_problems("password123")
        assert password_problems("aaaaaaaaaaaa")
        assert password_problems("wangfang-2026", email="wangfang@example.test")
        assert password_problems("zhang-wei-secret", display_name="Zhang-Wei")


def _reset_link(app) -> str:
    with app.app_context():
        message = mail.outbox()[-1]
    match = re.search(r"http://localhost(/password/reset/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_round_trip(app, client, auth, create_user):
    user = create_user()
    response = client.post(
        "/password/forgot",
        data={"email": user.email, "csrf_token": csrf_token(client, "/password/forgot")},
    )
    assert response.status_code == 302
    link = _reset_link(app)
    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        data={
            "password": "new-secret-passphrase",
            "confirm": "new-secret-passphrase",
            "csrf_token": csrf_token(client, link),
        },
    )
    assert response.status_code == 302
    assert auth.login(user.email, "new-secret-passphrase").status_code == 302

    # The same link a second time: a clear message, nothing changes.
    auth.logout()
    again = client.get(link)
    assert again.status_code == 400
    assert "This link has already been used." in again.get_data(as_text=True)


def test_forgot_password_for_unknown_address_looks_the_same(app, client):
    response = client.post(
        "/password/forgot",
        data={"email": "ghost@example.test", "csrf_token": csrf_token(client, "/password/forgot")},
    )
    assert response.status_code == 302
    with app.app_context():
        assert mail.outbox() == []


def test_expired_reset_link(app, client, create_user):
    user = create_user()
    with app.test_request_context():
        from academy.auth import resets

        resets.request_password_reset(user.email)
        db.session.execute(
            sa.update(PasswordResetToken).values(expires_dt=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    link = _reset_link(app)
    response = client.get(link)
    assert response.status_code == 400
    assert "This link has expired." in response.get_data(as_text=True)


def test_tampered_reset_link(app, client, create_user):
    response = client.get("/password/reset/abc.def.ghi")
    assert response.status_code == 400
    assert "This link is not valid." in response.get_data(as_text=True)


def test_reset_with_weak_password_keeps_the_link_usable(app, client, auth, create_user):
    user = create_user()
    client.post(
        "/password/forgot",
        data={"email": user.email, "csrf_token": csrf_token(client, "/password/forgot")},
    )
    link = _reset_link(app)
    response = client.post(
        link, data={"password": "short", "confirm": "short", "csrf_token": csrf_token(client, link)}
    )
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert client.get(link).status_code == 200
    assert auth.login(user.email).status_code == 302  # old password still works


def test_profile_update_and_language_preference(client, auth, create_user, read):
    user = create_user()
    auth.login(user.email)
    response = client.post(
        "/account",
        data={
            "display_name": "Zhang Min",
            "preferred_locale": "zh_Hans",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert response.status_code == 302
    stored = read(lambda: db.session.get(User, user.id))
    assert stored.display_name == "Zhang Min"
    assert stored.preferred_locale == "zh_Hans"
    assert 'lang="zh-Hans"' in client.get("/dashboard").get_data(as_text=True)


def test_profile_rejects_an_empty_name(client, auth, create_user, read):
    user = create_user()
    auth.login(user.email)
    response = client.post(
        "/account",
        data={
            "display_name": "  ",
            "preferred_locale": "",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert 'id="display_name-error"' in response.get_data(as_text=True)
    assert read(lambda: db.session.get(User, user.id)).display_name == user.display_name


def test_change_password_with_wrong_current_password(client, auth, create_user):
    user = create_user()
    auth.login(user.email)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "current_password": "not-my-password",
            "new_password": "a-brand-new-passphrase",
            "confirm": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 400
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(user.email).status_code == 302
