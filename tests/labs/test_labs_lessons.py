"""Lab lessons end to end: a shipped course's lab is started, played, and checked on the web.

The course is imported from ``courses/``; a scripted student (``tests/labs/check_helpers``)
plays the lab market the "Start the lab" button made, sending its commands to the
engine under the market's lock, while the sim-days pass through the student's own clock
route. The lesson is complete only when the check passes, and the page shows every
criterion.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.catalog import queries as catalog_queries
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db
from academy.errors import OperationError
from academy.labs import lessons, markets
from academy.labs.lessons import LAB_BUYERS
from academy.labs.models import (
    LabResult,
    MarketKind,
    MarketRejection,
    MarketStatus,
    SandboxMarket,
)
from academy.labs.store import DatabaseEventStore
from academy.learning import operations as learning
from academy.learning import queries as learning_queries
from academy.learning.models import ProgressStatus
from tests.conftest import csrf_token, login_as
from tests.labs.check_helpers import STUDENT, Student, play, shipped_labs

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "trade-terms-pricing"
LAB = "quote-lab"
LAB_PATH = f"/courses/{COURSE}/lessons/{LAB}"
START = f"/sandbox/courses/{COURSE}/lessons/{LAB}/lab/start"
CHECK = f"/sandbox/courses/{COURSE}/lessons/{LAB}/lab/check"
# Buyers compare offers against drawn reservations: a careful CIF quote at a 16 % markup
# wins within about a month of sim-days, no longer within three weeks.
DAYS = 36


class CifCareful(Student):
    incoterm = "CIF"
    margin = Decimal("0.16")


class CifCareless(CifCareful):
    margin = Decimal("0.02")


@pytest.fixture
def course_world(app, act, create_user):
    """The shipped trade-terms course, a student enrolled in it, its lab's prerequisite done."""

    def load():
        package, problems = read_package(COURSES / COURSE)
        assert not problems, problems
        import_package(package)
        return catalog_queries.get_course_by_slug(COURSE).id

    course_id = act(load)
    student = create_user()

    def enrol():
        from academy.catalog.models import Course

        course = db.session.get(Course, course_id)
        user = db.session.merge(student)
        learning.enroll(user, course)
        lab = catalog_queries.get_lesson(course, LAB)
        for prerequisite in (lab.prerequisite, lab.module.prerequisite):
            before = catalog_queries.get_lesson(course, prerequisite.split("/")[-1])
            learning.complete_lesson(user, before)
        return lab.id

    return {"student": student, "course": course_id, "lesson": act(enrol)}


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def _lab_market(act, world) -> SandboxMarket | None:
    def find():
        return db.session.scalar(
            sa.select(SandboxMarket).where(
                SandboxMarket.lesson_id == world["lesson"],
                SandboxMarket.owner_id == world["student"].id,
                SandboxMarket.status != MarketStatus.FINISHED,
            )
        )

    return act(find)


def _start(client) -> None:
    page = client.get(LAB_PATH).get_data(as_text=True)
    key = re.search(r'name="creation_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(client, LAB_PATH), "creation_key": key}
    assert client.post(START, data=data).status_code == 302
    return data


def _play(app, act, client, market_id: int, firm_id: str, student: Student) -> None:
    clock = f"/sandbox/markets/{market_id}/firm/clock"
    token = csrf_token(client, f"/sandbox/markets/{market_id}/firm")

    def student_day():
        row = db.session.get(SandboxMarket, market_id)
        markets.operate(row, lambda engine: student.act(engine, firm_id))

    for _ in range(DAYS):
        act(student_day)
        response = client.post(clock, data={"csrf_token": token, "days": "1"})
        assert response.status_code == 302


def _progress(act, world):
    def read():
        from academy.catalog.models import Lesson

        lesson = db.session.get(Lesson, world["lesson"])
        return learning_queries.get_progress(db.session.merge(world["student"]), lesson)

    return act(read)


def test_careful_student_passes_the_lab_and_completes_the_lesson(app, act, course_world):
    client = _client(app, course_world["student"])
    page = client.get(LAB_PATH).get_data(as_text=True)
    assert "What the check asks" in page
    assert "the contract is on the Incoterms rule CIF" in page
    assert "Mark complete" not in page
    data = _start(client)
    assert client.post(START, data=data).status_code == 302  # a double click: one market
    market = _lab_market(act, course_world)
    assert market.kind == MarketKind.PRIVATE_LAB
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(SandboxMarket.id)))) == 1
    page = client.get(LAB_PATH).get_data(as_text=True)
    assert f"/sandbox/markets/{market.id}/firm" in page
    assert "Check my lab" in page

    _play(app, act, client, market.id, "F001", CifCareful())
    response = client.post(CHECK, data={"csrf_token": csrf_token(client, LAB_PATH)})
    assert response.status_code == 302
    page = client.get(LAB_PATH).get_data(as_text=True)
    assert "not met" not in page, re.findall(r"Criterion \d+ not met: [^<]*", page)
    assert "Criterion 1 met" in page and "Criterion 3 met" in page
    progress = _progress(act, course_world)
    assert progress.status == ProgressStatus.COMPLETED
    assert progress.score_percent == 100.0


