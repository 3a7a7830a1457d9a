"""Grading a class's assignment submissions and downloading submitted files."""

from __future__ import annotations

import pytest

from academy.auth.models import Role, User
from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.learning import operations
from academy.learning.models import AssignmentSubmission
from academy.learning.views import attachment_header
from tests.conftest import csrf_token, login_as


@pytest.fixture
def graded_class(create_organisation, create_user, create_course, create_class, join, act):
    """A class whose course has a text assignment (lesson 2) and a file one (lesson 3)."""
    school = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course(
        lessons=3,
        kinds={1: LessonKind.ASSIGNMENT, 2: LessonKind.ASSIGNMENT},
        settings={1: {"submission": "text", "max_points": 20}, 2: {"submission": "file"}},
    )
    school_class = create_class(course, teacher, school)
    student = create_user(display_name="Wang Fang")
    join(student, school_class)

    def submit(lesson_index: int, **kwargs):
        def run():
            return operations.submit_assignment(
                db.session.get(User, student.id),
                db.session.get(Lesson, course.lesson_ids[lesson_index]),
                **kwargs,
            ).id

        return act(run)

    text_id = submit(1, text="FOB Qingdao: USD 12.40 per unit.\n<script>alert(1)</script>")
    file_id = submit(
        2,
        file_name='../../报价 "final"\r\n.pdf',
        file_type="application/pdf",
        file_data=b"%PDF-1.4 quote",
    )
    return teacher, course, school_class, student, text_id, file_id


def submissions_path(school_class) -> str:
    return f"/teaching/classes/{school_class.id}/submissions"


def grade(client, school_class, submission_id: int, points: str, feedback: str = ""):
    prefix = f"s{submission_id}-"
    return client.post(
        f"{submissions_path(school_class)}/{submission_id}/grade",
        data={
            prefix + "points": points,
            prefix + "feedback": feedback,
            prefix + "csrf_token": csrf_token(client, submissions_path(school_class)),
        },
    )


def test_submissions_are_listed_safely(client, graded_class):
    teacher, course, school_class, _student, text_id, file_id = graded_class
    login_as(client, teacher)
    page = client.get(submissions_path(school_class)).get_data(as_text=True)
    assert "Wang Fang · " + course.lesson_titles[1] in page
    assert "FOB Qingdao: USD 12.40 per unit.<br>&lt;script&gt;" in page
    assert "<script>alert(1)" not in page
    assert f'href="{submissions_path(school_class)}/{file_id}/file"' in page
    assert page.count("Not graded yet") == 2
    assert "Between 0 and 20 points." in page and "Between 0 and 10 points." in page
    only_text = client.get(
        submissions_path(school_class) + f"?lesson={course.lesson_ids[1]}"
    ).get_data(as_text=True)
    assert f'id="submission-{text_id}"' in only_text
    assert f'id="submission-{file_id}"' not in only_text


def test_teacher_grades_a_submission(client, graded_class, read):
    teacher, _course, school_class, _student, text_id, _file_id = graded_class
    login_as(client, teacher)
    response = grade(client, school_class, text_id, "17.5", "Good FOB build-up.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#submission-{text_id}")
    submission = read(lambda: db.session.get(AssignmentSubmission, text_id))
    assert (submission.points, submission.feedback) == (17.5, "Good FOB build-up.")
    assert submission.graded_by_id == teacher.id and submission.graded_dt is not None
    page = client.get(submissions_path(school_class)).get_data(as_text=True)
    assert "Grade saved for Wang Fang." in page
    assert "Graded: 17.5 of 20 points" in page
    assert "Change the grade" in page


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("21", "Give between 0 and 20 points."),
        ("-1", "Give between 0 and 20 points."),
        ("", "Enter the points."),
        ("lots", "Enter a number, such as 12.5."),
        ("NaN", "Enter a number, such as 12.5."),
        ("sNaN", "Enter a number, such as 12.5."),
        ("Infinity", "Enter a number, such as 12.5."),
        ("1e30", "Enter a number of at most"),
    ],
)
def test_wrong_points_are_a_field_error_and_nothing_is_saved(
    client, graded_class, read, points, message
):
    teacher, _course, school_class, _student, text_id, _file_id = graded_class
    login_as(client, teacher)
    response = grade(client, school_class, text_id, points, "feedback")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="s{text_id}-points-error"' in page
    submission = read(lambda: db.session.get(AssignmentSubmission, text_id))
    assert submission.points is None and submission.graded_dt is None


def test_submission_of_another_class_is_404(client, graded_class, create_class):
    teacher, course, _school_class, _student, text_id, _file_id = graded_class
    other_class = create_class(course, teacher, name="Another class of the same teacher")
    login_as(client, teacher)
    assert grade(client, other_class, text_id, "5").status_code == 404
    assert client.get(f"{submissions_path(other_class)}/{text_id}/file").status_code == 404
    assert client.get(f"{submissions_path(other_class)}/999999/file").status_code == 404


def test_download_has_a_safe_content_disposition(client, graded_class):
    teacher, _course, school_class, _student, text_id, file_id = graded_class
    login_as(client, teacher)
    response = client.get(f"{submissions_path(school_class)}/{file_id}/file")
    assert response.status_code == 200
    assert response.data == b"%PDF-1.4 quote"
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"final_.pdf\"; filename*=UTF-8''")
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A text answer has no file to download.
    assert client.get(f"{submissions_path(school_class)}/{text_id}/file").status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.pdf", 'attachment; filename="plan.pdf"'),
        (None, 'attachment; filename="submission-1"'),
        ("..", 'attachment; filename="submission-1"'),
        (
            "C:\\Users\\x\\a b.docx",
            "attachment; filename=\"a_b.docx\"; filename*=UTF-8''a%20b.docx",
        ),
        ("报价.pdf", "attachment; filename=\"pdf\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7.pdf"),
        (
            'x";\x00 evil=1',
            "attachment; filename=\"x_evil_1\"; filename*=UTF-8''x%22%3B%20evil%3D1",
        ),
    ],
)
def test_attachment_header(name, expected):
    assert attachment_header(name, "submission-1") == expected


def test_student_cannot_list_or_download(client, graded_class, count_rows):
    _teacher, _course, school_class, student, _text_id, file_id = graded_class
    login_as(client, student)
    assert client.get(submissions_path(school_class)).status_code == 403
    assert client.get(f"{submissions_path(school_class)}/{file_id}/file").status_code == 403
    assert count_rows(AssignmentSubmission, AssignmentSubmission.graded_dt.is_not(None)) == 0


def test_grade_address_opened_directly_leads_to_the_submission(client, graded_class):
    teacher, _course, school_class, _student, text_id, _file_id = graded_class
    login_as(client, teacher)
    response = client.get(f"{submissions_path(school_class)}/{text_id}/grade")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{submissions_path(school_class)}#submission-{text_id}"
