"""The gradebook of a class: grades, weights, pass/fail, filters, CSV out and in."""

from __future__ import annotations

import csv
import io

from academy.assessment.models import MarkChange, OfflineMark
from academy.auth.models import User
from academy.db import db
from academy.learning.models import Enrollment
from tests.assessment.test_assessment_attempts import start, token_of
from tests.conftest import csrf_token, login_as


def submit(client, world, answers: dict) -> int:
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    client.post(
        f"/assessment/attempts/{attempt_id}/submit",
        data={"csrf_token": token, **answers},
    )
    return attempt_id


def test_gradebook_shows_kept_grades_and_exports_csv(app, client, make_quiz_world):
    world = make_quiz_world('attempts = 3\ngrade_kept = "highest"')
    login_as(client, world.student)
    for answers in ({"q1": "a"}, {"q1": "b", "q3": "false"}):
        submit(client, world, {"positions": ["1", "3"], **answers})
    teacher = app.test_client()
    login_as(teacher, world.teacher)
    page = teacher.get(f"/assessment/classes/{world.class_id}/gradebook")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert world.student.display_name in html and world.other_student.display_name in html
    assert "pending" in html  # the essay waits for marking

    filtered = teacher.get(
        f"/assessment/classes/{world.class_id}/gradebook?q={world.other_student.email}"
    ).get_data(as_text=True)
    assert world.student.display_name not in filtered

    exported = teacher.get(f"/assessment/classes/{world.class_id}/gradebook.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0][:3] == ["name", "email", "check"]
    assert len(rows) == 3


def test_offline_marks_import_validates_everything_first(app, make_quiz_world, count_rows):
    world = make_quiz_world()
    teacher = app.test_client()
    login_as(teacher, world.teacher)
    path = f"/assessment/classes/{world.class_id}/gradebook/import"
    bad = (
        "email,quiz,percent\n"
        f"{world.student.email},check,75\n"
        "nobody@example.test,check,50\n"
        f"{world.other_student.email},no-such-quiz,50\n"
        f"{world.other_student.email},check,120\n"
    )
    response = teacher.post(path, data={"csrf_token": csrf_token(teacher, path), "text": bad})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "line 3" in html and "line 4" in html and "line 5" in html
    assert count_rows(OfflineMark) == 0

    good = f"email,quiz,percent\n{world.student.email},check,75\n"
    response = teacher.post(path, data={"csrf_token": csrf_token(teacher, path), "text": good})
    assert response.status_code == 302
    assert count_rows(OfflineMark) == 1
    assert count_rows(MarkChange, MarkChange.reason == "offline") == 1
    html = teacher.get(f"/assessment/classes/{world.class_id}/gradebook").get_data(as_text=True)
    assert "75.0 (offline)" in html


def test_students_see_only_their_own_grades(app, client, make_quiz_world):
    world = make_quiz_world()
    login_as(client, world.student)
    submit(client, world, {"positions": ["1"], "q1": "b"})
    assert client.get(f"/assessment/classes/{world.class_id}/gradebook").status_code == 403
    mine = client.get("/assessment/grades").get_data(as_text=True)
    assert "Check: terms and documents" in mine
    assert "/assessment/attempts/" in mine  # the student's own attempt, to review
    other = app.test_client()
    login_as(other, world.other_student)
    theirs = other.get("/assessment/grades").get_data(as_text=True)
    # A classmate sees the same quiz, not yet taken, and nobody else's attempt.
    assert "Check: terms and documents" in theirs
    assert "/assessment/attempts/" not in theirs and "not done yet" in theirs


def test_gradebook_query_count_does_not_grow_with_the_class(app, make_quiz_world, create_user):
    import sqlalchemy as sa
    from sqlalchemy import event

    from academy.assessment.gradebook import build_gradebook
    from academy.learning.models import SchoolClass

    world = make_quiz_world()

    def queries_for_book() -> int:
        statements = []
        with app.app_context():
            engine = db.engine

            def count(*_args):
                statements.append(1)

            event.listen(engine, "before_cursor_execute", count)
            try:
                build_gradebook(db.session.get(SchoolClass, world.class_id))
            finally:
                event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    small = queries_for_book()
    for _ in range(5):
        user = create_user()
        with app.app_context(), db.unit_of_work():
            db.session.add(
                Enrollment(user_id=user.id, course_id=world.course_id, class_id=world.class_id)
            )
    assert queries_for_book() == small
    assert sa  # keeps the import used


def test_gradebook_csv_guards_display_names(app, make_quiz_world):
    world = make_quiz_world()
    with app.app_context(), db.unit_of_work():
        db.session.get(User, world.student.id).display_name = "=HYPERLINK(evil)"
    teacher = app.test_client()
    login_as(teacher, world.teacher)
    response = teacher.get(f"/assessment/classes/{world.class_id}/gradebook.csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert [row[0] for row in rows if "HYPERLINK" in row[0]] == ["'=HYPERLINK(evil)"]
