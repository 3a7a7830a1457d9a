"""A Henan student reading in Chinese sees a quiz deadline in Beijing time, and is told so."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from playwright.sync_api import expect

from academy.assessment.models import Quiz
from academy.catalog.models import Lesson
from academy.db import db

STUDENT = "student12@academy.test"
CLOSE_UTC = datetime(2030, 6, 1, 15, 30, tzinfo=UTC)  # 23:30 in Zhengzhou


def _set_final_quiz_close(app, value: datetime | None) -> tuple[int, datetime | None]:
    with app.app_context(), db.unit_of_work():
        quiz = db.session.scalar(
            sa.select(Quiz)
            .join(Lesson, Quiz.lesson_id == Lesson.id)
            .where(Lesson.slug == "final-quiz")
        )
        previous = quiz.close_dt
        quiz.close_dt = value
        return quiz.id, previous


def test_a_chinese_reader_sees_the_deadline_in_asia_shanghai(browser, live_server, live_app):
    quiz_id, previous = _set_final_quiz_close(live_app, CLOSE_UTC)
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        page.locator("input[name=email]").fill(STUDENT)
        page.locator("input[name=password]").fill("demo-password")
        page.locator("form button[type=submit]").last.click()
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        page.goto(f"/assessment/quizzes/{quiz_id}")
        deadline = page.locator("time.quiz-close")
        expect(deadline).to_contain_text("23:30")
        expect(deadline.locator("xpath=..")).to_contain_text("Asia/Shanghai")
    finally:
        context.close()
        _set_final_quiz_close(live_app, previous)
