"""Grades in one place: quizzes, assignments (graded with their rubric) and lab checks.

The teacher's gradebook and the student's "My grades" read the same grade sources, so
an assignment's rubric grade and a lab's check show in both, and count in the total.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from academy.auth.models import Role, User
from academy.catalog.models import Lesson, LessonKind
from academy.catalog.packages.reader import read_package
from academy.db import db
from academy.labs.models import LabResult, MarketKind, SandboxMarket
from academy.learning import operations
from academy.learning.models import AssignmentSubmission
from tests.conftest import csrf_token, login_as

RUBRIC = [
    {
        "criterion": "Prices correct",
        "criterion_zh": "价格正确",
        "levels": [
            {"points": 0, "description": "wrong"},
            {"points": 3, "description": "minor slips"},
            {"points": 6, "description": "all correct"},
        ],
    },
    {
        "criterion": "Term argued",
        "levels": [
            {"points": 0, "description": "no argument"},
            {"points": 4, "description": "argued with the reason"},
        ],
    },
]


@pytest.fixture
def course_with_work(create_organisation, create_user, create_course, create_class, join, act):
    """A reading, a rubric assignment (10 points) and a checked lab; two students."""
    school = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course(
        lessons=3,
        kinds={1: LessonKind.ASSIGNMENT, 2: LessonKind.LAB},
        settings={
            1: {"submission": "text", "max_points": 10, "pass_mark": 60, "rubric": RUBRIC},
            2: {"scenario": "exam_standard", "seed": 1, "check": {"name": "win_rfq"}},
        },
    )
    school_class = create_class(course, teacher, school)
    wang = create_user(display_name="Wang Fang")
    li = create_user(display_name="Li Lei")
    join(wang, school_class)
    join(li, school_class)

    def hand_in():
        return operations.submit_assignment(
            db.session.get(User, wang.id),
            db.session.get(Lesson, course.lesson_ids[1]),
            text="CIP Almaty: USD 14,880.",
        ).id

    submission_id = act(hand_in)

    def lab_runs():
        market = SandboxMarket(
            kind=MarketKind.PRIVATE_LAB, scenario="exam_standard", seed=1, buyers=10
        )
        db.session.add(market)
        db.session.flush()
        lab = course.lesson_ids[2]
        met, missed = {"key": "won", "met": True}, {"key": "margin", "met": False}
        for passed, criteria in ((True, [met, met]), (False, [met, missed])):
            # Wang passed, then tried again and failed: the pass stays.
            db.session.add(
                LabResult(
                    market_id=market.id, lesson_id=lab, user_id=wang.id, passed=passed,
                    at_seq=1, sim_day=5, criteria=criteria,
                )
            )  # fmt: skip
        db.session.add(
            LabResult(
                market_id=market.id, lesson_id=lab, user_id=li.id, passed=False,
                at_seq=1, sim_day=5, criteria=[met, missed],
            )
        )  # fmt: skip

    act(lab_runs)
    return teacher, course, school_class, wang, li, submission_id


def grade_path(school_class, submission_id: int) -> str:
    return f"/teaching/classes/{school_class.id}/submissions/{submission_id}/grade"


def post_grade(client, school_class, submission_id, levels: dict[int, int], feedback=""):
    prefix = f"s{submission_id}-"
    data = {
        prefix + "feedback": feedback,
        prefix + "csrf_token": csrf_token(
            client, f"/teaching/classes/{school_class.id}/submissions"
        ),
        **{f"{prefix}criterion-{index}": str(level) for index, level in levels.items()},
    }
    return client.post(grade_path(school_class, submission_id), data=data)


def test_an_assignment_is_graded_with_its_rubric(app, client, course_with_work):
    teacher, _course, school_class, _wang, _li, submission_id = course_with_work
    login_as(client, teacher)
    page = client.get(f"/teaching/classes/{school_class.id}/submissions").get_data(as_text=True)
    assert "Prices correct" in page and "6 — all correct" in page
    assert f'name="s{submission_id}-points"' not in page  # the rubric gives the points

    # A criterion left without a level: refused, nothing graded, the choice kept.
    refused = post_grade(client, school_class, submission_id, {0: 2}, "Good")
    assert refused.status_code == 400
    assert "Choose a level for every criterion." in refused.get_data(as_text=True)
    assert 'value="2" checked' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AssignmentSubmission, submission_id).graded_dt is None

    assert (
        post_grade(client, school_class, submission_id, {0: 1, 1: 1}, "Fix rounding").status_code
        == 302
    )
    with app.app_context():
        graded = db.session.get(AssignmentSubmission, submission_id)
        assert (graded.points, graded.rubric_levels) == (7, [1, 1])


def test_gradebook_and_my_grades_show_assignments_and_labs(app, client, course_with_work):
    teacher, course, school_class, wang, li, submission_id = course_with_work
    login_as(client, teacher)
    book = client.get(f"/assessment/classes/{school_class.id}/gradebook").get_data(as_text=True)
    assert course.lesson_titles[1] in book and course.lesson_titles[2] in book
    assert "pending" in book  # the assignment waits for its grade
    assert "100.0 (passed)" in book  # Wang's best lab run
    assert "50.0 (not passed)" in book  # Li's

    post_grade(client, school_class, submission_id, {0: 2, 1: 1}, "Well argued")
    exported = client.get(f"/assessment/classes/{school_class.id}/gradebook.csv")
    rows = {row[0]: row for row in csv.reader(io.StringIO(exported.get_data(as_text=True)))}
    assert rows["name"][2:6] == ["lesson-2", "lesson-3", "total", "passed"]
    # Wang: assignment 100 %, lab 100 %, equal weights; passed both.
    assert rows["Wang Fang"][2:6] == ["100.0", "100.0", "100.0", "yes"]
    assert rows["Li Lei"][2:6] == ["", "50.0", "25.0", "no"]

    student = app.test_client()
    login_as(student, wang)
    mine = student.get("/assessment/grades").get_data(as_text=True)
    assert course.title in mine
    assert "Well argued" in mine and mine.count("100.0%") >= 2
    classmate = app.test_client()
    login_as(classmate, li)
    theirs = classmate.get("/assessment/grades").get_data(as_text=True)
    assert "Well argued" not in theirs and "50.0%" in theirs


def test_a_rubric_that_does_not_add_up_is_refused_on_import(tmp_path):
    source = Path(__file__).resolve().parents[2] / "courses" / "trade-terms-pricing"
    course = shutil.copytree(source, tmp_path / "trade-terms-pricing")
    memo = course / "04-quotation-practice" / "06-pricing-memo.md"
    text = memo.read_text(encoding="utf-8")
    memo.write_text(
        text.replace("max_points = 20", "max_points = 25").replace(
            "pass_mark = 60", "pass_mark = 120"
        ),
        "utf-8",
    )
    _package, problems = read_package(course)
    messages = [problem.message for problem in problems]
    assert "'pass_mark' must be from 0 to 100" in messages
    assert any("top levels add up to 20, not to 'max_points' (25)" in m for m in messages)
