"""Co-developed courses in Chromium.

A mentor proposes a change to a published lesson, the teacher reviews the diff and
approves it, and a student sees the new revision; a student joins the demo class by its
code, completes lessons and sees the progress; the teacher sees it on the class page.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.browser import log_in, new_page

COURSE = "trade-terms-pricing"
LESSON = "why-trade-terms"
ADDITION = "A Zhengzhou exporter checks the named place before quoting."


def test_mentor_proposes_teacher_approves_student_sees_it(browser, live_server, page):
    # The mentor edits the published lesson and proposes the change.
    log_in(page, "mentor@academy.test")
    page.get_by_role("link", name="Authoring").click()
    page.get_by_role("link", name="Trade terms and export pricing").click()
    page.get_by_role("row", name=re.compile("Why trade terms matter")).get_by_role(
        "link", name="Edit"
    ).click()
    body = page.get_by_label("Body (Markdown)", exact=True)
    body.fill(body.input_value() + "\n\n" + ADDITION + "\n")
    page.get_by_label("What did you change?").fill("A sentence about the named place")
    page.get_by_role("button", name="Propose for review").click()
    expect(page.get_by_text("Your change has been sent to the course's reviewers.")).to_be_visible()
    expect(page.get_by_role("cell", name="proposed revision")).to_be_visible()

    # A student does not see it yet.
    student = new_page(browser, live_server)
    log_in(student, "student1@academy.test")
    student.goto(f"/courses/{COURSE}/lessons/{LESSON}")
    expect(student.get_by_role("heading", level=1)).to_have_text("Why trade terms matter")
    expect(student.get_by_text(ADDITION)).to_have_count(0)

    # The teacher reviews the diff and approves.
    teacher = new_page(browser, live_server)
    log_in(teacher, "teacher@academy.test")
    teacher.get_by_role("link", name="Authoring").click()
    teacher.get_by_role("link", name="Why trade terms matter").click()
    expect(teacher.locator("tr.diff-added").filter(has_text=ADDITION)).to_be_visible()
    teacher.get_by_role("button", name="Approve and publish").click()
    expect(teacher.get_by_text(re.compile(r"Revision \d+ is published\."))).to_be_visible()

    # The student now sees the new revision.
    student.reload()
    expect(student.get_by_text(ADDITION)).to_be_visible()
    expect(student.get_by_text(re.compile("Written by .*Wang Li"))).to_be_visible()
    student.context.close()
    teacher.context.close()


def test_student_joins_a_class_completes_lessons_and_the_teacher_sees_it(
    browser, live_server, page
):
    log_in(page, "student25@academy.test")
    page.get_by_role("link", name="My learning").click()
    page.get_by_label("Class join code").fill("wrong-code")
    page.get_by_role("button", name="Join the class").click()
    expect(page.get_by_text("No class has this join code.")).to_be_visible()
    page.get_by_label("Class join code").fill("silk-2026")
    page.get_by_role("button", name="Join the class").click()
    expect(page.get_by_text(re.compile("0 of \\d+ required lessons completed"))).to_be_visible()

    page.goto(f"/courses/{COURSE}")
    page.get_by_role("link", name="Why trade terms matter").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_text("Lesson completed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Why trade terms matter")
    page.get_by_role("button", name="Mark complete and continue").click()

    page.get_by_role("link", name="My learning").click()
    expect(page.get_by_text(re.compile("2 of \\d+ required lessons completed"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Continue|Why trade terms|rules", re.I)).first.click()
    expect(page).to_have_url(re.compile(f"/courses/{COURSE}/lessons/"))

    teacher = new_page(browser, live_server)
    log_in(teacher, "teacher@academy.test")
    teacher.get_by_role("link", name="Teaching").click()
    teacher.get_by_role("link", name=re.compile("International Trade 2026")).click()
    expect(teacher.locator(".join-code")).to_contain_text("SILK-2026")
    # Only the student who just joined has completed two lessons.
    row = teacher.locator("table.heatmap tbody tr").filter(has_text=re.compile(r"\b2 / \d+"))
    expect(row).to_have_count(1)
    expect(row.locator(".heat-completed")).to_have_count(2)
    teacher.context.close()
