"""Logging in and out, throttling, sessions and safe redirects."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import LoginAttempt, User
from academy.db import db


def test_login_and_logout(client, auth, create_user):
    user = create_user()
    response = auth.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert user.display_name in client.get("/dashboard").get_data(as_text=True)

    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_login_accepts_any_case_of_the_email(client, auth, create_user):
    create_user(email="mixed@example.test")
    assert auth.login("  MIXED@Example.TEST ").status_code == 302


def test_wrong_password_gives_a_generic_message_and_counts(client, auth, create_user, count_rows):
    user = create_user()
    response = auth.login(user.email, "not-the-password")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The e-mail address or password is not correct." in body
    failures = count_rows(
        LoginAttempt, LoginAttempt.email == user.email, LoginAttempt.is_success.is_(False)
    )
    assert failures == 1

    unknown = auth.login("nobody@example.test", "whatever-password")
    # The same words for an unknown account: the form does not reveal who is registered.
    assert "The e-mail address or password is not correct." in unknown.get_data(as_text=True)


def test_account_is_throttled_after_repeated_failures(app, client, auth, create_user, count_rows):
    user = create_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert auth.login(user.email, "wrong-password-x").status_code == 200
    response = auth.login(user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    # Throttled attempts are not recorded, so waiting is enough to unlock.
    assert count_rows(LoginAttempt, LoginAttempt.email == user.email) == limit


def test_address_is_throttled_across_accounts(app, client, auth, monkeypatch, create_user):
    monkeypatch.setitem(app.config, "LOGIN_MAX_ACCOUNTS_PER_ADDRESS", 3)
    for number in range(3):
        auth.login(f"guess{number}@example.test", "wrong-password-x")
    other = create_user()
    assert auth.login(other.email).status_code == 429


def test_disabled_account_cannot_log_in(app, auth, create_user):
    user = create_user()
    with app.app_context(), db.unit_of_work():
        db.session.get(User, user.id).is_enabled = False
    assert auth.login(user.email).status_code == 200


def test_login_redirects_back_to_a_safe_next(client, auth, create_user):
    user = create_user()
    response = auth.login(user.email, next="/account")
    assert response.headers["Location"] == "/account"


def test_login_ignores_an_unsafe_next(client, auth, create_user):
    user = create_user()
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]:
        response = auth.login(user.email, next=target)
        assert response.headers["Location"] == "/dashboard", target
        auth.logout()


def test_tampered_session_cookie_logs_out_without_error(client, auth, create_user):
    user = create_user()
    auth.login(user.email)
    cookie = client.get_cookie("session")
    assert cookie is not None
    value = cookie.value
    tampered = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    client.set_cookie("session", tampered)
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/").status_code == 200


def test_remember_me_survives_the_end_of_the_session(client, auth, create_user):
    user = create_user()
    auth.login(user.email, remember="y")
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    assert client.get("/dashboard").status_code == 200


def test_password_change_ends_other_sessions(app, create_user, auth, client):
    user = create_user()
    other_device = app.test_client()
    from tests.conftest import AuthActions, csrf_token

    AuthActions(other_device).login(user.email)
    auth.login(user.email)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "current_password": "correct-horse-battery",
            "new_password": "a-brand-new-passphrase",
            "confirm": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200  # this device stays in
    assert other_device.get("/dashboard").status_code == 302  # the other is logged out


def test_login_post_without_csrf_is_refused(client, create_user, count_rows):
    user = create_user()
    response = client.post(
        "/login", data={"email": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert count_rows(LoginAttempt) == 0
    assert client.get("/dashboard").status_code == 302


def test_last_login_is_recorded(read, auth, create_user):
    user = create_user()
    auth.login(user.email)
    last = read(lambda: db.session.scalar(sa.select(User.last_login_dt).where(User.id == user.id)))
    assert last is not None
