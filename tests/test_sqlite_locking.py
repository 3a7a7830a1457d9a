"""SQLite under load: reads take no write lock, logins hash outside it, the clock retries.

These run on a database file of their own (not the suite's rolled-back connection), so the
transactions begin the way they do in production.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.auth import passwords
from academy.auth.models import LoginAttempt, User
from academy.db import db
from academy.labs import clock
from tests.conftest import DEFAULT_PASSWORD, is_postgresql, make_test_app


@pytest.fixture
def sqlite_app(tmp_path, database_url):
    if is_postgresql(database_url):
        pytest.skip("SQLite's locking only")
    path = tmp_path / "locking.sqlite3"
    app = make_test_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=False)
    with app.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with db.unit_of_work():
            from academy.auth.operations import create_user

            create_user("reader@lock.test", "Reader", DEFAULT_PASSWORD)
    app.config["DATABASE_PATH"] = str(path)
    yield app
    with app.app_context():
        db.engine.dispose()


def write_lock_is_free(path: str) -> bool:
    """Whether another connection could take the write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_page_that_only_reads_runs_while_another_connection_writes(sqlite_app):
    writer = sqlite3.connect(sqlite_app.config["DATABASE_PATH"], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # hold the write lock for the whole request
    try:
        response = sqlite_app.test_client().get("/courses")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 200


def test_login_checks_the_password_hash_outside_the_write_lock(sqlite_app, monkeypatch):
    seen: list[bool] = []
    verify = passwords.check_password_hash

    def checking(password_hash: str, password: str) -> bool:
        seen.append(write_lock_is_free(sqlite_app.config["DATABASE_PATH"]))
        return verify(password_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", checking)
    response = sqlite_app.test_client().post(
        "/login", data={"email": "reader@lock.test", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert seen == [True]
    with sqlite_app.app_context():  # the attempt and the login time were still written
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 1
        assert db.session.scalar(sa.select(User.last_login_dt)) is not None


def test_a_read_request_that_writes_after_another_commit_still_writes(sqlite_app):
    """A deferred transaction whose snapshot is stale begins again before its first write."""
    path = sqlite_app.config["DATABASE_PATH"]
    with sqlite_app.test_request_context("/", method="GET"):
        user = db.session.scalar(sa.select(User))  # the read snapshot starts here
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("UPDATE users SET display_name = 'Renamed elsewhere'")
        other.close()
        db.session.add(LoginAttempt(email=user.email, ip_address="127.0.0.1", is_success=True))
        db.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 1


def test_select_for_update_in_a_read_request_takes_the_write_lock(sqlite_app):
    """lock_market relies on holding the lock from its SELECT ... FOR UPDATE on."""
    path = sqlite_app.config["DATABASE_PATH"]
    with sqlite_app.test_request_context("/", method="GET"):
        db.session.scalar(sa.select(User))
        assert write_lock_is_free(path)
        db.session.scalar(sa.select(User).with_for_update())
        assert not write_lock_is_free(path)
        db.rollback()


def test_the_clock_tries_again_when_the_database_is_locked(app, monkeypatch):
    calls: list[int] = []

    def due(_now):
        return [type("Due", (), {"id": 7})()]

    def tick(market_id, _now):
        calls.append(market_id)
        if len(calls) == 1:
            raise sa.exc.OperationalError("UPDATE", {}, Exception("database is locked"))
        return 1

    monkeypatch.setattr(clock, "due_markets", due)
    monkeypatch.setattr(clock, "tick_market", tick)
    with app.app_context():
        result = clock.run_due_ticks()
    assert calls == [7, 7]
    assert result.advanced == {7: 1} and result.failed == []
