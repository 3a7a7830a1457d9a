"""A timed quiz in Chromium: a student answers a calculation and a commercial invoice,
leaves, comes back to the same answers and submits; the teacher marks the essay without
seeing the student's name and releases the marks; the student sees the released mark."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.serving import make_server

from academy import migrate
from academy.db import db
from tests.conftest import fresh_database_url, make_test_app

PASSWORD = "quiz-flow-password"

QUESTIONS = """\
[[questions]]
id = "cif-from-fob"
type = "calculation"
topic = "pricing"
prompt = "FOB is USD {fob} per unit and freight USD {freight} per unit. Insurance is {rate} % of 110 % of CIF. What is the CIF price per unit?"
formula = "(fob + freight) / (1 - 1.1 * rate / 100)"
parameters = [
  { name = "fob", min = 20, max = 40, step = 0.5 },
  { name = "freight", min = 1, max = 3, step = 0.1 },
  { name = "rate", min = 0.2, max = 0.6, step = 0.1 },
]
tolerance_percent = 0.5
decimals = 2
unit = "USD"

[[questions]]
id = "jujube-invoice"
type = "document_completion"
document = "commercial_invoice"
topic = "documents"
points = 2
prompt = "Complete the invoice."
case = "Henan Jinhe Foods sells 1,200 cartons of dried jujubes (HS 0813.40) to Almaty Trade LLP at USD 18.50 per carton FCA Zhengzhou."
fields = [
  { name = "incoterm", label = "Trade term", answers = ["FCA"], match = "case_insensitive" },
  { name = "total_value", label = "Total value (USD)", type = "numeric", answer = 22200, tolerance = 0.01 },
]

