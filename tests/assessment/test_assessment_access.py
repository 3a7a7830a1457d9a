"""Role × route access matrix of the assessment domain (see tests/access.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.assessment.attempts import start_attempt, submit_attempt
from academy.assessment.models import Attempt, Question, Quiz
from academy.auth.models import Role
from academy.db import db
from tests.access import (
    ALL,
    ANON,
    EXAMINER,
    LOGGED_IN,
    MENTOR,
    NO_ROLE,
    ORG_ADMIN,
    SITE_ADMIN,
    STUDENT,
    TEACHER,
    Route,
    check_access,
    route,
)
from tests.conftest import login_as

BANK_STAFF = {TEACHER, EXAMINER, ORG_ADMIN, SITE_ADMIN}
MARKERS = {TEACHER, EXAMINER, ORG_ADMIN, SITE_ADMIN}
GRADERS = {TEACHER, ORG_ADMIN, SITE_ADMIN}
BANK_READERS = BANK_STAFF | {MENTOR}

EXPECTED: dict[str, Route] = {
    "assessment.list_banks": route("GET", "/assessment/banks", BANK_READERS),
    "assessment.show_bank": route("GET", "/assessment/banks/{bank}", BANK_READERS),
    "assessment.export_bank": route("GET", "/assessment/banks/{bank}/export", BANK_READERS),
    "assessment.import_questions": route("GET", "/assessment/banks/{bank}/import", BANK_STAFF),
    "assessment.show_question": route("GET", "/assessment/questions/{question}", BANK_READERS),
    "assessment.edit_question": route("GET", "/assessment/questions/{question}/edit", BANK_STAFF),
    # Taking quizzes: any logged-in user reaches the views; object rules decide (below).
    "assessment.show_quiz": route("GET", "/assessment/quizzes/{quiz}", LOGGED_IN),
    "assessment.start_attempt": route("POST", "/assessment/quizzes/{quiz}/start", LOGGED_IN),
    "assessment.take_attempt": route("GET", "/assessment/attempts/{attempt}", LOGGED_IN),
    "assessment.autosave_attempt": route(
        "POST", "/assessment/attempts/{attempt}/autosave", LOGGED_IN
    ),
    "assessment.submit_attempt": route("POST", "/assessment/attempts/{attempt}/submit", LOGGED_IN),
    "assessment.review_attempt": route("GET", "/assessment/attempts/{attempt}/review", LOGGED_IN),
    "assessment.dispute_item": route(
        "POST", "/assessment/attempts/{attempt}/items/1/dispute", LOGGED_IN
    ),
    "assessment.my_grades": route("GET", "/assessment/grades", LOGGED_IN),
    # Marking and quiz management: staff roles, then quiz.manage.
    "assessment.manage_quiz": route("GET", "/assessment/quizzes/{quiz}/manage", MARKERS),
    "assessment.release_marks": route("POST", "/assessment/quizzes/{quiz}/release", MARKERS),
    "assessment.regrade_quiz": route("POST", "/assessment/quizzes/{quiz}/regrade", MARKERS),
    "assessment.marking_queue": route("GET", "/assessment/quizzes/{quiz}/marking", MARKERS),
    "assessment.mark_item": route("GET", "/assessment/marking/{item}", MARKERS),
    # The gradebook: teachers and org admins, then class.teach.
    "assessment.show_gradebook": route("GET", "/assessment/classes/{class}/gradebook", GRADERS),
    "assessment.export_gradebook": route(
        "GET", "/assessment/classes/{class}/gradebook.csv", GRADERS
    ),
    "assessment.import_gradebook": route(
        "GET", "/assessment/classes/{class}/gradebook/import", GRADERS
    ),
    # Quiz settings: course authors, then course.edit (nobody is on this course's team).
    "assessment.edit_quiz_settings": route(
        "GET",
        "/assessment/lessons/{lesson}/quiz-settings",
        {TEACHER, MENTOR, ORG_ADMIN, SITE_ADMIN},
    ),
}

#: Who passes the object rules in the world below (the route rule alone is not enough).
OBJECT_ALLOWED: dict[str, set[str]] = {
    "assessment.show_quiz": {STUDENT, TEACHER, EXAMINER, ORG_ADMIN, SITE_ADMIN},
    "assessment.start_attempt": {STUDENT, SITE_ADMIN},
    "assessment.take_attempt": {STUDENT},
    "assessment.autosave_attempt": {STUDENT},
    "assessment.submit_attempt": {STUDENT},
    "assessment.review_attempt": {STUDENT, TEACHER, EXAMINER, ORG_ADMIN, SITE_ADMIN},
    "assessment.dispute_item": {STUDENT},
    "assessment.show_gradebook": {TEACHER, ORG_ADMIN, SITE_ADMIN},
    "assessment.export_gradebook": {TEACHER, ORG_ADMIN, SITE_ADMIN},
    "assessment.import_gradebook": {TEACHER, ORG_ADMIN, SITE_ADMIN},
    "assessment.edit_quiz_settings": {SITE_ADMIN},
}


@pytest.fixture
def world(app, create_user, make_quiz_world):
    """A quiz course of one school: its teacher owns the class, its student is enrolled
    and has a submitted attempt; the other roles hold memberships in the same school."""
    quiz_world = make_quiz_world('review = "after_submit"')
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_world.quiz_id)
        organisation = quiz.bank.organisation
        bank_id = quiz.bank_id
    users = {
        ANON: None,
        NO_ROLE: create_user(),
        SITE_ADMIN: create_user(is_site_admin=True),
        STUDENT: quiz_world.student,
        TEACHER: quiz_world.teacher,
    }
    for name, role in [
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=organisation)
    with app.app_context(), db.unit_of_work():
        quiz = db.session.get(Quiz, quiz_world.quiz_id)
        attempt = start_attempt(quiz, db.session.merge(quiz_world.student))
        item_id = attempt.items[8].id
        question_id = db.session.scalar(sa.select(Question.id).where(Question.bank_id == bank_id))
    values = {
        "bank": bank_id,
        "question": question_id,
        "quiz": quiz_world.quiz_id,
        "attempt": attempt.id,
        "item": item_id,
        "class": quiz_world.class_id,
        "lesson": quiz_world.lesson_id,
    }
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    spec = EXPECTED[endpoint]
    if endpoint in ("assessment.mark_item", "assessment.dispute_item"):
        with app.app_context(), db.unit_of_work():
            submit_attempt(db.session.get(Attempt, values["attempt"]))
    if who in spec.allowed and endpoint in OBJECT_ALLOWED and who not in OBJECT_ALLOWED[endpoint]:
        response = client.open(spec.path.format(**values), method=spec.method)
        assert response.status_code == 403, f"{who} passed the object rule of {endpoint}"
        return
    check_access(client, spec, values, endpoint, who)