def test_careless_student_is_told_why_and_the_lesson_stays_open(app, act, course_world):
    client = _client(app, course_world["student"])
    _start(client)
    market = _lab_market(act, course_world)
    _play(app, act, client, market.id, "F001", CifCareless())
    client.post(CHECK, data={"csrf_token": csrf_token(client, LAB_PATH)})
    page = client.get(LAB_PATH).get_data(as_text=True)
    reasons = re.findall(r"Criterion \d+ not met: [^<]*", page)
    assert len(reasons) == 1, page[-3000:]
    assert "the gross margin at the awarded price is" in reasons[0]
    assert "(at least 10 % required)" in reasons[0]
    assert "Criterion 1 met: a buyer awarded your firm contract" in page
    progress = _progress(act, course_world)
    assert progress is None or progress.status != ProgressStatus.COMPLETED
    result = act(lambda: db.session.scalar(sa.select(LabResult)))
    assert result.passed is False
    assert any(not row["met"] for row in result.criteria)


def test_mark_complete_is_refused_for_a_checked_lab(app, act, course_world):
    def mark():
        from academy.catalog.models import Lesson

        lesson = db.session.get(Lesson, course_world["lesson"])
        learning.complete_lesson(db.session.merge(course_world["student"]), lesson)

    with pytest.raises(OperationError, match="completed by its check"):
        act(mark)
    client = _client(app, course_world["student"])
    client.post(
        f"/courses/{COURSE}/lessons/{LAB}/complete",
        data={"csrf_token": csrf_token(client, LAB_PATH)},
    )
    progress = _progress(act, course_world)
    assert progress is None or progress.status != ProgressStatus.COMPLETED


def test_start_again_finishes_the_old_market_and_the_clock_refuses_it(app, act, course_world):
    client = _client(app, course_world["student"])
    _start(client)
    first = _lab_market(act, course_world)
    _start(client)
    second = _lab_market(act, course_world)
    assert second.id != first.id
    assert act(lambda: db.session.get(SandboxMarket, first.id).status) == MarketStatus.FINISHED
    token = csrf_token(client, f"/sandbox/markets/{second.id}/firm")
    response = client.post(
        f"/sandbox/markets/{first.id}/firm/clock",
        data={"csrf_token": token, "days": "5"},
        follow_redirects=True,
    )
    assert "This lab has finished; start it again from the lesson page." in response.get_data(
        as_text=True
    )
    assert act(lambda: db.session.get(SandboxMarket, first.id).sim_day) == 0
    response = client.post(
        f"/sandbox/markets/{second.id}/firm/clock", data={"csrf_token": token, "days": "5"}
    )
    assert response.status_code == 302
    assert act(lambda: db.session.get(SandboxMarket, second.id).sim_day) == 5
    bad = client.post(
        f"/sandbox/markets/{second.id}/firm/clock",
        data={"csrf_token": token, "days": "60"},
        follow_redirects=True,
    )
    assert "Advance 1 or 5 days." in bad.get_data(as_text=True)
    assert act(lambda: db.session.get(SandboxMarket, second.id).sim_day) == 5


def test_check_before_start_is_refused_with_a_message(app, act, course_world):
    client = _client(app, course_world["student"])
    response = client.post(
        CHECK, data={"csrf_token": csrf_token(client, LAB_PATH)}, follow_redirects=True
    )
    assert "Start the lab first." in response.get_data(as_text=True)
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(LabResult.id)))) == 0


def test_not_enrolled_student_cannot_start(app, act, course_world, create_user):
    outsider = create_user()
    client = _client(app, outsider)
    token = csrf_token(client, "/")
    assert client.post(START, data={"csrf_token": token}).status_code == 403
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(SandboxMarket.id)))) == 0


