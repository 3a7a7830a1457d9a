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


@pytest.mark.parametrize("secret", [None, "", "dev", "demo-secret-key", "too-short"])
def test_production_refuses_a_missing_or_demo_secret(tmp_path, monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("ACADEMY_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="ACADEMY_SECRET_KEY"):
        ProductionConfig.load(str(tmp_path))


def test_production_accepts_a_real_secret_and_secures_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("ACADEMY_SECRET_KEY", "x7" * 24)
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
