"""Database plumbing: the declarative base, engines, the request-scoped session.

One ``Base`` with a naming convention serves every domain, so Alembic sees stable
constraint names on both SQLite and PostgreSQL. The session is scoped to the Flask
application context: a request or a CLI command gets its own session, and the request
commits once at the end (see ``academy.create_app``). Operations only ``flush()``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from flask.globals import app_ctx
from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.sql import Executable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


logger = logging.getLogger("academy.db")


class Base(DeclarativeBase):
    """Declarative base of every model in the application."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite has no timezone type, so values are normalised to naive UTC on the way in
    and tagged as UTC on the way out; PostgreSQL stores ``timestamp with time zone``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """Store an enum as its values in a short VARCHAR guarded by a CHECK constraint.

    The same on SQLite and PostgreSQL, and adding a member needs no ALTER TYPE.
    """
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions on its own schedule, which breaks SAVEPOINT; let
    # SQLAlchemy emit BEGIN itself (see the "begin" listener below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: HTTP methods whose requests mostly only read: their transactions start without a lock.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: ``Connection.info`` key: the SQLite transaction began deferred and has not written yet.
_DEFERRED = "academy.sqlite_deferred"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def reads_first() -> None:
    """Let this request's SQLite transaction start without the write lock.

    For a request that reads, does slow work (hashing a password) and only then writes:
    the write lock is taken at the first write instead of the first read, so the slow
    part runs outside it. GET requests behave like this already.
    """
    g.academy_reads_first = True


def _begins_deferred() -> bool:
    if not has_request_context():
        return False  # CLI commands, jobs, the clock thread: write as before
    return request.method in READING_METHODS or bool(g.get("academy_reads_first"))


def _sqlite_on_begin(connection: sa.Connection) -> None:
    # A transaction that will write starts IMMEDIATE: it takes the write lock at once, so
    # two writers queue (busy_timeout) instead of both reading and then failing to upgrade
    # their locks ("database is locked"). A request that reads (GET) starts DEFERRED: in
    # WAL mode it takes no lock at all and runs alongside the writer. Should it write after
    # all, _sqlite_before_write turns it into an IMMEDIATE one first.
    deferred = _begins_deferred()
    connection.info[_DEFERRED] = deferred
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def _sqlite_on_end(connection: sa.Connection) -> None:
    connection.info.pop(_DEFERRED, None)


def _locks_rows(context: Any) -> bool:
    # SQLite drops FOR UPDATE from the SQL, but code that asks for it (lock_market) relies
    # on holding the write lock from there on: treat it as the first write.
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def _sqlite_before_write(
    connection: sa.Connection,
    cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    # The first write of a deferred transaction: upgrading its read snapshot in place fails
    # at once ("database is locked", no busy wait) when another writer committed since the
    # snapshot was taken. Nothing has been written yet, so end the read transaction and
    # begin again IMMEDIATE, which queues for the lock like any writer. The rows read
    # before stay in the session; like any read-then-write without a lock they may be a
    # moment old, which is all a GET that writes (a lesson view, a login record) needs.
    if not connection.info.get(_DEFERRED):
        return
    if not statement.lstrip()[:7].upper().startswith(_WRITES) and not _locks_rows(context):
        return
    connection.info[_DEFERRED] = False
    if connection.in_nested_transaction():
        return  # a SAVEPOINT cannot survive a COMMIT: upgrade in place as SQLite would
    cursor.execute("COMMIT")
    cursor.execute("BEGIN IMMEDIATE")


def create_database_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings each backend needs."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_write)
        for name in ("commit", "rollback"):
            event.listen(engine, name, _sqlite_on_end)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _app_context_id() -> int:
    # Flask annotates app_ctx as an AppContext; it is a LocalProxy (wrong stub for the method).
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]


def _new_session() -> Session:
    return current_app.extensions["academy.db"].sessionmaker()


#: What code that takes "the session" accepts: the request's ``db.session`` (a scoped
#: session, which stands for the Session of the current application context) or a Session.
AnySession = Session | scoped_session[Session]


#: Key in ``Session.info`` of the rows :meth:`Database.keep_after_rollback` protects.
_KEPT_ROWS = "academy.kept_after_rollback"


class Database:
    """Per-application engines plus one session per application context."""

    def __init__(self) -> None:
        # SQLAlchemy annotates the factory as a sessionmaker; any callable returning a
        # Session works (and this one picks the current app's sessionmaker).
        self.session: scoped_session[Session] = scoped_session(
            _new_session,  # type: ignore[arg-type]
            scopefunc=_app_context_id,
        )
        self._commit_hooks: list[Callable[[], None]] = []

    def add_commit_hook(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` after each unit of work commits (the job outbox publishes)."""
        if hook not in self._commit_hooks:
            self._commit_hooks.append(hook)

    def init_app(self, app: Flask) -> None:
        engine = create_database_engine(app.config["DATABASE_URL"])
        app.extensions["academy.db"] = _DatabaseState(engine)
        app.teardown_appcontext(self._remove_session)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @property
    def engine(self) -> Engine:
        return current_app.extensions["academy.db"].engine

    def execute_dml(self, statement: Executable) -> CursorResult[Any]:
        """Run an INSERT, UPDATE or DELETE in the unit of work; the result has ``rowcount``.

        ``Session.execute`` is annotated to return a plain ``Result``; for these
        statements SQLAlchemy returns a ``CursorResult``.
        """
        return cast(CursorResult[Any], self.session.execute(statement))

    def configure_sessions(self, **options: Any) -> None:
        """Reconfigure the session factory of the current app (tests bind a connection)."""
        current_app.extensions["academy.db"].sessionmaker.configure(**options)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """Commit what the block did, or roll all of it back if it raises."""
        session = self.session()
        try:
            yield session
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def keep_after_rollback(self, model: type[Base], values: dict[str, Any]) -> None:
        """Write a row again in its own transaction if the unit of work is rolled back.

        For records of what was refused (a command the sandbox rejected): the request
        that met the refusal answers with an error status and rolls back, but the
        refusal itself is history worth keeping. The caller adds the row to the unit of
        work as usual; this only makes sure it survives a rollback.
        """
        self.session.info.setdefault(_KEPT_ROWS, []).append((model, dict(values)))

    def commit(self) -> None:
        """Commit the unit of work (rows kept after a rollback are in it already)."""
        self.session.info.pop(_KEPT_ROWS, None)
        self.session.commit()
        for hook in self._commit_hooks:
            hook()

    def rollback(self) -> None:
        """Roll the unit of work back, then write the rows marked to outlive it."""
        kept = self.session.info.pop(_KEPT_ROWS, [])
        self.session.rollback()
        if not kept:
            return
        try:
            for model, values in kept:
                self.session.add(model(**values))
            self.session.commit()
        except sa.exc.SQLAlchemyError:
            self.session.rollback()
            logger.exception("could not keep %s rows after a rollback", len(kept))


class _DatabaseState:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)


db = Database()
