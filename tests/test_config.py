"""Configuration from ACADEMY_* variables, generated secrets and production refusals."""

from __future__ import annotations

import pytest

from academy import create_app
from academy.config import ConfigurationError, DevelopmentConfig, ProductionConfig


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    first = DevelopmentConfig.load(str(tmp_path))["SECRET_KEY"]
    second = DevelopmentConfig.load(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 48
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    monkeypatch.setenv("ACADEMY_SECRET_KEY", "from-the-environment")
    values = DevelopmentConfig.load(str(tmp_path))
    assert values["DATABASE_URL"] == "sqlite:///elsewhere.sqlite3"
    assert values["SECRET_KEY"] == "from-the-environment"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ACADEMY_DATABASE_URL", raising=False)
    url = DevelopmentConfig.load(str(tmp_path))["DATABASE_URL"]
    assert url == f"sqlite:///{tmp_path}/academy.sqlite3"


def test_production_accepts_a_real_secret_and_secures_cookies(tmp_path, monkeypatch):
    production_env(monkeypatch)
    values = ProductionConfig.load(str(tmp_path))
    assert values["SESSION_COOKIE_SECURE"] is True


def test_unknown_environment_name(monkeypatch):
    monkeypatch.setenv("ACADEMY_ENV", "staging-ish")
    with pytest.raises(ConfigurationError, match="ACADEMY_ENV"):
        create_app()


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    from academy.db import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        connection = db.session.connection()  # the test's own connection holds the write lock
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


# --- issue 10: production settings, links and headers ---------------------------------

GOOD_SECRET = "kW3v9Qz2LxP7bN4cR8tY1mH6jD5sF0gA"


def production_env(monkeypatch, **values):
    monkeypatch.setenv("ACADEMY_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("ACADEMY_BASE_URL", "https://academy.example.edu")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ACADEMY_SECRET_KEY", None),
        *[
            ("ACADEMY_SECRET_KEY", secret)
            for secret in ["", "dev", "demo-secret-key", "too-short", "a" * 32, "ab" * 20]
        ],
        ("ACADEMY_SECRET_KEY", "0123456789" * 4),  # long, but a repeated pattern
        ("FLASK_DEBUG", "1"),  # the debugger runs code for anyone
        ("ACADEMY_BASE_URL", None),
        ("ACADEMY_BASE_URL", "academy.example.edu"),
        ("ACADEMY_BASE_URL", "ftp://x.example"),
    ],
)
def test_production_refuses_a_bad_setting_naming_it(tmp_path, monkeypatch, variable, value):
    production_env(monkeypatch)
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        ProductionConfig.load(str(tmp_path))


def test_production_trusts_only_the_base_urls_host_and_sends_hsts(tmp_path, monkeypatch):
    production_env(monkeypatch)
    values = ProductionConfig.load(str(tmp_path))
    assert values["TRUSTED_HOSTS"] == ["academy.example.edu"]
    assert values["HSTS_SECONDS"] >= 180 * 24 * 3600


def test_a_bad_production_setting_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "ACADEMY_ENV": "production", "ACADEMY_SECRET_KEY": "a" * 32}
    result = subprocess.run(
        [sys.executable, "-c", "from academy.cli import main; main()", "db", "current"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("Error: ACADEMY_SECRET_KEY")


def test_untrusted_hosts_are_refused(database_url):
    from tests.conftest import make_test_app

    app = make_test_app(
        database_url, BASE_URL="https://academy.example.edu", TRUSTED_HOSTS=["academy.example.edu"]
    )
    client = app.test_client()
    assert client.get("/login", headers={"Host": "evil.example.com"}).status_code == 400
    assert client.get("/login", headers={"Host": "academy.example.edu"}).status_code == 200


def test_hsts_and_no_store_on_account_and_grade_pages(database_url):
    from tests.conftest import make_test_app

    app = make_test_app(database_url, HSTS_SECONDS=3600)
    client = app.test_client()
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_links_are_built_from_the_base_url_inside_and_outside_requests(database_url):
    from academy.links import external_url
    from tests.conftest import make_test_app

    app = make_test_app(database_url, BASE_URL="https://example.edu/academy")
    with app.app_context():
        assert external_url("auth.login") == "https://example.edu/academy/login"
    with app.test_request_context("/", headers={"Host": "evil.example.com"}):
        assert external_url("auth.login") == "https://example.edu/academy/login"


def test_the_old_public_url_variable_still_sets_the_base_url_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.delenv("ACADEMY_BASE_URL", raising=False)
    monkeypatch.setenv("ACADEMY_PUBLIC_URL", "https://academy.example.edu/")
    with pytest.warns(DeprecationWarning, match="ACADEMY_BASE_URL"):
        values = DevelopmentConfig.load(str(tmp_path))
    assert values["BASE_URL"] == "https://academy.example.edu"


def test_the_base_url_wins_over_the_old_public_url(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_BASE_URL", "https://new.example.edu")
    monkeypatch.setenv("ACADEMY_PUBLIC_URL", "https://old.example.edu")
    assert DevelopmentConfig.load(str(tmp_path))["BASE_URL"] == "https://new.example.edu"
