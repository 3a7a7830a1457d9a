"""An association's certification in Chromium, from the standard to per-unit results.

The demo association's admin imports the standard, builds the intermediate programme,
previews its coverage matrix, publishes it and schedules a sitting; registers four
candidates from a list (one with extra time, one from another school); the invigilator
checks them in; the candidates start, write the offer letter and hand in, while their
theory answers and firms are played by scripted candidates (a careful one wins an RFQ
at a margin and declares correctly, a careless one does neither); two examiners mark
the letters blind and a discrepancy goes to the chief examiner; results are released;
a candidate reads the per-unit result; the teacher sees only the school's candidates.
The test stands in for the clock: it moves the sitting's start and end to now.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from academy.auth import operations as auth_operations
from academy.auth.models import OrganisationKind, Role
from academy.auth.queries import get_user_by_email
from academy.certification import practical
from academy.certification.demo import JUDGED_PARTS, PRACTICAL_TASKS, answer_theory
from academy.certification.models import Candidate, Sitting
from academy.certification.programmes.toml import dump_tables
from academy.db import db, utcnow
from tests.e2e.browser import log_in, new_page

SITTING = "E2E intermediate sitting"
CANDIDATES = {
    "student4@academy.test": "careful",
    "student5@academy.test": "careless",
    "student6@academy.test": "careful",  # the one with extra time
    "outsider@e2e.test": "careful",  # from another school
}
GRID = {
    "U1": {2: 2},
    "U2": {2: 2},
    "U4": {2: 1},
    "U5": {2: 2},
    "U6": {2: 1},
    "U7": {2: 1},
    "U3": {3: 1},
    "U9": {2: 1},
}


def _outsider(live_app) -> None:
    with live_app.app_context(), db.unit_of_work():
        if get_user_by_email("outsider@e2e.test") is None:
            school = auth_operations.create_organisation(
                "Other College", OrganisationKind.SCHOOL, "other-college"
            )
            user = auth_operations.create_user(
                "outsider@e2e.test", "Outsider Candidate", "demo-password", enforce_policy=False
            )
            auth_operations.add_membership(user, school, Role.STUDENT)


def _sitting(live_app) -> Sitting:
    return db.session.scalar(sa.select(Sitting).where(Sitting.title == SITTING))


def _move_clock(live_app, *, start: bool = False, end: bool = False) -> None:
    with live_app.app_context(), db.unit_of_work():
        sitting = _sitting(live_app)
        if start:
            sitting.starts_dt = utcnow() - timedelta(minutes=1)
        if end:
            sitting.ends_dt = utcnow() - timedelta(seconds=1)


def _play(live_app, email: str, kind: str) -> None:
    """The scripted candidate: theory answers and 40 sim-days of the firm (buyers award
    about one quote in five, so a careful firm's first declaration clears after day 30)."""
    with live_app.app_context(), db.unit_of_work():
        candidate = db.session.scalar(
            sa.select(Candidate)
            .join(Candidate.user)
            .where(Candidate.sitting_id == _sitting(live_app).id, Candidate.user.has(email=email))
        )
        answer_theory(candidate, 1.0 if kind == "careful" else 0.3, random.Random(email))
        practical.play_scripted(
            candidate.market_id, candidate.user, careful=kind == "careful", days=40
        )


def _build_programme(page) -> None:
    page.goto("/certification/standards")
    page.get_by_label("Standard file", exact=True).select_option(
        "cross-border-b2b-export-operations"
    )
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_role("heading", name=re.compile("Cross-border B2B export operations"))
    ).to_be_visible()
    page.get_by_role("listitem").filter(has_text="Intermediate").get_by_role(
        "link", name="New programme"
    ).click()
    page.get_by_label("Title", exact=True).fill("E2E intermediate programme")
    expect(page.get_by_label("Level", exact=True)).to_have_value(re.compile(r"\d+"))
    for unit, cells in GRID.items():
        for difficulty, count in cells.items():
            page.get_by_label(f"Unit {unit}, difficulty {difficulty}").fill(str(count))
    page.get_by_label("Exam seed", exact=True).fill("4600")
    page.get_by_label("Bot rivals", exact=True).fill("cautious")
    page.get_by_label("Practical tasks", exact=True).fill(dump_tables("tasks", PRACTICAL_TASKS))
    page.get_by_label("Judged parts", exact=True).fill(dump_tables("parts", JUDGED_PARTS))
    page.get_by_role("button", name="Save and preview the coverage").click()
    expect(page.locator("#coverage")).to_contain_text("U8")
    expect(page.get_by_text("The bank can fill every rule")).to_be_visible()
    page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_text("The programme is published")).to_be_visible()


