"""Issue 10's races, on PostgreSQL: parallel requests with the same reset link, the same
registration, the same first assignment submission, the same two-factor recovery code.
Each must give one winner and no 500.

Each thread has its own test client (and so its own request, session and connection) on
a database of its own. SQLite is skipped: it serialises every write transaction.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pyotp
import pytest
import sqlalchemy as sa

from academy import mail, migrate
from academy.auth import operations as auth_operations
from academy.auth import resets, two_factor
from academy.auth.models import User
from academy.db import db
from tests.conftest import (
    DEFAULT_PASSWORD,
    TEST_DATABASE_URL_VARIABLE,
    fresh_database_url,
    is_postgresql,
    make_test_app,
)

pytestmark = pytest.mark.skipif(
    not is_postgresql(os.environ.get(TEST_DATABASE_URL_VARIABLE) or "sqlite://"),
    reason="needs PostgreSQL (set ACADEMY_TEST_DATABASE_URL); SQLite serialises all writes",
)

PARALLEL = 10


@pytest.fixture
def race_app(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "races")
    app = make_test_app(url, WTF_CSRF_ENABLED=False)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    yield app
    with app.app_context():
        db.engine.dispose()


def run_together(app, request: Callable[[object, int], object]) -> list[int]:
    """Send ``request(client, number)`` from PARALLEL threads at once; their status codes."""
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def worker(number: int) -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(request(client, number).status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_a_reset_link_used_in_parallel_is_accepted_once(race_app):
    with race_app.app_context(), db.unit_of_work():
        auth_operations.create_user("racer@example.test", "Racer", DEFAULT_PASSWORD)
        resets.request_password_reset("racer@example.test")
        link = mail.outbox()[-1].body.split("http://localhost")[1].split()[0]
    statuses = run_together(
        race_app,
        lambda client, n: client.post(
            link, data={"password": f"winning-passphrase-{n}", "confirm": f"winning-passphrase-{n}"}
        ),
    )
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses


def test_parallel_registrations_of_one_address_make_one_account(race_app):
    statuses = run_together(
        race_app,
        lambda client, n: client.post(
            "/register",
            data={
                "email": "twin@example.test",
                "display_name": f"Twin {n}",
                "password": "teaching-trade-2026",
                "confirm": "teaching-trade-2026",
            },
        ),
    )
    assert 500 not in statuses
    with race_app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email == "twin@example.test")
        )
    assert count == 1 and statuses.count(302) == 1, statuses


def test_a_recovery_code_used_in_parallel_logs_in_once(race_app):
    with race_app.app_context(), db.unit_of_work():
        user = auth_operations.create_user("second@example.test", "Second", DEFAULT_PASSWORD)
        db.session.flush()
        two_factor.begin_setup(user)
        codes = two_factor.enable_two_factor(user, pyotp.TOTP(user.totp_secret).now())
    clients = []
    for _ in range(PARALLEL):
        client = race_app.test_client()
        client.post("/login", data={"email": "second@example.test", "password": DEFAULT_PASSWORD})
        clients.append(client)
    statuses = run_together(
        race_app,
        lambda _client, n: clients[n].post("/login/two-factor", data={"code": codes[0]}),
    )
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
