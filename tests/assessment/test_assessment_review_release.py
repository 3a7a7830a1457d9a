"""A quiz that promises answers "after close" needs a close date (issue 18).

Without one the quiz never closes, so the answers are never shown: three shipped final
quizzes once said "Answers are shown after the quiz closes" and had no close date. The
web form already refused this (``review_contradiction``); validate and import refuse it
too.
"""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.models import Quiz, ReviewPolicy
from academy.catalog.packages.reader import read_package
from academy.db import db
from tests.assessment.conftest import write_package

NO_CLOSE = 'attempts = 2\nreview = "after_close"'


def test_after_close_without_a_close_date_is_a_problem_on_the_review_line(app, tmp_path):
    root = write_package(tmp_path / "p", "release-a", "release-school-a", NO_CLOSE)
    with app.app_context():
        problems = [str(problem) for problem in read_package(root)[1]]
    assert problems == [
        "release-a/01-basics/01-check.md:6: review = \"after_close\" needs a 'close_date': "
        "without one the answers are never shown; set a close date, or use after_submit "
        "with limited attempts, or never"
    ]


def test_import_refuses_it_and_creates_nothing(app, tmp_path, runner, count_rows):
    root = write_package(tmp_path / "p", "release-b", "release-school-b", NO_CLOSE)
    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1
    assert "needs a 'close_date'" in result.output
    assert count_rows(Quiz) == 0


def test_after_close_with_a_close_date_imports(app, tmp_path, runner):
    settings = NO_CLOSE + "\nclose_date = 2100-01-01T00:00:00Z"
    root = write_package(tmp_path / "p", "release-c", "release-school-c", settings)
    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        quiz = db.session.scalars(sa.select(Quiz)).one()
        assert quiz.review == ReviewPolicy.AFTER_CLOSE and quiz.close_dt is not None
