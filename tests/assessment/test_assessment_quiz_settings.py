"""Course authors set up a quiz lesson from the web; the package view follows."""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.models import Quiz
from academy.catalog import operations as catalog
from academy.catalog.models import Course, Lesson, LessonKind, TeamRole
from academy.db import db
from tests.conftest import csrf_token, login_as


def settings_path(world) -> str:
    return f"/assessment/lessons/{world.lesson_id}/quiz-settings"


def make_owner(app, world):
    with app.app_context(), db.unit_of_work():
        course = db.session.get(Course, world.course_id)
        catalog.set_team_member(course, db.session.merge(world.teacher), TeamRole.OWNER)


def post(client, path, **fields):
    data = {
        "question_files": ["questions/sample.toml"],
        "draw": "",
        "pass_mark": "70",
        "time_limit_minutes": "30",
        "attempts": "2",
        "grade_kept": "last",
        "shuffle_options": "y",
        "review": "after_close",
        "close_date": "2100-01-01T00:00",
        "weight": "2",
        "is_anonymous_marking": "y",
        "csrf_token": csrf_token(client, path),
    }
    data.update(fields)
    return client.post(path, data=data)


def test_author_changes_the_quiz_settings(app, client, make_quiz_world, read):
    world = make_quiz_world()
    make_owner(app, world)
    login_as(client, world.teacher)
    path = settings_path(world)
    page = client.get(path).get_data(as_text=True)
    assert (
        'checked id="question_files-0" name="question_files" type="checkbox" value="questions/sample.toml"'
        in page
    )
    response = post(client, path)
    assert response.status_code == 302
    quiz = read(lambda: db.session.get(Quiz, world.quiz_id))
    assert (quiz.pass_mark, quiz.time_limit_minutes, quiz.max_attempts) == (70.0, 30, 2)
    assert (quiz.grade_kept.value, quiz.review.value, quiz.weight) == ("last", "after_close", 2.0)
    settings = read(lambda: db.session.get(Lesson, world.lesson_id).settings)
    assert settings["time_limit_minutes"] == 30 and settings["questions"] == [
        "questions/sample.toml"
    ]


def test_bad_settings_are_refused_on_their_field_and_change_nothing(
    app, client, make_quiz_world, read
):
    world = make_quiz_world("time_limit_minutes = 20")
    make_owner(app, world)
    login_as(client, world.teacher)
    path = settings_path(world)
    response = post(client, path, draw="incoterms five")
    assert response.status_code == 400
    assert 'id="draw-error"' in response.get_data(as_text=True)
    response = post(client, path, question_files=[], draw="no-such-topic 3")
    assert response.status_code == 400
    assert "but the bank has 0" in response.get_data(as_text=True)
    response = post(client, path, pass_mark="150")
    assert response.status_code == 400 and 'id="pass_mark-error"' in response.get_data(as_text=True)
    assert read(lambda: db.session.get(Quiz, world.quiz_id).time_limit_minutes) == 20


def test_a_quiz_lesson_made_on_the_web_gets_its_quiz_here(app, client, make_quiz_world, read):
    world = make_quiz_world()
    make_owner(app, world)
    with app.app_context(), db.unit_of_work():
        course = db.session.get(Course, world.course_id)
        lesson = catalog.add_lesson(
            course.modules[0],
            db.session.merge(world.teacher),
            slug="web-quiz",
            title="Web quiz",
            kind=LessonKind.QUIZ,
        )
        lesson_id = lesson.id
    login_as(client, world.teacher)
    path = f"/assessment/lessons/{lesson_id}/quiz-settings"
    response = post(client, path, time_limit_minutes="", attempts="", review="never")
    assert response.status_code == 302
    quiz = read(lambda: db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == lesson_id)))
    assert quiz is not None and quiz.question_keys and quiz.time_limit_minutes is None


def test_only_the_course_team_may_change_a_quiz(app, client, make_quiz_world):
    world = make_quiz_world()
    login_as(client, world.teacher)  # a teacher of the school, but not on the course team
    assert client.get(settings_path(world)).status_code == 403


def test_review_settings_that_could_never_show_answers_are_refused(
    app, client, make_quiz_world, read
):
    world = make_quiz_world()
    make_owner(app, world)
    login_as(client, world.teacher)
    path = settings_path(world)
    response = post(client, path, close_date="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="review-error"' in page and "set a close date" in page
    response = post(client, path, close_date="", attempts="", review="after_submit")
    assert response.status_code == 400 and "unlimited attempts" in response.get_data(as_text=True)
    assert read(lambda: db.session.get(Quiz, world.quiz_id).review.value) == "after_submit"


def test_saving_a_multi_attempt_review_warns_when_answers_show(app, client, make_quiz_world):
    world = make_quiz_world()
    make_owner(app, world)
    login_as(client, world.teacher)
    path = settings_path(world)
    response = post(client, path, review="after_submit", attempts="3")
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "only after their last attempt" in page
    assert "Never while a student can still attempt the quiz" in page