def _schedule_and_register(page) -> None:
    page.get_by_role("link", name="Schedule a sitting").click()
    later = utcnow() + timedelta(days=1)
    page.get_by_label("Title", exact=True).fill(SITTING)
    page.get_by_label("Starts (UTC)", exact=True).fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends (UTC)", exact=True).fill(
        (later + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Room", exact=True).fill("Building B, room 101")
    page.get_by_label("Seats", exact=True).fill("10")
    page.get_by_role("button", name="Schedule").click()
    lines = "\n".join(
        f"{email},{20 if email == 'student6@academy.test' else 0}" for email in CANDIDATES
    )
    page.get_by_label("Candidate list (CSV)", exact=True).fill(
        "email,extra_minutes\n" + lines + "\n"
    )
    page.get_by_role("button", name="Register the list").click()
    expect(page.get_by_text("4 candidates are registered.")).to_be_visible()
    expect(page.locator("#candidates tbody tr")).to_have_count(4)


def _check_in(browser, live_server) -> None:
    invigilator = new_page(browser, live_server, 60_000)
    log_in(invigilator, "invigilator@academy.test")
    invigilator.goto("/certification/")
    invigilator.get_by_role("row").filter(has_text=SITTING).get_by_role(
        "link", name="Check-in"
    ).click()
    for seat in range(1, 5):
        row = (
            invigilator.locator("#check-in tbody tr")
            .filter(has=invigilator.get_by_role("button", name="Check in"))
            .first
        )
        row.get_by_label("Seat", exact=True).fill(f"B{seat:02d}")
        row.get_by_label("Identity confirmed", exact=True).check()
        row.get_by_role("button", name="Check in").click()
        expect(invigilator.get_by_text("is checked in.")).to_be_visible()
    expect(invigilator.locator("#check-in")).not_to_contain_text("registered")


def _sit(browser, live_server, live_app, email: str, kind: str) -> None:
    candidate = new_page(browser, live_server, 60_000)
    log_in(candidate, email)
    candidate.goto("/certification/")
    candidate.get_by_role("link", name=SITTING).click()
    candidate.get_by_role("button", name="Start the exam").click()
    expect(candidate.get_by_role("link", name="Answer the theory questions")).to_be_visible()
    candidate.get_by_role("link", name="Offer letter to a buyer in Almaty").click()
    letter = (
        "Dear Mr Abenov, USD 6.10 per piece CIP Almaty, 30% T/T deposit, valid to 15 December."
        if kind == "careful"
        else "cheap"
    )
    candidate.get_by_label("Your answer", exact=True).fill(letter)
    candidate.get_by_role("button", name="Save my answer").click()
    _play(live_app, email, kind)
    candidate.get_by_role("button", name="Hand in the exam").click()
    expect(candidate.get_by_text("Your exam is handed in.")).to_be_visible()
    candidate.context.close()


def _mark(browser, live_server, email: str, marks: list[int]) -> None:
    examiner = new_page(browser, live_server, 30_000)
    log_in(examiner, email)
    examiner.goto("/certification/")
    examiner.get_by_role("row").filter(has_text=SITTING).get_by_role("link", name="Marking").click()
    for mark in marks:
        examiner.get_by_role("link", name=re.compile(r"Mark \(blind mark")).first.click()
        expect(examiner.get_by_text("Rubric for unit U8")).to_be_visible()
        examiner.get_by_label("Mark", exact=True).fill(str(mark))
        examiner.get_by_role("button", name="Save the mark").click()
        expect(examiner.get_by_text("Your mark is saved.")).to_be_visible()
    examiner.context.close()


def test_association_certification_from_standard_to_results(browser, live_server, live_app, page):
    _outsider(live_app)
    log_in(page, "examiner@academy.test")
    _build_programme(page)
    _schedule_and_register(page)
    _move_clock(live_app, start=True)
    _check_in(browser, live_server)
    for email, kind in CANDIDATES.items():
        _sit(browser, live_server, live_app, email, kind)
    _move_clock(live_app, end=True)
    # the responses are listed by candidate number; the same order for both examiners
    _mark(browser, live_server, "examiner@academy.test", [8, 8, 7, 8])
    _mark(browser, live_server, "examiner2@academy.test", [9, 8, 2, 8])  # the third differs by 5
    chief = new_page(browser, live_server, 30_000)
    log_in(chief, "chief@academy.test")
    chief.goto("/certification/")
    chief.get_by_role("row").filter(has_text=SITTING).get_by_role("link", name="Marking").click()
    chief.get_by_role("link", name="Give the third mark").click()
    expect(chief.get_by_text("The two blind marks")).to_be_visible()
    chief.get_by_label("Mark", exact=True).fill("6")
    chief.get_by_role("button", name="Save the mark").click()
    chief.goto("/certification/")
    chief.get_by_role("row").filter(has_text=SITTING).get_by_role("link", name="Moderation").click()
    expect(chief.locator("#moderation-report")).to_contain_text("chief examiner's mark")
    page.goto("/certification/")
    page.get_by_role("row").filter(has_text=SITTING).get_by_role("link", name="Manage").click()
    page.get_by_role("button", name="Release the results").click()
    expect(page.get_by_text("The results of 4 candidates are released.")).to_be_visible()

    careful = new_page(browser, live_server)
    log_in(careful, "student4@academy.test")
    careful.goto("/certification/")
    careful.get_by_role("row").filter(has_text=SITTING).get_by_role(
        "link", name="See my result"
    ).click()
    expect(careful.locator("#unit-results tbody tr")).to_have_count(9)
    expect(careful.locator("#verdict")).to_contain_text("You reached the level Intermediate.")
    careless = new_page(browser, live_server)
    log_in(careless, "student5@academy.test")
    careless.goto("/certification/")
    careless.get_by_role("row").filter(has_text=SITTING).get_by_role(
        "link", name="See my result"
    ).click()
    expect(careless.locator("#verdict")).to_contain_text("You did not reach the level Intermediate")
    expect(careless.get_by_text(re.compile("Practical task win-rfq: not met"))).to_be_visible()
    expect(
        careless.get_by_text(re.compile("Practical task clean-declaration: not met"))
    ).to_be_visible()

    teacher = new_page(browser, live_server)
    log_in(teacher, "teacher@academy.test")
    teacher.goto("/certification/school")
    section = teacher.locator("section").filter(has_text=SITTING).last
    expect(section.locator("tbody tr")).to_have_count(3)
    expect(teacher.locator("body")).not_to_contain_text("Outsider Candidate")
