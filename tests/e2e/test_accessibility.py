"""The accessibility audit: axe-core over every page type, in English and in Chinese.

axe-core is vendored (``static/vendor/axe-core``) and injected into each page by the test,
so the audit runs offline. A serious or critical violation fails the test; the figures
(pages checked, violations by impact) are printed, and written as JSON to the file named
by ``ACADEMY_A11Y_REPORT`` when that is set.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.assessment.models import Question, Quiz
from academy.catalog.models import Lesson
from academy.db import db
from academy.learning.models import SchoolClass

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/static/vendor/axe-core/axe.min.js"
COURSE = "/courses/trade-terms-pricing"
FAILING_IMPACTS = ("serious", "critical")


def _ids(app) -> dict[str, int]:
    with app.app_context():
        quiz = db.session.scalar(
            sa.select(Quiz)
            .join(Lesson, Quiz.lesson_id == Lesson.id)
            .where(Lesson.slug == "final-quiz")
        )
        return {
            "class": db.session.scalar(sa.select(SchoolClass.id).order_by(SchoolClass.id)),
            "quiz": quiz.id,
            "lesson": quiz.lesson_id,
            "bank": quiz.bank_id,
            "question": db.session.scalar(
                sa.select(Question.id).where(Question.bank_id == quiz.bank_id)
            ),
        }


def _audits(ids: dict[str, int]) -> list[tuple[str | None, list[str]]]:
    """Who looks at which page types (one URL per type)."""
    return [
        (
            None,
            [
                "/",
                "/login",
                "/register",
                "/password/forgot",
                "/courses",
                COURSE,
                f"{COURSE}/lessons/why-trade-terms",
            ],
        ),
        (
            "student12@academy.test",
            [
                "/dashboard",
                "/learning",
                "/account",
                f"{COURSE}/lessons/final-quiz",
                f"/assessment/quizzes/{ids['quiz']}",
                "/assessment/grades",
                "/sandbox/firms",
            ],
        ),
        (
            "teacher@academy.test",
            [
                "/teaching/classes",
                f"/teaching/classes/{ids['class']}",
                f"/teaching/classes/{ids['class']}/submissions",
                f"/assessment/classes/{ids['class']}/gradebook",
                f"/assessment/classes/{ids['class']}/gradebook/import",
                "/authoring",
                "/authoring/courses/trade-terms-pricing",
                "/authoring/courses/trade-terms-pricing/lessons/why-trade-terms/edit",
                "/authoring/courses/trade-terms-pricing/lessons/why-trade-terms/history",
                f"/assessment/lessons/{ids['lesson']}/quiz-settings",
                f"/assessment/quizzes/{ids['quiz']}/manage",
                f"/assessment/quizzes/{ids['quiz']}/marking",
                "/assessment/banks",
                f"/assessment/banks/{ids['bank']}",
                f"/assessment/banks/{ids['bank']}/import",
                f"/assessment/questions/{ids['question']}",
                f"/sandbox/teach/classes/{ids['class']}/markets",
                "/organisations/",
            ],
        ),
        ("admin@academy.test", ["/admin/organisations", "/admin/users"]),
    ]


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/dashboard")


def _audit(page) -> list[dict]:
    # From the app's own static files: the pages' Content-Security-Policy allows only
    # same-origin scripts, which is what a real page would load too.
    page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                rule: v.id, impact: v.impact, nodes: v.nodes.length,
                target: v.nodes.length ? v.nodes[0].target.join(" ") : "",
            }));
        }"""
    )


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_no_serious_or_critical_accessibility_violations(browser, live_server, live_app, locale):
    assert AXE.exists(), "axe-core is vendored under static/vendor/axe-core"
    checked, by_impact, failures, found = 0, Counter(), [], []
    for email, paths in _audits(_ids(live_app)):
        context = browser.new_context(base_url=live_server, locale=locale)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if email:
            _log_in(page, email)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, response.status)
            expected_lang = "zh" if locale.startswith("zh") else "en"
            assert page.locator("html").get_attribute("lang").startswith(expected_lang), path
            checked += 1
            for violation in _audit(page):
                by_impact[violation["impact"]] += 1
                found.append({"page": path, **violation})
                if violation["impact"] in FAILING_IMPACTS:
                    failures.append({"page": path, **violation})
        context.close()
    figures = {
        "locale": locale,
        "pages_checked": checked,
        "violations_by_impact": dict(by_impact),
    }
    print(f"\naccessibility audit: {json.dumps(figures)}")
    report = os.environ.get("ACADEMY_A11Y_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({**figures, "violations": found}) + "\n")
    assert failures == []