def test_a_refused_command_is_kept_although_the_page_answers_400(app, act, course_world):
    client = _client(app, course_world["student"])
    _start(client)
    market = _lab_market(act, course_world)
    client.post(
        f"/sandbox/markets/{market.id}/firm/clock",
        data={"csrf_token": csrf_token(client, LAB_PATH), "days": "5"},
    )

    def first_rfq():
        view = markets.open_market(db.session.get(SandboxMarket, market.id)).firm_view("F001")
        return view["open_rfqs"][0]["rfq_id"]

    rfq = act(first_rfq)
    path = f"/sandbox/markets/{market.id}/firm/rfqs/{rfq}/quote"
    page = client.get(path).get_data(as_text=True)
    lane = re.search(r'name="lane_id"[^>]*>\s*<option[^>]*value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": csrf_token(client, path),
        "firm_id": "F001",
        "idempotency_key": key,
        "unit_price": "25.00",
        "incoterm": "FCA",  # any mode of transport, so the engine accepts it
        "payment": "tt",
        "lane_id": lane,
        "lead_days": "400",  # the form refuses this before the engine sees it
    }
    assert client.post(path, data=data).status_code == 400
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(MarketRejection.id)))) == 0
    # Editing a price twice breaks an engine rule: the second edit is refused.
    data["lead_days"] = "30"
    assert client.post(path, data=data).status_code == 302
    edit = {
        "csrf_token": data["csrf_token"],
        "firm_id": "F001",
        "idempotency_key": "edit-1",
        "unit_price": "24.50",
    }
    assert client.post(path, data=edit).status_code == 302
    response = client.post(path, data={**edit, "idempotency_key": "edit-2", "unit_price": "24"})
    assert response.status_code == 400
    rows = act(
        lambda: [
            (r.command, r.code, r.firm_id, r.user_id)
            for r in db.session.scalars(sa.select(MarketRejection))
        ]
    )
    assert len(rows) == 1
    assert rows[0][0] == "EditQuote" and rows[0][2] == "F001"
    assert rows[0][3] == course_world["student"].id


def test_lab_result_rejections_reach_the_check(app, act, course_world):
    """The operation passes the firm's refused commands to the check (max_rejections)."""
    client = _client(app, course_world["student"])
    _start(client)
    market = _lab_market(act, course_world)

    def refuse_and_check():
        from academy.catalog.models import Lesson

        user = db.session.merge(course_world["student"])
        row = db.session.get(SandboxMarket, market.id)
        result = markets.execute_command(
            row, user, "F001", {"command": "ClaimRebate", "contract_id": "C999999"}
        )
        assert not result.ok
        lesson = db.session.get(Lesson, course_world["lesson"])
        return lessons._rejections(row, "F001"), lessons.check_lab(user, lesson).passed

    rejections, passed = act(refuse_and_check)
    assert [r["command"] for r in rejections] == ["ClaimRebate"]
    assert passed is False


def test_a_lab_without_a_check_keeps_mark_complete(app, act, course_world):
    def drop_check():
        from academy.catalog.models import Lesson

        lesson = db.session.get(Lesson, course_world["lesson"])
        lesson.settings = {k: v for k, v in lesson.settings.items() if k != "check"}

    act(drop_check)
    client = _client(app, course_world["student"])
    page = client.get(LAB_PATH).get_data(as_text=True)
    assert "Mark complete" in page
    assert "This lab has no automatic check." in page
    assert "Check my lab" not in page
    _start(client)
    assert "Check my lab" not in client.get(LAB_PATH).get_data(as_text=True)
    client.post(
        f"/courses/{COURSE}/lessons/{LAB}/complete",
        data={"csrf_token": csrf_token(client, LAB_PATH)},
    )
    assert _progress(act, course_world).status == ProgressStatus.COMPLETED


def test_the_clock_is_only_on_the_owners_private_lab(app, act, course_world):
    client = _client(app, course_world["student"])
    _start(client)
    market = _lab_market(act, course_world)
    page = client.get(f"/sandbox/markets/{market.id}/firm").get_data(as_text=True)
    assert "Advance 5 days" in page
    assert f"{LAB_PATH}#lab-heading" in page


def test_the_lab_market_is_the_world_the_shipped_checks_are_tuned_on(app, act, course_world):
    """ "Start the lab" founds the firms ``check_helpers.play`` plays, so a plan that passes
    there passes on the web too."""
    client = _client(app, course_world["student"])
    _start(client)
    market = _lab_market(act, course_world)

    def registered():
        row = db.session.get(SandboxMarket, market.id)
        events = DatabaseEventStore(db.session, row).read(1)
        firms = [
            (e.data["firm_id"], e.data["products"], e.data["bot"])
            for e in events
            if e.type == "FirmRegistered"
        ]
        return firms, row.buyers, row.seed, row.scenario

    firms, buyers, seed, scenario = act(registered)
    lab = shipped_labs()[f"{COURSE}/03-building-the-quote/05-{LAB}"]
    played = [
        (e.data["firm_id"], e.data["products"], e.data["bot"])
        for e in play(lab, Student(), days=0)
        if e.type == "FirmRegistered"
    ]
    assert firms == played
    assert [firm_id for firm_id, _, _ in firms] == ["B001", STUDENT]
    assert (buyers, seed, scenario) == (LAB_BUYERS, lab["seed"], lab["scenario"])


def test_a_lab_behind_its_prerequisite_cannot_be_started_by_posting(
    app, act, course_world, create_user
):
    newcomer = create_user()

    def enrol_only():
        from academy.catalog.models import Course

        learning.enroll(db.session.merge(newcomer), db.session.get(Course, course_world["course"]))

    act(enrol_only)
    client = _client(app, newcomer)
    token = csrf_token(client, "/")
    response = client.post(START, data={"csrf_token": token, "creation_key": "k" * 20})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{COURSE}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "first." in page  # the lesson page's own reason: complete the prerequisite first
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(SandboxMarket.id)))) == 0
