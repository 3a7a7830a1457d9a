"""Attempts: drawing once, saving, refusing bad shapes and late saves, submitting once,
resuming after a crash, keeping keys away from the browser, marking and release."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from academy.assessment import attempts as ops
from academy.assessment import operations
from academy.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    MarkChange,
    Question,
    Quiz,
    ReviewPolicy,
)
from academy.db import db, utcnow
from academy.learning.models import LessonProgress
from tests.conftest import csrf_token, login_as


def start(client, world) -> int:
    page = f"/assessment/quizzes/{world.quiz_id}"
    response = client.post(f"{page}/start", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/assessment/attempts/(\d+)", response.headers["Location"])
    return int(match.group(1))


def token_of(client, attempt_id: int) -> str:
    return csrf_token(client, f"/assessment/attempts/{attempt_id}")


def autosave(client, attempt_id: int, token: str, data: dict):
    return client.post(
        f"/assessment/attempts/{attempt_id}/autosave",
        data=data,
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def items_of(read, attempt_id: int) -> dict[int, AttemptItem]:
    return read(
        lambda: {
            item.position: item
            for item in db.session.scalars(
                sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
            )
        }
    )


def test_start_draws_once_and_resume_gives_the_same_questions(app, client, make_quiz_world, read):
    world = make_quiz_world("shuffle_questions = true\ntime_limit_minutes = 20")
    login_as(client, world.student)
    attempt_id = start(client, world)
    first = items_of(read, attempt_id)
    assert len(first) == 11
    again = start(client, world)  # "start" again resumes
    assert again == attempt_id
    second = items_of(read, attempt_id)
    assert {p: (i.question_version_id, i.instance) for p, i in first.items()} == {
        p: (i.question_version_id, i.instance) for p, i in second.items()
    }
    calc = next(i for i in first.values() if "values" in i.instance)
    assert set(calc.instance["values"]) == {"fob", "freight", "rate_percent"}
    attempt = read(lambda: db.session.get(Attempt, attempt_id))
    assert attempt.deadline_dt - attempt.started_dt == timedelta(minutes=20)


def test_keys_never_reach_the_page_before_review(app, client, make_quiz_world):
    world = make_quiz_world('review = "never"')
    login_as(client, world.student)
    attempt_id = start(client, world)
    html = "".join(
        client.get(f"/assessment/attempts/{attempt_id}?page={page}").get_data(as_text=True)
        for page in (1, 2, 3)
    )
    assert "Commercial invoice" in html and 'name="q11-hs_code"' in html
    for secret in (
        "correct=",
        '"correct"',
        "22200",
        "formula",
        "C.I.F.",
        "1.1 * rate_percent",
        "15111",
    ):
        assert secret not in html, secret
    client.post(
        f"/assessment/attempts/{attempt_id}/submit",
        data={"csrf_token": token_of(client, attempt_id)},
    )
    review = client.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "22200" not in review and "Answer key" not in review


def test_page_save_keeps_good_answers_and_refuses_bad_shapes(app, client, make_quiz_world, read):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    data = {
        "csrf_token": token,
        "positions": ["1", "2", "3", "4", "5"],
        "q1": "z",  # not an option of the question
        "q2": ["fca", "fob"],
        "q3": "false",
        "q4": "fifteen thousand",  # a string for a numeric
        "q5": "cif",
        "go": "2",
    }
    response = client.post(f"/assessment/attempts/{attempt_id}?page=1", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose one of the options shown." in page and "Enter a number." in page
    items = items_of(read, attempt_id)
    assert items[1].response is None and items[4].response is None
    assert items[2].response == ["fca", "fob"] and items[3].response is False
    assert items[5].response == "cif"


def test_autosave_refuses_unknown_pairs_and_late_saves(app, client, make_quiz_world, read):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    response = autosave(
        client, attempt_id, token, {"q6-0": "no-such-item", "q11-total_value": "22200"}
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["errors"] == {"6": "That pair does not exist in this question."}
    assert body["saved"] == [11]
    # No CSRF header: refused.
    assert (
        client.post(f"/assessment/attempts/{attempt_id}/autosave", data={"q1": "b"}).status_code
        == 400
    )

    with app.app_context(), db.unit_of_work():
        db.session.get(Attempt, attempt_id).deadline_dt = utcnow() - timedelta(seconds=1)
    late = autosave(client, attempt_id, token, {"q11-total_value": "1"})
    assert late.status_code == 409
    assert late.get_json()["code"] == "deadline_passed"
    assert "time for this attempt is over" in late.get_json()["detail"]
    assert items_of(read, attempt_id)[11].response == {"total_value": 22200}


def test_a_crashed_client_resumes_and_is_submitted_at_the_deadline(
    app, client, make_quiz_world, read
):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    autosave(client, attempt_id, token, {"q1": "b", "q3": "false", "q5": "C.I.F."})
    autosave(client, attempt_id, token, {"q11-hs_code": "0813.40", "q11-incoterm": "FCA"})
    # The browser dies: a new client logs in and resumes where the student left off.
    fresh = app.test_client()
    login_as(fresh, world.student)
    assert start(fresh, world) == attempt_id
    page1 = fresh.get(f"/assessment/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert re.search(r'value="b" checked', page1) and 'value="C.I.F."' in page1
    page3 = fresh.get(f"/assessment/attempts/{attempt_id}?page=3").get_data(as_text=True)
    assert 'value="0813.40"' in page3

    deadline = read(lambda: db.session.get(Attempt, attempt_id).deadline_dt)
    with app.app_context(), db.unit_of_work():
        assert ops.close_expired_attempts(deadline + timedelta(minutes=1)) == 1
        assert ops.close_expired_attempts(deadline + timedelta(minutes=2)) == 0
    attempt = read(lambda: db.session.get(Attempt, attempt_id))
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.submitted_dt == deadline
    items = items_of(read, attempt_id)
    assert items[1].points == 1 and items[3].points == 1 and items[5].points == 1
    assert items[11].points == 2  # two of three fields
    assert items[9].points is None  # the essay waits for a person


def test_submitting_twice_counts_once(app, client, make_quiz_world, read, count_rows):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    for _ in range(2):
        response = client.post(
            f"/assessment/attempts/{attempt_id}/submit", data={"csrf_token": token, "q1": "b"}
        )
        assert response.status_code == 302
    assert count_rows(Attempt, Attempt.user_id == world.student.id) == 1
    auto_marks = count_rows(
        MarkChange,
        MarkChange.reason == "auto",
        MarkChange.attempt_item_id.in_(
            sa.select(AttemptItem.id).where(AttemptItem.attempt_id == attempt_id)
        ),
    )
    assert auto_marks == 10  # every item but the essay, once
    with app.app_context(), db.unit_of_work():
        assert ops.submit_attempt(db.session.get(Attempt, attempt_id)) is False


def test_another_student_cannot_open_an_attempt(app, client, make_quiz_world):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    intruder = app.test_client()
    login_as(intruder, world.other_student)
    assert intruder.get(f"/assessment/attempts/{attempt_id}").status_code == 403
    assert intruder.get(f"/assessment/attempts/{attempt_id}/review").status_code == 403
    token = csrf_token(intruder, f"/assessment/quizzes/{world.quiz_id}")
    response = autosave(intruder, attempt_id, token, {"q1": "a"})
    assert response.status_code == 403


def test_attempt_limit_and_closed_quiz(app, client, make_quiz_world):
    world = make_quiz_world("attempts = 1")
    login_as(client, world.student)
    attempt_id = start(client, world)
    client.post(
        f"/assessment/attempts/{attempt_id}/submit",
        data={"csrf_token": token_of(client, attempt_id)},
    )
    page = f"/assessment/quizzes/{world.quiz_id}"
    response = client.post(f"{page}/start", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert "used every attempt" in client.get(page).get_data(as_text=True)


def test_essay_is_marked_anonymously_and_released(app, client, make_quiz_world, read):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    autosave(client, attempt_id, token, {"q1": "b", "q9": "I would offer FCA Zhengzhou because..."})
    client.post(f"/assessment/attempts/{attempt_id}/submit", data={"csrf_token": token})
    review = client.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Marks appear here once they are released" in review

    teacher = app.test_client()
    login_as(teacher, world.teacher)
    queue = teacher.get(f"/assessment/quizzes/{world.quiz_id}/marking").get_data(as_text=True)
    code = read(lambda: db.session.get(Attempt, attempt_id).anonymous_code)
    assert code in queue and world.student.display_name not in queue
    item_id = read(
        lambda: db.session.scalar(
            sa.select(AttemptItem.id).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 9
            )
        )
    )
    mark_page = teacher.get(f"/assessment/marking/{item_id}").get_data(as_text=True)
    assert world.student.display_name not in mark_page and "FCA Zhengzhou" in mark_page
    response = teacher.post(
        f"/assessment/marking/{item_id}",
        data={
            "csrf_token": csrf_token(teacher, f"/assessment/marking/{item_id}"),
            "criterion-0": "2",
            "criterion-1": "0",
            "feedback": "Sound choice; say more about the risk.",
        },
    )
    assert response.status_code == 302
    change = read(
        lambda: db.session.scalar(
            sa.select(MarkChange).where(
                MarkChange.attempt_item_id == item_id, MarkChange.reason == "manual"
            )
        )
    )
    assert (change.old_points, change.new_points, change.changed_by_id) == (
        None,
        5,
        world.teacher.id,
    )
    review = client.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "say more about the risk" not in review  # not released yet

    manage = f"/assessment/quizzes/{world.quiz_id}/manage"
    teacher.post(
        f"/assessment/quizzes/{world.quiz_id}/release",
        data={"csrf_token": csrf_token(teacher, manage)},
    )
    review = client.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "say more about the risk" in review and "Points: 6 of 23" in review
    progress = read(
        lambda: db.session.scalar(
            sa.select(LessonProgress).where(
                LessonProgress.user_id == world.student.id,
                LessonProgress.lesson_id == world.lesson_id,
            )
        )
    )
    assert progress is not None and round(progress.score_percent, 1) == round(600 / 23, 1)


def test_regrade_after_fixing_a_key_is_logged(app, client, make_quiz_world, read):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    client.post(
        f"/assessment/attempts/{attempt_id}/submit",
        data={"csrf_token": token, "positions": ["4"], "q4": "15200"},
    )
    assert items_of(read, attempt_id)[4].points == 0
    with app.app_context(), db.unit_of_work():
        quiz = db.session.get(Quiz, world.quiz_id)
        question = db.session.scalar(
            sa.select(Question).where(
                Question.bank_id == quiz.bank_id, Question.key == "cif-value-cny"
            )
        )
        spec = {**question.latest.spec, "answer": 15200}
        operations.save_question(quiz.bank, spec, None)
    teacher = app.test_client()
    login_as(teacher, world.teacher)
    manage = f"/assessment/quizzes/{world.quiz_id}/manage"
    response = teacher.post(
        f"/assessment/quizzes/{world.quiz_id}/regrade",
        data={"csrf_token": csrf_token(teacher, manage)},
    )
    assert response.status_code == 302
    item = items_of(read, attempt_id)[4]
    assert item.points == 1
    assert read(lambda: db.session.get(AttemptItem, item.id).question_version.number) == 2
    change = read(
        lambda: db.session.scalar(
            sa.select(MarkChange).where(
                MarkChange.attempt_item_id == item.id, MarkChange.reason == "regrade"
            )
        )
    )
    assert (change.old_points, change.new_points, change.changed_by_id) == (0, 1, world.teacher.id)
    assert "regrade" in teacher.get(manage).get_data(as_text=True)


def test_reimporting_the_package_changes_nothing_and_edits_make_versions(
    app, make_quiz_world, count_rows
):
    from academy.assessment.models import QuestionVersion
    from academy.catalog.packages.importer import import_package
    from academy.catalog.packages.reader import read_package

    world = make_quiz_world()
    before = count_rows(QuestionVersion)
    with app.app_context(), db.unit_of_work():
        package, problems = read_package(world.package)
        assert problems == []
        result = import_package(package)
        assert not result.changed
    assert count_rows(QuestionVersion) == before
    questions = world.package / "questions" / "sample.toml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace("tolerance = 1\n", "tolerance = 3\n"),
        encoding="utf-8",
    )
    lesson = world.package / "01-basics" / "01-check.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("attempts = 2", "attempts = 4"))
    with app.app_context(), db.unit_of_work():
        package, problems = read_package(world.package)
        import_package(package)
    assert count_rows(QuestionVersion) == before + 1
    with app.app_context():
        assert db.session.get(Quiz, world.quiz_id).max_attempts == 4


def test_cli_closes_expired_attempts(app, runner, client, make_quiz_world, read):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    autosave(client, attempt_id, token_of(client, attempt_id), {"q1": "b"})
    with app.app_context(), db.unit_of_work():
        db.session.get(Attempt, attempt_id).deadline_dt = utcnow() - timedelta(minutes=1)
    result = runner.invoke(args=["assessment", "close-expired"])
    assert result.exit_code == 0 and "Submitted 1 attempt" in result.output
    attempt = read(lambda: db.session.get(Attempt, attempt_id))
    assert attempt.status == AttemptStatus.SUBMITTED
    assert items_of(read, attempt_id)[1].points == 1


def test_draws_by_topic_and_difficulty_are_reproducible_from_the_seed(app, make_quiz_world):
    import random

    world = make_quiz_world(
        'draw = [{ topic = "incoterms", count = 3 }, { topic = "pricing", count = 1, difficulty = 3 }]'
    )
    with app.app_context():
        quiz = db.session.get(Quiz, world.quiz_id)
        quiz.question_keys = []
        first = [v.spec["id"] for v in ops.draw_questions(quiz, random.Random("seed-1:draw"))]
        again = [v.spec["id"] for v in ops.draw_questions(quiz, random.Random("seed-1:draw"))]
        assert first == again and len(first) == 4 and len(set(first)) == 4
        assert first[3] == "cif-value-cny"  # the only pricing question of difficulty 3
        topics = {
            v.question.topic for v in ops.draw_questions(quiz, random.Random("seed-2:draw"))[:3]
        }
        assert topics == {"incoterms"}
        db.session.rollback()


def test_deadline_is_capped_by_the_close_date_and_review_waits_for_close(
    app, make_quiz_world, read
):
    world = make_quiz_world(
        'time_limit_minutes = 600\nreview = "after_close"\n'
        "open_date = 2020-01-01T00:00:00Z\nclose_date = 2100-01-01T00:00:00Z"
    )
    with app.app_context(), db.unit_of_work():
        quiz = db.session.get(Quiz, world.quiz_id)
        soon = utcnow() + timedelta(minutes=5)
        quiz.close_dt = soon
        attempt = ops.start_attempt(quiz, db.session.merge(world.student))
        assert attempt.deadline_dt == soon
        ops.submit_attempt(attempt)
        assert ops.review_allowed(attempt) is False
        after_close = soon + timedelta(seconds=1)
        # Closed, but the essay's mark is not out yet: still no key.
        assert ops.review_allowed(attempt, after_close) is False
        release_every_mark(quiz, attempt, db.session.merge(world.teacher))
        assert ops.review_allowed(attempt, after_close) is True
        quiz.open_dt = utcnow() + timedelta(days=1)
        other = db.session.merge(world.other_student)
        try:
            ops.start_attempt(quiz, other)
        except ops.OperationError as error:
            assert error.code == "quiz_closed"
        else:
            raise AssertionError("a quiz that is not open started an attempt")


def release_every_mark(quiz, attempt, teacher) -> None:
    from academy.assessment import marking

    for item in attempt.items:
        if item.points is None:
            rubric = item.question.get("rubric")
            marking.mark_item(
                item, teacher, rubric_levels=[0] * len(rubric) if rubric else None, points=0
            )
    marking.release_marks(quiz, teacher)


def test_no_key_while_another_attempt_is_possible_or_before_release(app, make_quiz_world):
    world = make_quiz_world('attempts = 2\nreview = "after_submit"')
    with app.app_context(), db.unit_of_work():
        quiz = db.session.get(Quiz, world.quiz_id)
        student = db.session.merge(world.student)
        first = ops.start_attempt(quiz, student)
        ops.submit_attempt(first)
        release_every_mark(quiz, first, db.session.merge(world.teacher))
        assert ops.marks_visible(first) is True
        assert ops.review_allowed(first) is False  # attempt 2 can still be started
        second = ops.start_attempt(quiz, student)
        assert ops.review_allowed(first) is False  # ... and is in progress
        ops.submit_attempt(second)
        assert ops.review_allowed(second) is False  # the essay is not marked yet
        release_every_mark(quiz, second, db.session.merge(world.teacher))
        assert ops.review_allowed(first) is True and ops.review_allowed(second) is True
        quiz.review = ReviewPolicy.NEVER
        assert ops.review_allowed(second) is False


def test_review_page_shows_released_essay_marks_but_no_key_before_the_last_attempt(
    app, client, make_quiz_world
):
    world = make_quiz_world('attempts = 2\nreview = "after_submit"')
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    autosave(client, attempt_id, token, {"q9": "I would offer FCA Zhengzhou because..."})
    client.post(f"/assessment/attempts/{attempt_id}/submit", data={"csrf_token": token})
    with app.app_context(), db.unit_of_work():
        attempt = db.session.get(Attempt, attempt_id)
        item = next(i for i in attempt.items if i.is_manual)
        from academy.assessment import marking

        teacher = db.session.merge(world.teacher)
        marking.mark_item(item, teacher, rubric_levels=[2, 0], feedback="Name the risk.")
        marking.release_marks(attempt.quiz, teacher)
    review = client.get(f"/assessment/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Name the risk." in review and "Points: " in review
    assert "Answer key" not in review and "22200" not in review


def test_lesson_panel_shows_attempts_and_the_grade_kept(app, client, make_quiz_world):
    from academy.assessment.panel import quiz_lesson_panel
    from academy.auth.models import User
    from academy.catalog.models import Lesson

    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    with app.test_request_context():
        lesson = db.session.get(Lesson, world.lesson_id)
        html = str(quiz_lesson_panel(lesson, db.session.get(User, world.student.id)))
    assert "Attempts so far: 1" in html and "Resume the quiz" in html
    assert f"/assessment/quizzes/{world.quiz_id}" in html
    assert attempt_id


def test_a_start_that_loses_a_race_resumes_instead_of_failing(
    app, client, make_quiz_world, monkeypatch, read
):
    """Two clicks at once: the loser hits the unique attempt number and must not see a 500."""
    import sqlalchemy as sa

    from academy.assessment.views import quiz as quiz_views

    world = make_quiz_world()
    real_start = quiz_views.ops.start_attempt
    calls = []

    def racing_start(quiz, user, now=None):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.IntegrityError("INSERT INTO attempts", {}, Exception("duplicate number"))
        return real_start(quiz, user, now)

    monkeypatch.setattr(quiz_views.ops, "start_attempt", racing_start)
    login_as(client, world.student)
    attempt_id = start(client, world)
    assert len(calls) == 2
    assert read(lambda: db.session.get(Attempt, attempt_id)).user_id == world.student.id


def test_flags_for_later_are_saved_with_the_page_and_shown_on_the_map(
    app, client, make_quiz_world, read
):
    world = make_quiz_world()
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    positions = ["1", "2", "3", "4", "5"]
    autosave(client, attempt_id, token, {"positions": positions, "q1": "b", "flag-2": "on"})
    assert [i.is_flagged for i in items_of(read, attempt_id).values()][:3] == [False, True, False]
    page = client.get(f"/assessment/attempts/{attempt_id}").get_data(as_text=True)
    assert 'aria-label="Question 2: not answered, flagged"' in page
    assert 'aria-label="Question 1: answered"' in page and "1 flagged for later" in page
    autosave(client, attempt_id, token, {"positions": positions, "q1": "b"})  # box unticked
    assert not any(i.is_flagged for i in items_of(read, attempt_id).values())
