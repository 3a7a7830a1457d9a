"""An exam keeps its answer key until the candidate is done and the marks are out.

The shipped trade-terms final quiz (two attempts, anonymous marking, review "after
submitting") once showed the key and feedback right after attempt 1, while its marks
said "not released yet" and attempt 2 could still be started.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from academy.assessment.models import Quiz
from academy.catalog.models import Lesson
from academy.db import db
from tests.e2e.browser import log_in, new_page

STUDENT = "student9@academy.test"


def _final_quiz_id(app) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Quiz.id)
            .join(Lesson, Quiz.lesson_id == Lesson.id)
            .where(Lesson.slug == "final-quiz")
        )


def _submit_an_attempt(page, quiz_id: int) -> None:
    page.goto(f"/assessment/quizzes/{quiz_id}")
    page.get_by_role("button", name="Start an attempt").click()
    page.get_by_role("button", name="Save and continue").click()
    while page.get_by_role("button", name="Save and continue").count():
        page.get_by_role("button", name="Save and continue").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the attempt").click()
    expect(page.get_by_text("Marks appear here once they are released")).to_be_visible()


def test_exam_key_waits_for_the_last_attempt_and_released_marks(
    browser, live_server, live_app, page
):
    quiz_id = _final_quiz_id(live_app)
    log_in(page, STUDENT)

    # Attempt 1 submitted, attempt 2 still open to the candidate: no key, no feedback.
    _submit_an_attempt(page, quiz_id)
    expect(page.get_by_role("heading", name="Answer key")).to_have_count(0)
    expect(page.get_by_text("Feedback:")).to_have_count(0)
    page.get_by_role("link", name="Back to the quiz").click()
    expect(page.get_by_role("button", name="Start an attempt")).to_be_visible()

    # The last attempt is in, but the essay is not marked and nothing is released.
    _submit_an_attempt(page, quiz_id)
    expect(page.get_by_role("heading", name="Answer key")).to_have_count(0)
    review_url = page.url

    # The teacher marks the essays blind and releases the marks.
    teacher = new_page(browser, live_server)
    log_in(teacher, "teacher@academy.test")
    teacher.goto(f"/assessment/quizzes/{quiz_id}/marking")
    teacher.get_by_role("link", name=re.compile(r"Question \d+")).first.click()
    while teacher.locator("input[name='criterion-0']").count():
        for criterion in range(teacher.locator("form fieldset").count()):
            teacher.locator(f"input[name='criterion-{criterion}'][value='0']").check()
        teacher.get_by_role("button", name="Save the mark").click()
        expect(teacher.get_by_text("Mark saved.")).to_be_visible()
    expect(teacher.get_by_text("Nothing to mark.")).to_be_visible()
    teacher.goto(f"/assessment/quizzes/{quiz_id}/manage")
    teacher.get_by_role("button", name="Release marks").click()
    expect(teacher.get_by_text("Marks released: students can now see them.")).to_be_visible()
    teacher.context.close()

    # Done and released: now the candidate may see the key.
    page.goto(review_url)
    expect(page.get_by_role("heading", name="Answer key").first).to_be_visible()
