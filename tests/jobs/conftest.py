"""Fixtures for the queue tests: a Redis server of the test's own and an app using it.

The Redis server is started by the fixture (``redis-server`` on a free port, no
persistence), so a test can stop it to play "the broker is down" and start it again.
Tests that need it are skipped when ``redis-server`` is not installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from academy import migrate
from academy.db import db
from academy.jobs import queue
from tests.conftest import fresh_database_url, make_test_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throw-away ``redis-server`` on 127.0.0.1 that can be stopped and started."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def queue_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fresh_database_url(tmp_path_factory, "jobs")
    app = make_test_app(url)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    with app.app_context():
        db.engine.dispose()
    return url


@pytest.fixture
def queue_app(queue_database: str, redis_server: RedisServer) -> Iterator[Flask]:
    """An app on its own database with the test's Redis as broker (committing for real)."""
    if redis_server.process is None:
        redis_server.start()
    app = make_test_app(queue_database, BROKER_URL=redis_server.url)
    with app.app_context():
        queue.redis_client().flushdb()
    queue.forget_status()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def in_app(queue_app: Flask) -> Callable[..., Any]:
    """Run ``func(*args)`` in an app context and unit of work of ``queue_app``."""

    def run(func: Callable[..., Any], *args: Any) -> Any:
        with queue_app.app_context(), db.unit_of_work():
            return func(*args)

    return run
