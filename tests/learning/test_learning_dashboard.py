"""The student's "My learning" page: progress bars, where to continue, joining a class."""

from __future__ import annotations

import re

import sqlalchemy as sa

from academy.auth.models import Membership, Role, User
from academy.catalog.models import Course
from academy.db import db
from academy.learning import operations
from academy.learning.models import CourseCompletion, Enrollment, SchoolClass
from tests.conftest import csrf_token, login_as


def join_by_form(client, code: str):
    return client.post(
        "/learning/join",
        data={"join_code": code, "csrf_token": csrf_token(client, "/learning")},
    )


def test_nav_shows_my_learning_to_logged_in_users_only(client, create_user):
    assert "My learning" not in client.get("/login").get_data(as_text=True)
    login_as(client, create_user())
    page = client.get("/learning").get_data(as_text=True)
    assert re.search(r'<a href="/learning" aria-current="page">My learning</a>', page)
    assert "Teaching" not in page  # a student is not shown the teachers' entry


def test_empty_dashboard_invites_to_join(client, create_user):
    login_as(client, create_user())
    page = client.get("/learning").get_data(as_text=True)
    assert "You are not taking any course yet" in page
    assert 'href="/courses"' in page  # the catalogue
    assert 'name="join_code"' in page


def test_progress_bar_and_continue_where_left_off(
    client, create_user, create_course, act, complete, view
):
    course = create_course(lessons=4, optional={3})
    student = create_user()
    act(
        lambda: operations.enroll(
            db.session.get(User, student.id), db.session.get(Course, course.id)
        )
    )
    complete(student, course.lesson_ids[0])
    complete(student, course.lesson_ids[3])  # optional: does not count towards the bar
    view(student, course.lesson_ids[1])
    login_as(client, student)
    page = client.get("/learning").get_data(as_text=True)
    assert course.title in page
    assert "1 of 3 required lessons completed (33 %)" in page
    assert '<progress max="3" value="1"' in page
    assert "Continue where you left off:" in page
    assert course.lesson_titles[1] in page
    assert f'href="/courses/{course.slug}/lessons/lesson-2">{course.lesson_titles[1]}</a>' in page
    assert f'<a href="/courses/{course.slug}">{course.title}</a>' in page


def test_completed_course_shows_its_record_code(
    client, create_user, create_course, create_class, join, complete, read
):
    course = create_course(lessons=2)
    teacher = create_user(roles=[Role.TEACHER])
    school_class = create_class(course, teacher)
    student = create_user()
    join(student, school_class)
    for lesson_id in course.lesson_ids:
        complete(student, lesson_id)
    login_as(client, student)
    page = client.get("/learning").get_data(as_text=True)
    code = read(lambda: db.session.scalar(sa.select(CourseCompletion.code)))
    section = page.split('id="completed-heading"', 1)[1]
    assert course.title in section
    assert f"<code>{code}</code>" in section
    in_progress = page.split('id="completed-heading"', 1)[0]
    assert course.title not in in_progress


def test_join_by_code_enrolls_in_the_class(
    client, create_user, create_course, create_class, create_organisation, read
):
    school = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course()
    school_class = create_class(course, teacher, school, name="Export Trade 2B")
    student = create_user()
    login_as(client, student)
    code = school_class.join_code.lower()
    response = join_by_form(client, f" {code[:4]}-{code[4:]} ")  # as typed from a projector
    assert response.status_code == 302
    page = client.get("/learning").get_data(as_text=True)
    assert "You joined the class Export Trade 2B" in page
    assert "Class: Export Trade 2B" in page
    class_ids = read(
        lambda: db.session.scalars(
            sa.select(Enrollment.class_id).where(Enrollment.user_id == student.id)
        ).all()
    )
    assert class_ids == [school_class.id]
    memberships = read(
        lambda: db.session.execute(
            sa.select(Membership.organisation_id, Membership.role).where(
                Membership.user_id == student.id
            )
        ).all()
    )
    assert memberships == [(school.id, Role.STUDENT)]


def test_wrong_join_code_is_a_field_error_and_changes_nothing(
    client, create_user, create_course, count_rows
):
    create_course()
    student = create_user()
    login_as(client, student)
    before = count_rows(Enrollment), count_rows(Membership)
    response = join_by_form(client, "NOPE-NOPE")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No class has this join code. Check it with your teacher." in page
    assert 'id="join_code-error"' in page and 'aria-invalid="true"' in page
    assert 'value="NOPE-NOPE"' in page  # what was typed stays in the field
    assert (count_rows(Enrollment), count_rows(Membership)) == before


def test_empty_join_code_is_refused(client, create_user):
    login_as(client, create_user())
    response = join_by_form(client, "   ")
    assert response.status_code == 400
    assert "Enter the join code your teacher gave you." in response.get_data(as_text=True)


def test_archived_class_code_no_longer_works(
    client, create_user, create_course, create_class, act, count_rows
):
    course = create_course()
    school_class = create_class(course, create_user(roles=[Role.TEACHER]))
    act(lambda: operations.set_class_archived(db.session.get(SchoolClass, school_class.id), True))
    login_as(client, create_user())
    response = join_by_form(client, school_class.join_code)
    assert response.status_code == 400
    assert "No class has this join code" in response.get_data(as_text=True)
    assert count_rows(Enrollment) == 0


def test_join_without_csrf_token_is_refused(client, create_user, create_course, create_class):
    course = create_course()
    school_class = create_class(course, create_user(roles=[Role.TEACHER]))
    login_as(client, create_user())
    response = client.post("/learning/join", data={"join_code": school_class.join_code})
    assert response.status_code == 400


def test_dashboard_is_translated(client, create_user, create_course, act):
    course = create_course()
    student = create_user(preferred_locale="zh_Hans")
    act(
        lambda: operations.enroll(
            db.session.get(User, student.id), db.session.get(Course, course.id)
        )
    )
    login_as(client, student)
    page = client.get("/learning").get_data(as_text=True)
    assert "<h1>我的学习</h1>" in page
    assert "加入班级" in page
    assert "出口课程" in page  # the course's Chinese title


def test_dashboard_reads_a_fixed_number_of_queries(
    client, create_user, create_course, act, complete, count_queries
):
    student = create_user()
    login_as(client, student)

    def enroll_in_new_course():
        course = create_course(lessons=3)
        act(
            lambda: operations.enroll(
                db.session.get(User, student.id), db.session.get(Course, course.id)
            )
        )
        complete(student, course.lesson_ids[0])

    enroll_in_new_course()
    with count_queries() as one:
        assert client.get("/learning").status_code == 200
    for _ in range(3):
        enroll_in_new_course()
    with count_queries() as four:
        assert client.get("/learning").status_code == 200
    assert len(four) == len(one), four


def test_join_address_opened_directly_leads_to_the_dashboard(client, create_user):
    # After a refused code the browser shows /learning/join; switching language reloads it.
    login_as(client, create_user())
    response = client.get("/learning/join")
    assert response.status_code == 302 and response.headers["Location"] == "/learning"


def test_joining_twice_keeps_one_enrollment(
    client, create_user, create_course, create_class, count_rows
):
    course = create_course()
    school_class = create_class(course, create_user(roles=[Role.TEACHER]))
    login_as(client, create_user())
    assert join_by_form(client, school_class.join_code).status_code == 302
    assert join_by_form(client, school_class.join_code).status_code == 302
    assert count_rows(Enrollment, Enrollment.class_id == school_class.id) == 1
