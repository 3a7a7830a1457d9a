"""A quiz attempt with the keyboard only: the login page starts in the e-mail field, the
student answers, flags a question for later, moves with the question map and submits,
never touching the mouse."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_quiz_review_flow import _final_quiz_id

STUDENT = "student11@academy.test"


def tab_to(page, check: str, limit: int = 250) -> None:
    """Press Tab until the focused element satisfies ``check`` (JS, on ``element``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const element = document.activeElement; return {check}; }}"):
            return
    raise AssertionError(f"Tab never reached {check}")


def test_a_quiz_attempt_with_the_keyboard_only(page, live_app):
    quiz_id = _final_quiz_id(live_app)
    page.goto("/login")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type(STUDENT)
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"/assessment/quizzes/{quiz_id}")
    tab_to(page, "element.textContent.trim() === 'Start an attempt'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question map")).to_be_visible()

    # Question 1 answered by typing, question 2 flagged with the space bar.
    tab_to(page, "element.name === 'q1'")
    page.keyboard.type("51000")
    tab_to(page, "element.name === 'flag-2'")
    page.keyboard.press("Space")
    expect(page.locator("input[name='flag-2']")).to_be_checked()

    # The map's last button saves this page and goes to the last page.
    last = page.locator(".map-button").last
    last_label = last.get_attribute("aria-label")
    tab_to(page, f"element.getAttribute('aria-label') === {last_label!r}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Question 1: answered")).to_be_visible()
    expect(page.get_by_role("button", name="Question 2: not answered, flagged")).to_be_visible()
    expect(page.get_by_text("1 flagged for later")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "element.textContent.trim() === 'Submit the attempt'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Marks appear here once they are released")).to_be_visible()
