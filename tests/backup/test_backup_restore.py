"""Backup → restore into a fresh database: courses, attempts, files and every market
replay to the same hash (SQLite by default, PostgreSQL with pg_dump/pg_restore)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from academy import migrate
from academy.assessment.attempts import start_attempt
from academy.assessment.models import Attempt, AttemptItem, Quiz
from academy.auth import operations as auth
from academy.catalog.models import Course, Lesson
from academy.db import db
from academy.labs import markets
from academy.labs.models import MarketKind, SandboxMarket
from tests.conftest import DEFAULT_PASSWORD, fresh_database_url, make_test_app
from tests.labs.conftest import SMALL_WORLD

COURSE = Path(__file__).resolve().parents[2] / "courses" / "b2b-foundations"


def new_app(tmp_path_factory, name: str) -> Flask:
    url = fresh_database_url(tmp_path_factory, name)
    if url.startswith("postgresql") and shutil.which("pg_restore") is None:
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    files = tmp_path_factory.mktemp(f"{name}-files")
    app = make_test_app(url, FILES_DIR=str(files))
    return app


def fill(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    result = app.test_cli_runner().invoke(args=["courses", "import", str(COURSE)])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.unit_of_work():
        student = auth.create_user("backup-student@example.test", "Student", DEFAULT_PASSWORD)
        for quiz in db.session.scalars(sa.select(Quiz).order_by(Quiz.id).limit(2)):
            start_attempt(quiz, student)
        for seed in (2019, 2020):
            market = markets.create_market(
                kind=MarketKind.CLASS_MARKET, **{**SMALL_WORLD, "seed": seed}, bots=["cautious"]
            )
            markets.add_firm(market, display_name="Student Trading", user=student)
            markets.advance_market(market, 3)
    exports = Path(app.config["FILES_DIR"]) / "exports"
    exports.mkdir(parents=True)
    (exports / "class-1-progress.csv").write_text("student,progress\nA,50%\n", encoding="utf-8")


def picture(app: Flask) -> dict:
    """What must survive: courses, attempts with their items, markets and their hashes."""
    with app.app_context():
        session = db.session
        courses = session.execute(sa.select(Course.slug, Course.title).order_by(Course.slug)).all()
        lessons = session.scalar(sa.select(sa.func.count()).select_from(Lesson))
        attempts = session.execute(
            sa.select(Attempt.id, Attempt.quiz_id, Attempt.status).order_by(Attempt.id)
        ).all()
        items = session.scalar(sa.select(sa.func.count()).select_from(AttemptItem))
        hashes = {}
        for market in session.scalars(sa.select(SandboxMarket).order_by(SandboxMarket.id)):
            report = markets.verify_market(market)
            assert report["ok"], report
            hashes[market.id] = (market.last_seq, report["replay_hash"])
        db.session.remove()
        db.engine.dispose()
    files = sorted(
        str(path.relative_to(app.config["FILES_DIR"]))
        for path in Path(app.config["FILES_DIR"]).rglob("*")
        if path.is_file()
    )
    return {
        "courses": courses,
        "lessons": lessons,
        "attempts": attempts,
        "items": items,
        "markets": hashes,
        "files": files,
    }


def test_a_restored_backup_holds_the_same_courses_attempts_files_and_market_hashes(
    tmp_path_factory, tmp_path
):
    source = new_app(tmp_path_factory, "backup_source")
    fill(source)
    before = picture(source)
    assert before["courses"] and before["attempts"] and len(before["markets"]) == 2

    destination = tmp_path / "nightly"
    result = source.test_cli_runner().invoke(args=["backup", str(destination)])
    assert result.exit_code == 0, result.output
    assert "1 files" in result.output

    target = new_app(tmp_path_factory, "backup_target")
    result = target.test_cli_runner().invoke(args=["restore", str(destination)])
    assert result.exit_code == 0, result.output
    assert picture(target) == before

    # Restoring over data needs --replace; a folder that is no backup is refused.
    again = target.test_cli_runner().invoke(args=["restore", str(destination)])
    assert again.exit_code == 1 and "not empty" in again.output
    replaced = target.test_cli_runner().invoke(args=["restore", "--replace", str(destination)])
    assert replaced.exit_code == 0, replaced.output
    assert picture(target) == before
    bogus = target.test_cli_runner().invoke(args=["restore", str(tmp_path)])
    assert bogus.exit_code == 1 and "is not a backup" in bogus.output
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_backup_refuses_a_folder_that_holds_something(tmp_path, app):
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output
