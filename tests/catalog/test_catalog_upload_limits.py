"""Request-size limits (issue 10): a global cap, and each upload path checks its own."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa

from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.learning.models import AssignmentSubmission
from tests.catalog.test_catalog_learner import enrol
from tests.conftest import csrf_token, login_as


@pytest.fixture
def assignment(app, client, create_user, create_course):
    """A logged-in student enrolled on a course whose one lesson is a text assignment."""
    student = create_user()
    course = create_course(lessons=1)
    with app.app_context(), db.unit_of_work():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course.id))
        lesson.kind = LessonKind.ASSIGNMENT
        lesson.settings = {"submission": "text", "max_points": 20}
    login_as(client, student)
    enrol(client, course)
    return f"/courses/{course.slug}/lessons/lesson-1"


def test_a_body_over_the_global_limit_is_refused_with_413(app, client, assignment, count_rows):
    huge = b"text=" + b"x" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        assignment + "/submission",
        data=huge,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)
    assert count_rows(AssignmentSubmission) == 0


def test_a_text_assignment_keeps_no_file_and_caps_the_text(client, assignment, read):
    html_file = b"<html><script>alert(1)</script></html>" * 1000
    client.post(
        assignment + "/submission",
        data={
            "text": "My answer.",
            "file": (BytesIO(html_file), "page.html", "text/html"),
            "csrf_token": csrf_token(client, assignment),
        },
        content_type="multipart/form-data",
    )
    submission = read(lambda: db.session.scalar(sa.select(AssignmentSubmission)))
    assert submission.text == "My answer."
    assert (submission.file_data, submission.file_type, submission.file_name) == (None, None, None)

    client.post(
        assignment + "/submission",
        data={"text": "x" * 50_001, "csrf_token": csrf_token(client, assignment)},
    )
    assert read(lambda: db.session.scalar(sa.select(AssignmentSubmission)).text) == "My answer."


def test_the_operation_refuses_an_overlong_answer_whoever_calls_it(app, create_user, create_course):
    from academy.auth.models import User
    from academy.errors import OperationError
    from academy.learning import operations

    student = create_user()
    course = create_course(lessons=1)
    with app.app_context(), db.unit_of_work():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course.id))
        lesson.kind = LessonKind.ASSIGNMENT
        with pytest.raises(OperationError, match="longer than 50,000"):
            operations.submit_assignment(
                db.session.get(User, student.id), lesson, text="x" * 50_001
            )