[[questions]]
id = "terms-essay"
type = "essay"
topic = "incoterms"
points = 4
prompt = "Which rule would you offer a first-time buyer in Almaty, and why?"
rubric = [
  { criterion = "Chooses a suitable rule", levels = [
      { points = 0, description = "No rule or an unsuitable one" },
      { points = 2, description = "A suitable rule with reasons" } ] },
  { criterion = "Explains the exporter's risk", levels = [
      { points = 0, description = "Missing" },
      { points = 2, description = "Clear and correct" } ] },
]
"""


def _write_course(root: Path) -> Path:
    course = root / "e2e-quiz-course"
    (course / "questions").mkdir(parents=True)
    (course / "01-check").mkdir()
    (course / "course.toml").write_text(
        'slug = "e2e-quiz-course"\ntitle = "Export pricing check"\nsummary = "E2E."\n'
        'level = "introductory"\n[[partners]]\nslug = "e2e-college"\n'
        'name = "E2E College"\nkind = "school"\nrole = "lead"\n',
        encoding="utf-8",
    )
    (course / "01-check" / "module.toml").write_text('title = "Check"\n', encoding="utf-8")
    (course / "01-check" / "01-quiz.md").write_text(
        '+++\ntitle = "Pricing and documents quiz"\nkind = "quiz"\n'
        'questions = ["questions/check.toml"]\ntime_limit_minutes = 30\n+++\n\nGo.\n',
        encoding="utf-8",
    )
    (course / "questions" / "check.toml").write_text(QUESTIONS, encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def quiz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from academy.assessment.models import Quiz
    from academy.auth import operations as accounts
    from academy.auth.models import Role
    from academy.catalog.packages.importer import import_package
    from academy.catalog.packages.reader import read_package
    from academy.learning import operations as learning

    app = make_test_app(fresh_database_url(tmp_path_factory, "e2e_assessment"))
    with app.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with db.unit_of_work():
            package, problems = read_package(_write_course(tmp_path_factory.mktemp("course")))
            assert problems == []
            course = import_package(package).course
            course.is_listed = True
            college = course.lead_organisation
            teacher = accounts.create_user("teacher.e2e@example.test", "Teacher Wu", PASSWORD)
            student = accounts.create_user("student.e2e@example.test", "Student Ma", PASSWORD)
            accounts.add_membership(teacher, college, Role.TEACHER)
            accounts.add_membership(student, college, Role.STUDENT)
            school_class = learning.create_class(course, teacher, "E2E class", organisation=college)
            learning.enroll(student, course, school_class)
            quiz_id = db.session.scalar(sa.select(Quiz.id))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-quiz", daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "quiz": quiz_id}
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def _log_in(browser, base: str, email: str):
    context = browser.new_context(base_url=base, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    return context, page


def _expected_cif(app, attempt_id: int) -> str:
    from academy.assessment.models import AttemptItem
    from academy.assessment.questions.calculation import evaluate

    with app.app_context():
        item = db.session.scalar(
            sa.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 1
            )
        )
        return f"{evaluate(item.question['formula'], item.instance['values']):.2f}"


def test_timed_quiz_resume_submit_anonymous_marking_and_release(browser, quiz_server):
    base, app, quiz_id = quiz_server["url"], quiz_server["app"], quiz_server["quiz"]

    # The student starts the timed quiz and answers; autosave keeps every answer.
    context, page = _log_in(browser, base, "student.e2e@example.test")
    page.goto(f"/assessment/quizzes/{quiz_id}")
    page.get_by_role("button", name="Start an attempt").click()
    expect(page.get_by_role("timer")).to_contain_text("Time left")
    attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
    prompt = page.locator("#q1-fieldset .question-prompt").inner_text()
    assert "{fob}" not in prompt and "USD" in prompt
    cif = _expected_cif(app, attempt_id)
    page.locator("#q1-input").fill(cif)
    page.get_by_label("Trade term").fill("fca")
    page.get_by_label("Total value (USD)").fill("22,200")
    page.locator("#q3-input").fill("FCA Zhengzhou: the buyer's carrier takes over at our door.")
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    page.wait_for_timeout(1200)  # let the last keystrokes' save land
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    context.close()  # the student leaves without submitting

    # Back again: the same questions, with the saved answers.
    context, page = _log_in(browser, base, "student.e2e@example.test")
    page.goto(f"/assessment/quizzes/{quiz_id}")
    page.get_by_role("button", name="Resume the attempt").click()
    # The saved number comes back as a number: "37.10" may show as "37.1".
    expect(page.locator("#q1-input")).not_to_have_value("")
    assert float(page.locator("#q1-input").input_value()) == float(cif)
    expect(page.get_by_label("Total value (USD)")).to_have_value("22200")
    expect(page.locator("#q3-input")).to_have_value(re.compile("FCA Zhengzhou"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the attempt").click()
    expect(page.get_by_text("Marks appear here once they are released")).to_be_visible()

    # The teacher marks the essay without the student's name, then releases the marks.
    teacher_context, teacher = _log_in(browser, base, "teacher.e2e@example.test")
    teacher.goto(f"/assessment/quizzes/{quiz_id}/marking")
    expect(teacher.get_by_role("main")).not_to_contain_text("Student Ma")
    teacher.get_by_role("link", name="Question 3").click()
    expect(teacher.get_by_role("main")).not_to_contain_text("Student Ma")
    expect(teacher.get_by_text(re.compile("Candidate [0-9A-F]{8}"))).to_be_visible()
    teacher.get_by_label("2 — A suitable rule with reasons").check()
    teacher.get_by_label("0 — Missing").check()
    teacher.get_by_label("Feedback to the student").fill("Good choice; explain the risk too.")
    teacher.get_by_role("button", name="Save the mark").click()
    expect(teacher.get_by_text("Mark saved.")).to_be_visible()
    teacher.goto(f"/assessment/quizzes/{quiz_id}/manage")
    teacher.get_by_role("button", name="Release marks").click()
    expect(teacher.get_by_text("Marks released: students can now see them.")).to_be_visible()
    teacher_context.close()

    # The student sees the released mark and the marker's feedback.
    page.goto(f"/assessment/attempts/{attempt_id}/review")
    expect(page.get_by_text("Points: 5 of 7")).to_be_visible()
    expect(page.get_by_text("Good choice; explain the risk too.")).to_be_visible()
    context.close()
