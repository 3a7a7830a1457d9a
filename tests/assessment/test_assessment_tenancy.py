"""Tenant isolation in marking: staff see and mark only the students they are responsible for.

The finding reproduced: a teacher of a second school creates a class on a listed course of
the first school, then opens the quiz's management page, marks the first school's student's
attempt, releases and regrades. Each step is now refused (see ``academy/assessment/scope.py``).
"""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.models import Attempt, AttemptItem, MarkChange, Quiz
from academy.auth.models import OrganisationKind, Role
from academy.catalog import operations as catalog
from academy.catalog.models import Course, TeamRole
from academy.db import db
from academy.learning import operations as learning
from academy.learning.models import SchoolClass
from tests.assessment.test_assessment_attempts import autosave, start, token_of
from tests.conftest import csrf_token, login_as

ESSAY = "I would offer FCA Zhengzhou because the buyer collects at the rail hub."


def submit_essay(app, world, student) -> tuple[int, int]:
    """``student`` sits the quiz and submits an essay answer: (attempt id, essay item id)."""
    client = app.test_client()
    login_as(client, student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    autosave(client, attempt_id, token, {"q1": "b", "q9": ESSAY})
    client.post(f"/assessment/attempts/{attempt_id}/submit", data={"csrf_token": token})
    with app.app_context():
        item_id = db.session.scalar(
            sa.select(AttemptItem.id).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 9
            )
        )
    return attempt_id, item_id


def mark(client, item_id: int, feedback: str):
    page = f"/assessment/marking/{item_id}"
    return client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "criterion-0": "0",
            "criterion-1": "0",
            "feedback": feedback,
        },
    )


def second_school_teacher(app, client, world, create_user, create_organisation):
    """A teacher of another school who creates a class on the listed course, by the form."""
    school = create_organisation(kind=OrganisationKind.SCHOOL, name="Second School")
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    login_as(client, teacher)
    response = client.post(
        "/teaching/classes",
        data={
            "csrf_token": csrf_token(client, "/teaching/classes"),
            "course": world.course_id,
            "name": "Second school's class",
            "term": "Autumn",
        },
    )
    assert response.status_code == 302
    return teacher


def test_a_second_schools_teacher_cannot_mark_release_or_regrade_our_students(
    app, client, make_quiz_world, create_user, create_organisation, read, count_rows
):
    world = make_quiz_world()
    attempt_id, item_id = submit_essay(app, world, world.student)
    code = read(lambda: db.session.get(Attempt, attempt_id).anonymous_code)
    second_school_teacher(app, client, world, create_user, create_organisation)
    manage = f"/assessment/quizzes/{world.quiz_id}/manage"

    page = client.get(manage)
    assert page.status_code == 200  # their own class gives them a place on the quiz ...
    html = page.get_data(as_text=True)
    assert code not in html and "No attempts yet." in html  # ... but not our student
    assert "Regrade all attempts" not in html and "Your students" in html
    queue = client.get(f"/assessment/quizzes/{world.quiz_id}/marking").get_data(as_text=True)
    assert code not in queue and ESSAY not in queue
    assert client.get(f"/assessment/marking/{item_id}").status_code == 403
    assert client.get(f"/assessment/attempts/{attempt_id}/review").status_code == 403

    token = csrf_token(client, manage)
    response = client.post(
        f"/assessment/marking/{item_id}",
        data={"csrf_token": token, "criterion-0": "0", "criterion-1": "0", "feedback": "zero"},
    )
    assert response.status_code == 403
    for action in ("release", "regrade"):
        url = f"/assessment/quizzes/{world.quiz_id}/{action}"
        assert client.post(url, data={"csrf_token": token}).status_code == 403

    assert (
        count_rows(MarkChange, MarkChange.attempt_item_id == item_id, MarkChange.reason != "auto")
        == 0
    )
    assert read(lambda: db.session.get(AttemptItem, item_id).points) is None
    assert read(lambda: db.session.get(Quiz, world.quiz_id).marks_released_dt) is None
    student = app.test_client()
    login_as(student, world.student)
    review = student.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Marks appear here once they are released" in review


def test_the_second_school_marks_its_own_students_only(
    app, client, make_quiz_world, create_user, create_organisation, read
):
    world = make_quiz_world()
    ours_attempt, _ours_item = submit_essay(app, world, world.student)
    teacher = second_school_teacher(app, client, world, create_user, create_organisation)
    pupil = create_user(display_name="Second School Pupil")
    with app.app_context(), db.unit_of_work():
        school_class = db.session.scalar(
            sa.select(SchoolClass).where(SchoolClass.owner_id == teacher.id)
        )
        learning.enroll(db.session.merge(pupil), school_class.course, school_class)
    theirs_attempt, theirs_item = submit_essay(app, world, pupil)

    html = client.get(f"/assessment/quizzes/{world.quiz_id}/manage").get_data(as_text=True)
    codes = read(lambda: {a.id: a.anonymous_code for a in db.session.scalars(sa.select(Attempt))})
    assert codes[theirs_attempt] in html and codes[ours_attempt] not in html
    assert client.get(f"/assessment/attempts/{theirs_attempt}/review").status_code == 200
    response = mark(client, theirs_item, "Say which carrier.")
    assert response.status_code == 302
    assert read(lambda: db.session.get(AttemptItem, theirs_item).feedback) == "Say which carrier."

    # The course's own school still sees everyone's work and releases for everyone.
    owner = app.test_client()
    login_as(owner, world.teacher)
    html = owner.get(f"/assessment/quizzes/{world.quiz_id}/manage").get_data(as_text=True)
    assert codes[theirs_attempt] in html and codes[ours_attempt] in html
    assert "Regrade all attempts" in html


def test_a_co_authoring_mentor_of_another_organisation_sees_no_students_work(
    app, client, make_quiz_world, create_user, create_organisation
):
    world = make_quiz_world()
    attempt_id, item_id = submit_essay(app, world, world.student)
    company = create_organisation(kind=OrganisationKind.ENTERPRISE, name="Mentor Co")
    mentor = create_user(roles=[Role.MENTOR, Role.TEACHER], organisation=company)
    with app.app_context(), db.unit_of_work():
        course = db.session.get(Course, world.course_id)
        catalog.set_team_member(course, db.session.merge(mentor), TeamRole.CO_AUTHOR)
    login_as(client, mentor)
    assert client.get(f"/assessment/quizzes/{world.quiz_id}/manage").status_code == 403
    assert client.get(f"/assessment/marking/{item_id}").status_code == 403
    assert client.get(f"/assessment/attempts/{attempt_id}/review").status_code == 403
    assert client.get(f"/assessment/quizzes/{world.quiz_id}").status_code == 403


def test_odd_numbers_in_marks_are_refused_on_the_field(app, client, make_quiz_world, read):
    world = make_quiz_world()
    _attempt_id, item_id = submit_essay(app, world, world.student)
    login_as(client, world.teacher)
    page = f"/assessment/marking/{item_id}"
    with app.app_context(), db.unit_of_work():
        item = db.session.get(AttemptItem, item_id)
        item.question_version.spec = {**item.question_version.spec, "rubric": []}
    for odd in ("Infinity", "NaN", "sNaN", "1e30", "-1"):
        response = client.post(page, data={"csrf_token": csrf_token(client, page), "points": odd})
        assert response.status_code == 422, odd
    assert read(lambda: db.session.get(AttemptItem, item_id).points) is None
