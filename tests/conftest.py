"""Fixtures in the flaskr/indico style: app, client, auth helper, factories.

The suite runs on SQLite by default and on PostgreSQL when ``ACADEMY_TEST_DATABASE_URL``
is set. The schema is built once per session by the real migrations; each test runs
inside a transaction that is rolled back at its end (commits inside the app become
savepoints), so tests never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from academy import create_app, migrate
from academy.auth import operations
from academy.auth.models import Organisation, OrganisationKind, Role, User
from academy.config import TestConfig
from academy.db import db

TEST_DATABASE_URL_VARIABLE = "ACADEMY_TEST_DATABASE_URL"
DEFAULT_PASSWORD = "correct-horse-battery"


def is_postgresql(url: str) -> bool:
    return sa.engine.make_url(url).get_backend_name() == "postgresql"


def fresh_database_url(tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    """An empty database beside the test database: a new SQLite file or PG database."""
    base = os.environ.get(TEST_DATABASE_URL_VARIABLE)
    if not base:
        return "sqlite:///" + str(tmp_path_factory.mktemp(name) / f"{name}.sqlite3")
    url = sa.engine.make_url(base)
    database = f"{url.database}_{name}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def make_test_app(database_url: str, **overrides: Any) -> Flask:
    return create_app({"CONFIG_CLASS": TestConfig, "DATABASE_URL": database_url, **overrides})


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get(TEST_DATABASE_URL_VARIABLE)
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "academy-test.sqlite3")
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # start from an empty schema every run
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = make_test_app(database_url)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Wrap each test that uses the app in a transaction rolled back at the end."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        db.configure_sessions(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        with app.app_context():
            db.configure_sessions(bind=db.engine, join_transaction_mode="conservative_savepoint")
        transaction.rollback()
        connection.close()
        app.extensions["academy.mail"].outbox.clear()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def no_csrf(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn CSRF off for tests about something else (the access matrix)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``, as a browser would submit it."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = DEFAULT_PASSWORD, **extra: Any):
        data = {
            "email": email,
            "password": password,
            "csrf_token": csrf_token(self._client, "/login"),
        }
        return self._client.post("/login", data={**data, **extra})

    def logout(self):
        return self._client.post("/logout", data={"csrf_token": csrf_token(self._client, "/")})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def login_as(client: FlaskClient, user: User) -> None:
    """Log ``client`` in without a round trip through the login form (a real session row)."""
    from academy.auth.sessions import session_key, start_session

    with client.application.app_context(), db.unit_of_work():
        account = db.session.get(User, user.id)
        start_session(account)
        key = session_key(account)
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True


_counter = itertools.count(1)


@pytest.fixture
def create_organisation(app: Flask) -> Callable[..., Organisation]:
    def factory(**overrides: Any) -> Organisation:
        number = next(_counter)
        values = {
            "name": f"Test College {number}",
            "kind": OrganisationKind.SCHOOL,
            "slug": f"test-org-{number}",
        }
        values.update(overrides)
        with app.app_context(), db.unit_of_work():
            return operations.create_organisation(**values)

    return factory


@pytest.fixture
def create_user(app: Flask, create_organisation) -> Callable[..., User]:
    """Create a user; ``roles=[Role.TEACHER]`` adds memberships in ``organisation``."""

    def factory(
        roles: list[Role] | tuple[Role, ...] = (),
        organisation: Organisation | None = None,
        **overrides: Any,
    ) -> User:
        number = next(_counter)
        values = {
            "email": f"user{number}@example.test",
            "display_name": f"Test User {number}",
            "password": DEFAULT_PASSWORD,
        }
        values.update(overrides)
        if roles and organisation is None:
            organisation = create_organisation()
        with app.app_context(), db.unit_of_work():
            user = operations.create_user(**values)
            for role in roles:
                org = db.session.merge(organisation)
                operations.add_membership(user, org, role)
            # Load what views and tests read after the session closes.
            _ = [(m.role, m.organisation.slug) for m in user.memberships]
            return user

    return factory


@pytest.fixture
def read(app: Flask):
    """Run a query in a fresh app context: ``read(lambda: db.session.scalar(...))``."""

    def reader(func: Callable[[], Any]) -> Any:
        with app.app_context():
            return func()

    return reader


@pytest.fixture
def count_rows(read):
    def counter(model: type, *where: Any) -> int:
        return read(
            lambda: db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
        )

    return counter


@pytest.fixture
def count_queries(app: Flask):
    """``with count_queries() as queries: ...`` then ``len(queries)``: statements run."""

    @contextmanager
    def counter() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn, _cursor, statement, _params, _context, _many) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter
