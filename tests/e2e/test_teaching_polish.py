"""What a walk through the staff pages found broken, in Chromium.

The gradebook was reachable only by typing its URL; two parallel "New class" posts made
two classes; the staff header wrapped to two rows at 1280 px; the authoring course page
repeated HTML ids, so a label could point at another form's field.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from academy.db import db
from academy.learning.models import SchoolClass
from tests.e2e.browser import log_in

COURSE = "trade-terms-pricing"


def test_the_gradebook_is_linked_from_the_teaching_menu_and_the_class(page):
    log_in(page, "teacher@academy.test")
    page.get_by_role("link", name="Teaching", exact=True).click()
    page.get_by_role("row", name=re.compile("International Trade 2026")).get_by_role(
        "link", name="Gradebook"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradebook")
    page.get_by_role("link", name="International Trade 2026 (demo)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("International Trade 2026 (demo)")
    page.get_by_role("link", name="Gradebook", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradebook")


def test_parallel_posts_of_one_new_class_form_make_one_class(page, live_app):
    log_in(page, "teacher@academy.test")
    page.goto("/teaching/classes")
    page.get_by_label("Class name").fill("Double-click class")
    # Two posts of the same rendering at once, as a double click or a resent request.
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[action$='/teaching/classes']");
            const post = () => fetch(form.action, {method: "POST", body: new FormData(form)});
            const responses = await Promise.all([post(), post()]);
            return responses.map((r) => r.status);
        }"""
    )
    assert statuses == [200, 200]
    with live_app.app_context():
        made = db.session.scalar(
            sa.select(sa.func.count(SchoolClass.id)).where(SchoolClass.name == "Double-click class")
        )
    assert made == 1


def test_the_staff_header_is_one_row_at_1280_px(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "teacher@academy.test")
    for path in ("/dashboard", "/teaching/classes"):
        page.goto(path)
        tops = page.evaluate(
            """() => [".brand", ".main-nav li:last-child a", ".account-nav .link-button"]
                .map((selector) => document.querySelector(selector).getBoundingClientRect())
                .map((box) => Math.round(box.top + box.height / 2))"""
        )
        assert max(tops) - min(tops) <= 6, (path, tops)


def test_the_authoring_course_page_has_unique_ids_and_labels_find_their_fields(page):
    log_in(page, "teacher@academy.test")
    page.goto(f"/authoring/courses/{COURSE}")
    duplicates = page.evaluate(
        """() => {
            const seen = {};
            for (const element of document.querySelectorAll("[id]")) {
                seen[element.id] = (seen[element.id] || 0) + 1;
            }
            return Object.keys(seen).filter((id) => seen[id] > 1);
        }"""
    )
    assert duplicates == []
    module = page.get_by_role("region", name="Add a module")
    module.get_by_label("Title", exact=True).fill("Module by label")
    lesson = page.get_by_role("region", name="Add a lesson")
    expect(lesson.get_by_label("Title", exact=True)).to_have_value("")
    expect(module.get_by_label("Title", exact=True)).to_have_value(re.compile("Module by label"))
