"""Teachers' classes: creating them, the class dashboard, CSV export, archiving."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.auth.models import OrganisationKind, Role, User
from academy.catalog.models import Lesson
from academy.db import db, utcnow
from academy.learning import operations, queries
from academy.learning.models import Enrollment, LessonProgress, SchoolClass
from tests.conftest import csrf_token, login_as


def create_by_form(client, **data):
    data.setdefault("csrf_token", csrf_token(client, "/teaching/classes"))
    return client.post("/teaching/classes", data=data)


@pytest.fixture
def teaching(create_organisation, create_user, create_course, create_class, join):
    """A school, its teacher, a 4-lesson course and a class with three students."""
    school = create_organisation(kind=OrganisationKind.SCHOOL)
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course(lessons=4, optional={3})
    school_class = create_class(course, teacher, school, name="Export Trade 2B")
    students = [create_user(display_name=name) for name in ("Chen Jing", "Li Na", "Zhang Wei")]
    for student in students:
        join(student, school_class)
    return school, teacher, course, school_class, students


def test_nav_shows_teaching_to_teachers(client, create_user):
    login_as(client, create_user(roles=[Role.TEACHER]))
    page = client.get("/teaching/classes").get_data(as_text=True)
    assert re.search(r'<a href="/teaching/classes" aria-current="page">Teaching</a>', page)


def test_teacher_creates_a_class_for_their_school(
    client, create_organisation, create_user, create_course, read
):
    school = create_organisation(name="Zhengzhou Vocational College")
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course()
    create_course(is_listed=False, title="Hidden draft course")
    login_as(client, teacher)
    page = client.get("/teaching/classes").get_data(as_text=True)
    assert course.title in page and "Hidden draft course" not in page
    assert "The class belongs to Zhengzhou Vocational College." in page
    response = create_by_form(client, course=course.id, name="  Export 2B  ", term="Autumn 2025")
    assert response.status_code == 302
    school_class = read(lambda: db.session.scalar(sa.select(SchoolClass)))
    assert (school_class.name, school_class.term) == ("Export 2B", "Autumn 2025")
    assert school_class.organisation_id == school.id
    assert school_class.owner_id == teacher.id
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", school_class.join_code)
    assert response.headers["Location"] == f"/teaching/classes/{school_class.id}"
    page = client.get("/teaching/classes").get_data(as_text=True)
    assert "Export 2B" in page and school_class.join_code in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name for the class."),
        ({"course": "999999"}, "Not a valid choice."),
        ({"course": "abc"}, "Invalid Choice"),
        ({"term": "x" * 61}, "Field cannot be longer than 60 characters."),
    ],
)
def test_wrong_class_input_is_shown_on_its_field(
    client, create_user, create_course, count_rows, data, message
):
    course = create_course()
    login_as(client, create_user(roles=[Role.TEACHER]))
    form = {"course": str(course.id), "name": "Export 2B", "term": "", **data}
    response = create_by_form(client, **form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_rows(SchoolClass) == 0


def test_org_admin_without_teacher_role_cannot_create(client, create_user, create_course):
    create_course()
    login_as(client, create_user(roles=[Role.ORG_ADMIN]))
    page = client.get("/teaching/classes").get_data(as_text=True)
    assert "New class" not in page
    assert create_by_form(client, course="1", name="X").status_code == 403


def test_class_dashboard_shows_code_roster_and_heat_map(
    client, teaching, complete, view, create_user
):
    _school, teacher, course, school_class, (chen, li, _zhang) = teaching
    complete(chen, course.lesson_ids[0])
    complete(chen, course.lesson_ids[1])
    view(li, course.lesson_ids[0])
    login_as(client, teacher)
    page = client.get(f"/teaching/classes/{school_class.id}").get_data(as_text=True)
    code = school_class.join_code
    assert f"<strong>{code[:4]}-{code[4:]}</strong>" in page
    assert "Students: 3" in page and "Required lessons: 3" in page
    table = page.split('class="table heatmap"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    by_name = {name: re.findall(r'class="visually-hidden">([^<]+)<', cells) for name, cells in rows}
    assert by_name["Chen Jing"] == ["Completed", "Completed", "Not started", "Not started"]
    assert by_name["Li Na"] == ["Started", "Not started", "Not started", "Not started"]
    assert by_name["Zhang Wei"] == ["Not started"] * 4
    assert "2 / 3" in table  # Chen's required lessons
    # Column headers carry the lesson titles for screen readers.
    assert f"1. {course.lesson_titles[0]}</span>" in table
    assert "(optional)" in page
    assert f'<a href="/courses/{course.slug}/lessons/lesson-1">' in page


def test_stuck_and_inactive_students(client, teaching, view, complete, act):
    _school, teacher, course, school_class, (chen, li, zhang) = teaching
    view(chen, course.lesson_ids[0])  # started today: not stuck
    view(li, course.lesson_ids[1])
    complete(zhang, course.lesson_ids[0])

    def age_li_and_zhang():
        long_ago = utcnow() - timedelta(days=20)
        db.session.execute(
            sa.update(LessonProgress)
            .where(LessonProgress.user_id.in_([li.id, zhang.id]))
            .values(
                started_dt=long_ago,
                completed_dt=sa.case(
                    (LessonProgress.completed_dt.is_not(None), long_ago), else_=None
                ),
            )
        )
        db.session.execute(
            sa.update(Enrollment)
            .where(Enrollment.user_id.in_([li.id, zhang.id]))
            .values(last_activity_dt=long_ago)
        )

    act(age_li_and_zhang)
    login_as(client, teacher)
    page = client.get(f"/teaching/classes/{school_class.id}").get_data(as_text=True)
    stuck = page.split('id="stuck-heading"', 1)[1].split("</section>", 1)[0]
    inactive = page.split('id="inactive-heading"', 1)[1].split("</section>", 1)[0]
    assert "Li Na" in stuck and course.lesson_titles[1] in stuck
    assert "Chen Jing" not in stuck and "Zhang Wei" not in stuck  # Zhang completed his
    assert "Li Na" in inactive and "Zhang Wei" in inactive and "Chen Jing" not in inactive
    assert "Stuck: 1" in page and "Inactive: 2" in page


def test_never_active_student_is_inactive(client, teaching):
    _school, teacher, _course, school_class, _students = teaching
    login_as(client, teacher)
    page = client.get(f"/teaching/classes/{school_class.id}").get_data(as_text=True)
    inactive = page.split('id="inactive-heading"', 1)[1].split("</section>", 1)[0]
    assert inactive.count(">never<") == 3


def test_another_teacher_and_students_cannot_see_the_roster(
    client, teaching, create_user, create_class, create_course
):
    school, _teacher, _course, school_class, (chen, _li, _zhang) = teaching
    other_teacher = create_user(roles=[Role.TEACHER], organisation=school)
    paths = [
        f"/teaching/classes/{school_class.id}",
        f"/teaching/classes/{school_class.id}/progress.csv",
        f"/teaching/classes/{school_class.id}/submissions",
    ]
    login_as(client, other_teacher)
    for path in paths:
        assert client.get(path).status_code == 403, path
    assert school_class.name not in client.get("/teaching/classes").get_data(as_text=True)
    # A student (even one who teaches elsewhere) of this class sees no roster either.
    login_as(client, chen)
    for path in paths:
        assert client.get(path).status_code == 403, path
    other_class = create_class(create_course(), create_user(roles=[Role.TEACHER]))
    login_as(client, create_user(roles=[Role.STUDENT]))
    assert client.get(f"/teaching/classes/{other_class.id}").status_code == 403


def test_missing_class_is_404(client, create_user):
    login_as(client, create_user(roles=[Role.TEACHER]))
    assert client.get("/teaching/classes/999999").status_code == 404


def test_school_admin_sees_the_schools_classes(client, teaching, create_user):
    school, _teacher, _course, school_class, _students = teaching
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=school)
    login_as(client, admin)
    assert school_class.name in client.get("/teaching/classes").get_data(as_text=True)
    assert client.get(f"/teaching/classes/{school_class.id}").status_code == 200


def test_csv_export(client, teaching, complete, act):
    _school, teacher, course, school_class, (chen, li, _zhang) = teaching
    complete(chen, course.lesson_ids[0])

    def rename():
        db.session.get(User, li.id).display_name = "=HYPERLINK(evil)"

    act(rename)
    login_as(client, teacher)
    response = client.get(f"/teaching/classes/{school_class.id}/progress.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="class-{school_class.id}-progress.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == [
        "Student",
        "E-mail address",
        "Joined",
        "Last activity",
        "Required lessons completed",
        "Required lessons",
    ]
    assert rows[0][6] == f"1. {course.lesson_titles[0]}"
    assert len(rows) == 4 and len(rows[0]) == 10
    chen_row = next(row for row in rows if row[0] == "Chen Jing")
    assert chen_row[4:] == ["1", "3", "completed", "not_started", "not_started", "not_started"]
    assert any(row[0] == "'=HYPERLINK(evil)" for row in rows)  # no formula injection


def test_archive_and_restore(client, teaching, create_user, read):
    _school, teacher, _course, school_class, _students = teaching
    login_as(client, teacher)
    path = f"/teaching/classes/{school_class.id}"
    response = client.post(path + "/archive", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert read(lambda: db.session.get(SchoolClass, school_class.id).is_archived)
    page = client.get(path).get_data(as_text=True)
    assert "This class is archived" in page
    assert "Archived classes" in client.get("/teaching/classes").get_data(as_text=True)
    # Archived: the code is refused.
    student = create_user()
    login_as(client, student)
    response = client.post(
        "/learning/join",
        data={"join_code": school_class.join_code, "csrf_token": csrf_token(client, "/learning")},
    )
    assert response.status_code == 400
    login_as(client, teacher)
    client.post(path + "/restore", data={"csrf_token": csrf_token(client, path)})
    assert not read(lambda: db.session.get(SchoolClass, school_class.id).is_archived)


def test_archive_needs_the_csrf_token(client, teaching, read):
    _school, teacher, _course, school_class, _students = teaching
    login_as(client, teacher)
    client.post(f"/teaching/classes/{school_class.id}/archive")
    assert not read(lambda: db.session.get(SchoolClass, school_class.id).is_archived)


def test_class_progress_query_count_does_not_grow_with_the_class(
    app, client, teaching, create_user, join, complete, view, count_queries
):
    _school, teacher, course, school_class, students = teaching
    complete(students[0], course.lesson_ids[0])
    login_as(client, teacher)
    path = f"/teaching/classes/{school_class.id}"
    with count_queries() as small:
        assert client.get(path).status_code == 200
    for number in range(12):
        student = create_user()
        join(student, school_class)
        complete(student, course.lesson_ids[number % 3])
        view(student, course.lesson_ids[3])
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), large
    assert len(large) <= 8, large
    with app.test_request_context(), count_queries() as direct:
        progress = queries.class_progress(db.session.get(SchoolClass, school_class.id))
        assert len(progress.students) == 15
    assert len(direct) <= 4, direct


def test_lessons_of_progress_are_in_syllabus_order(teaching, read):
    _school, _teacher, course, school_class, _students = teaching
    lessons = read(lambda: queries.class_lessons(school_class.course.id))
    assert [lesson.id for lesson in lessons] == course.lesson_ids
    assert read(lambda: db.session.get(Lesson, course.lesson_ids[0]).position) == 1
    assert operations.normalise_join_code(" ab-cd ef ") == "ABCDEF"
