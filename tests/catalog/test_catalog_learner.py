"""The learner's side: enrolling, opening lessons, completing them, languages, assignments."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import sqlalchemy as sa

from academy.catalog.models import Lesson, LessonKind, Module
from academy.db import db
from academy.learning.models import AssignmentSubmission, CourseCompletion, LessonProgress
from tests.conftest import csrf_token, login_as


def enrol(client, course):
    return client.post(
        f"/courses/{course.slug}/enroll",
        data={"csrf_token": csrf_token(client, f"/courses/{course.slug}")},
    )


def complete(client, course, slug):
    path = f"/courses/{course.slug}/lessons/{slug}"
    return client.post(path + "/complete", data={"csrf_token": csrf_token(client, path)})


def test_catalogue_search_and_filters(client, create_course):
    create_course(title="Incoterms in practice", tags=["incoterms"])
    create_course(title="Customs basics", tags=["customs"])
    page = client.get("/courses?q=incoterms").get_data(as_text=True)
    assert "Incoterms in practice" in page and "Customs basics" not in page
    page = client.get("/courses?tag=customs").get_data(as_text=True)
    assert "Customs basics" in page and "Incoterms in practice" not in page
    page = client.get("/courses?level=not-a-level").get_data(as_text=True)
    assert "Customs basics" in page  # an unknown filter value is ignored, not an error


def test_student_must_enrol_before_opening_lessons(client, create_user, create_course):
    student = create_user()
    course = create_course()
    login_as(client, student)
    response = client.get(f"/courses/{course.slug}/lessons/lesson-1")
    assert response.status_code == 302 and response.headers["Location"] == f"/courses/{course.slug}"
    assert enrol(client, course).status_code == 302
    assert client.get(f"/courses/{course.slug}/lessons/lesson-1").status_code == 200


def test_completing_every_required_lesson_issues_a_completion(
    client, create_user, create_course, count_rows
):
    student = create_user()
    course = create_course(lessons=2)
    login_as(client, student)
    enrol(client, course)
    complete(client, course, "lesson-1")
    assert count_rows(CourseCompletion) == 0
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "1 of 2 required lessons completed" in page
    complete(client, course, "lesson-2")
    assert count_rows(CourseCompletion, CourseCompletion.user_id == student.id) == 1
    assert "You have completed this course." in client.get(f"/courses/{course.slug}").get_data(
        as_text=True
    )
    complete(client, course, "lesson-2")  # again: still one record
    assert count_rows(CourseCompletion) == 1


def test_release_dates_and_prerequisites_hold_lessons_back(app, client, create_user, create_course):
    student = create_user()
    course = create_course(lessons=3)
    with app.app_context(), db.unit_of_work():
        lessons = {
            lesson.slug: lesson
            for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id))
        }
        lessons["lesson-2"].prerequisite = "basics/lesson-1"
        lessons["lesson-3"].release_date = date.today() + timedelta(days=3)
    login_as(client, student)
    enrol(client, course)
    response = client.get(f"/courses/{course.slug}/lessons/lesson-2", follow_redirects=True)
    assert "Complete “Lesson 1” first." in response.get_data(as_text=True)
    complete(client, course, "lesson-1")
    assert client.get(f"/courses/{course.slug}/lessons/lesson-2").status_code == 200
    response = client.get(f"/courses/{course.slug}/lessons/lesson-3", follow_redirects=True)
    assert "This lesson opens on" in response.get_data(as_text=True)


def test_chinese_learners_see_chinese_titles_and_fall_back_to_english_bodies(
    client, create_user, create_course
):
    student = create_user(preferred_locale="zh_Hans")
    course = create_course()
    login_as(client, student)
    enrol(client, course)
    page = client.get(f"/courses/{course.slug}/lessons/lesson-1").get_data(as_text=True)
    assert "第 1 课" in page  # the Chinese title
    assert "Body of lesson 1." in page  # no Chinese body: the English one
    assert "本课时暂无中文版本" in page


def test_time_on_a_lesson_is_counted_from_view_to_view(
    app, client, create_user, create_course, read
):
    from academy.learning.models import Enrollment

    student = create_user()
    course = create_course(lessons=2)
    login_as(client, student)
    enrol(client, course)
    client.get(f"/courses/{course.slug}/lessons/lesson-1")
    with app.app_context(), db.unit_of_work():
        enrollment = db.session.scalar(
            sa.select(Enrollment).where(Enrollment.user_id == student.id)
        )
        enrollment.last_activity_dt = enrollment.last_activity_dt - timedelta(minutes=4)
    client.get(f"/courses/{course.slug}/lessons/lesson-2")
    seconds = read(
        lambda: db.session.scalar(
            sa.select(LessonProgress.seconds_spent)
            .join(LessonProgress.lesson)
            .where(Lesson.slug == "lesson-1", Lesson.course_id == course.id)
        )
    )
    assert 235 <= seconds <= 300


def test_assignment_submission_rules(app, client, create_user, create_course, count_rows):
    student = create_user()
    course = create_course(lessons=1)
    with app.app_context(), db.unit_of_work():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course.id))
        lesson.kind = LessonKind.ASSIGNMENT
        lesson.settings = {"submission": "file", "max_points": 20}
    login_as(client, student)
    enrol(client, course)
    path = f"/courses/{course.slug}/lessons/lesson-1"

    def hand_in(data, name, mimetype):
        return client.post(
            path + "/submission",
            data={"file": (BytesIO(data), name, mimetype), "csrf_token": csrf_token(client, path)},
            content_type="multipart/form-data",
            follow_redirects=True,
        )

    page = hand_in(b"MZ\x90\x00 not a pdf", "memo.pdf", "application/pdf").get_data(as_text=True)
    assert "Upload a PDF, Word, Excel, PNG, JPEG or plain-text file." in page
    assert count_rows(AssignmentSubmission) == 0
    page = hand_in(b"%PDF-1.7 memo", "memo.pdf", "application/pdf").get_data(as_text=True)
    assert "Your work has been handed in." in page
    assert count_rows(AssignmentSubmission, AssignmentSubmission.user_id == student.id) == 1


def test_module_order_is_kept_in_the_syllabus(app, client, create_course):
    course = create_course(lessons=1)
    with app.app_context():
        modules = db.session.scalars(sa.select(Module).where(Module.course_id == course.id)).all()
        assert [m.slug for m in modules] == ["basics"]
    assert "Lesson 1" in client.get(f"/courses/{course.slug}").get_data(as_text=True)


def test_catalogue_queries_do_not_grow_with_the_courses(
    client, create_user, create_course, count_queries
):
    student = create_user()
    create_course(title="Course A")
    login_as(client, student)
    client.get("/courses")
    with count_queries() as few:
        client.get("/courses")
    for letter in "BCDE":
        enrol(client, create_course(title=f"Course {letter}"))
    with count_queries() as many:
        page = client.get("/courses").get_data(as_text=True)
    assert "Course E" in page and page.count("enrolled</strong>") == 4
    assert len(many) == len(few)
