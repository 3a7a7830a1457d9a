"""Issue 10's findings about accounts: links that cannot be poisoned, and more below."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy import mail
from academy.auth.models import LoginAttempt, Role, User, UserSession
from academy.db import db
from tests.conftest import AuthActions, csrf_token


def test_a_reset_asked_with_a_forged_host_header_mails_a_link_to_the_real_site(
    app, client, create_user, no_csrf
):
    user = create_user()
    response = client.post(
        "/password/forgot",
        data={"email": user.email},
        headers={"Host": "evil.example.com"},
    )
    assert response.status_code == 302
    with app.app_context():
        body = mail.outbox()[-1].body
    assert "evil.example.com" not in body
    assert "http://localhost/password/reset/" in body


# --- sessions that end ------------------------------------------------------------------


def copy_cookies(source, target) -> None:
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_a_session_cookie_copied_before_logout_no_longer_opens_anything(
    app, client, auth, create_user
):
    user = create_user()
    auth.login(user.email, remember="y")
    thief = app.test_client()
    copy_cookies(client, thief)
    assert thief.get("/dashboard").status_code == 200
    auth.logout()
    assert thief.get("/dashboard").status_code == 302  # the session cookie is dead
    thief.delete_cookie("session")
    assert thief.get("/dashboard").status_code == 302  # and so is the remember-me cookie


def test_log_out_everywhere_ends_every_session(app, client, auth, create_user):
    user = create_user()
    other_device = app.test_client()
    AuthActions(other_device).login(user.email, remember="y")
    auth.login(user.email)
    response = client.post(
        "/account/sessions/end", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    assert other_device.get("/dashboard").status_code == 302
    other_device.delete_cookie("session")
    assert other_device.get("/dashboard").status_code == 302


def test_idle_and_absolute_limits(app, client, auth, create_user, monkeypatch):
    student = create_user()
    teacher = create_user(roles=[Role.TEACHER])
    auth.login(student.email)
    staff_client = app.test_client()
    AuthActions(staff_client).login(teacher.email)

    def age(minutes: int, **fields) -> None:
        with app.app_context(), db.unit_of_work():
            for record in db.session.scalars(sa.select(UserSession)):
                for name in fields or ("last_seen_dt",):
                    setattr(record, name, getattr(record, name) - timedelta(minutes=minutes))

    age(45)  # past the staff idle limit (30), within the students' (120)
    assert client.get("/dashboard").status_code == 200
    assert staff_client.get("/dashboard").status_code == 302
    age(13 * 60, created_dt=True)  # past the absolute lifetime
    assert client.get("/dashboard").status_code == 302


def test_an_admin_disabling_a_user_ends_their_sessions(app, client, auth, create_user, read):
    from academy.auth import operations

    user = create_user()
    admin = create_user(is_site_admin=True)
    auth.login(user.email)
    with app.app_context(), db.unit_of_work():
        operations.set_user_flags(
            db.session.get(User, user.id),
            is_site_admin=False,
            is_enabled=False,
            acting=db.session.get(User, admin.id),
        )
    assert client.get("/dashboard").status_code == 302
    assert (
        read(
            lambda: db.session.scalar(sa.select(UserSession).where(UserSession.ended_dt.is_(None)))
        )
        is None
    )


# --- throttling without the denial of service -----------------------------------------


def login_from(client, address: str, email: str, password: str = "correct-horse-battery"):
    client.environ_base["REMOTE_ADDR"] = address
    return AuthActions(client).login(email, password)


def age_attempts(app, minutes: int) -> None:
    with app.app_context(), db.unit_of_work():
        for attempt in db.session.scalars(sa.select(LoginAttempt)):
            attempt.attempted_dt -= timedelta(minutes=minutes)


def test_guessing_from_elsewhere_does_not_lock_the_owner_out(app, client, create_user):
    user = create_user()
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 2):
        login_from(attacker, "203.0.113.9", user.email, "wrong-password-x")
    assert login_from(attacker, "203.0.113.9", user.email).status_code == 429
    assert login_from(client, "198.51.100.7", user.email).status_code == 302


def test_pauses_grow_but_start_short(app, client, create_user):
    user = create_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        login_from(client, "198.51.100.7", user.email, "wrong-password-x")
    response = login_from(client, "198.51.100.7", user.email)
    assert response.status_code == 429
    assert "Try again in 1 minutes" in response.get_data(as_text=True)
    age_attempts(app, 2)
    assert login_from(client, "198.51.100.7", user.email).status_code == 302


def test_a_password_reset_lifts_the_pause(app, client, create_user):
    from academy.auth import resets

    user = create_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 3):
        login_from(client, "198.51.100.7", user.email, "wrong-password-x")
    assert login_from(client, "198.51.100.7", user.email).status_code == 429
    with app.app_context(), db.unit_of_work():
        resets.request_password_reset(user.email)
        token = mail.outbox()[-1].body.split("/password/reset/")[1].split()[0]
        resets.reset_password(token, "a-brand-new-passphrase")
    assert (
        login_from(client, "198.51.100.7", user.email, "a-brand-new-passphrase").status_code == 302
    )


def test_a_classroom_behind_one_address_is_never_locked_out(app, create_user):
    pupils = [create_user() for _ in range(app.config["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"] + 5)]
    for pupil in pupils:  # everyone mistypes once, then gets it right
        browser = app.test_client()
        assert login_from(browser, "192.0.2.50", pupil.email, "wrong-password-x").status_code == 200
        assert login_from(browser, "192.0.2.50", pupil.email).status_code == 302


# --- breached and weak passwords ------------------------------------------------------


def test_breached_and_patterned_passwords_are_refused(app):
    from academy.auth.passwords import breached_passwords, password_problems

    assert len(breached_passwords()) >= 3000
    with app.app_context():
        for weak in ("qwerty123456", "football123", "abcdefghij", "9876543210", "Password123"):
            assert password_problems(weak), weak
        for strong in ("silk-road-2026", "correct-horse-battery", "FOB-Qingdao-by-rail"):
            assert password_problems(strong) == [], strong


# --- throttles on registration, reset mails and the current-password check -------------


def test_reset_mails_to_one_inbox_are_capped_and_addresses_throttled(app, client, create_user):
    user = create_user()
    for _ in range(8):
        response = client.post(
            "/password/forgot",
            data={"email": user.email, "csrf_token": csrf_token(client, "/password/forgot")},
        )
    with app.app_context():
        sent = [m for m in mail.outbox() if m.to == user.email]
    assert len(sent) == 3  # the rest are dropped silently: the inbox cannot be flooded
    for _ in range(3):
        response = client.post(
            "/password/forgot",
            data={"email": "x@example.test", "csrf_token": csrf_token(client, "/password/forgot")},
        )
    assert response.status_code == 429


def test_registrations_from_one_address_are_throttled(client, count_rows):
    for number in range(11):
        response = client.post(
            "/register",
            data={
                "email": f"new{number}@example.test",
                "display_name": f"New {number}",
                "password": "teaching-trade-2026",
                "confirm": "teaching-trade-2026",
                "csrf_token": csrf_token(client, "/register"),
            },
        )
        client.get("/")  # each registration logs in; log out by forgetting the cookie
        client.delete_cookie("session")
    assert response.status_code == 429
    assert count_rows(User, User.email.like("new%@example.test")) == 10


def test_the_current_password_check_is_throttled(app, client, auth, create_user):
    user = create_user()
    auth.login(user.email)

    def change(current: str):
        return client.post(
            "/account/password",
            data={
                "csrf_token": csrf_token(client, "/account"),
                "current_password": current,
                "new_password": "a-brand-new-passphrase",
                "confirm": "a-brand-new-passphrase",
            },
        )

    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert "not correct" in change("not-my-password").get_data(as_text=True)
    assert "Too many requests" in change("correct-horse-battery").get_data(as_text=True)
