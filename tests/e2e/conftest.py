"""Real-browser fixtures: a live server on loopback and Debian's Chromium via Playwright.

Chromium is found on PATH (or at ``ACADEMY_CHROMIUM``). Where none exists the e2e tests
are skipped with a message saying so, unless ``ACADEMY_REQUIRE_E2E=1`` (as in CI), in
which case they fail. No browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from academy import migrate
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db
from academy.seed import seed_demo
from tests.conftest import fresh_database_url, make_test_app

E2E_COURSE = Path(__file__).resolve().parents[2] / "courses" / "trade-terms-pricing"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("ACADEMY_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if path is None:
        message = (
            "no Chromium on this machine (install Debian's 'chromium' package or set "
            "ACADEMY_CHROMIUM); the e2e tests did not run"
        )
        if os.environ.get("ACADEMY_REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app behind the live server (tests may read its database to pick actors)."""
    return make_test_app(fresh_database_url(tmp_path_factory, "e2e"))


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The app on a free loopback port, with its own database and the demo data."""
    app = live_app
    with app.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with db.unit_of_work():
            # One shipped course, so the flows run on real content; seed-demo then gives
            # it the demo course team and the demo class, as `make run` does.
            package, problems = read_package(E2E_COURSE)
            assert not problems, problems
            import_package(package)
            seed_demo(2019)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Links in mails, PDFs and QR codes point where the browser can follow them.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_executable: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server: str, request: pytest.FixtureRequest):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    artifacts = os.environ.get("ACADEMY_E2E_SCREENSHOTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(artifacts) / f"{request.node.name}.png"), full_page=True)
    context.close()
