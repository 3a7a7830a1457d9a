"""The teachers' class-market pages: create, run the clock, leaderboard, CSV, drill-down."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditAction, AuditEvent
from academy.auth.models import Role
from academy.db import db
from academy.labs import teaching
from academy.labs.models import MarketKind, MarketStatus, SandboxMarket
from tests.conftest import login_as
from tests.labs.test_labs_teacher_access import SMALL_WORLD, build_class, build_market


@pytest.fixture
def school(app, create_organisation, create_user):
    """A teacher, a class of two students, and a logged-in client for the teacher."""
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    students = [create_user(display_name=name) for name in ("Li Na", "=Zhang Wei")]
    school_class = build_class(app, teacher, organisation, students)
    client = app.test_client()
    login_as(client, teacher)
    return {"teacher": teacher, "class": school_class, "students": students, "client": client}


def read_market(app, market_id: int) -> SandboxMarket:
    with app.app_context():
        market = db.session.get(SandboxMarket, market_id)
        _ = [(firm.firm_id, firm.bot, firm.user_id) for firm in market.firms]
        return market


def test_teacher_creates_a_market_with_a_firm_per_student_and_bots(app, school, no_csrf):
    client = school["client"]
    path = f"/sandbox/teach/classes/{school['class'].id}/markets"
    page = client.get(path).get_data(as_text=True)
    assert "exam_standard" in page and "Students enrolled in this class: 2" in page
    response = client.post(
        path,
        data={
            "name": "Spring market",
            "scenario": "exam_standard",
            "seed": "77",
            "buyers": "20",
            "bot_count": "2",
            "bot_strategies": ["aggressive", "sloppy"],
        },
    )
    assert response.status_code == 302
    market_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    market = read_market(app, market_id)
    assert market.kind == MarketKind.CLASS_MARKET and market.class_id == school["class"].id
    assert (market.name, market.seed, market.buyers) == ("Spring market", 77, 20)
    assert sorted(firm.bot for firm in market.firms if firm.bot) == ["aggressive", "sloppy"]
    student_ids = {student.id for student in school["students"]}
    assert {firm.user_id for firm in market.firms if firm.user_id} == student_ids
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sim-day 0" in page and "Leaderboard" in page and "Li Na Trading" in page
    listing = client.get(path).get_data(as_text=True)
    assert "Spring market" in listing


def test_bad_market_settings_are_shown_on_their_fields(school, no_csrf):
    path = f"/sandbox/teach/classes/{school['class'].id}/markets"
    response = school["client"].post(
        path, data={"scenario": "no_such_world", "bot_count": "12", "buyers": "0"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "Enter between 0 and 9." in page
    assert "Enter between 1 and 2000 buyers." in page


def test_advance_pause_resume_finish(app, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"], bot_count=1)
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    response = client.post(base + "/advance", data={"days": "2"}, follow_redirects=True)
    assert "The clock moved 2 days; the market is on sim-day 2." in response.get_data(as_text=True)
    assert read_market(app, market.id).sim_day == 2

    for days in ("0", "61", "x"):
        response = client.post(base + "/advance", data={"days": days})
        assert response.status_code == 400
    assert read_market(app, market.id).sim_day == 2

    client.post(base + "/pause")
    assert read_market(app, market.id).status == MarketStatus.PAUSED
    page = client.get(base).get_data(as_text=True)
    assert "The clock cannot move while the market is paused." in page
    response = client.post(base + "/advance", data={"days": "1"})
    assert response.status_code == 400
    assert "The market is paused: resume it before advancing the clock." in response.get_data(
        as_text=True
    )
    assert read_market(app, market.id).sim_day == 2

    client.post(base + "/resume")
    assert read_market(app, market.id).status == MarketStatus.RUNNING
    client.post(base + "/finish")
    assert read_market(app, market.id).status == MarketStatus.FINISHED
    response = client.post(base + "/advance", data={"days": "1"})
    assert response.status_code == 400
    assert "This market has finished" in response.get_data(as_text=True)
    response = client.post(base + "/resume", follow_redirects=True)
    assert "The market cannot change to that state now." in response.get_data(as_text=True)
    assert read_market(app, market.id).status == MarketStatus.FINISHED


def test_leaderboard_sorts_by_a_kpi_and_exports_csv(app, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"], bot_count=3)
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    client.post(base + "/advance", data={"days": "5"})
    page = client.get(base + "?sort=cash").get_data(as_text=True)
    assert "Sorted by Cash." in page
    assert client.get(base + "?sort=nonsense").status_code == 200

    response = client.get(base + "/results.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5
    assert {row["firm_id"] for row in rows} == {firm.firm_id for firm in market.firms}
    assert all(row["sim_day"] == "5" for row in rows)
    # A name a spreadsheet would run as a formula is written as text.
    assert "'=Zhang Wei" in {row["student"] for row in rows}
    assert {"revenue", "gross_margin", "star_rating", "dispute_rate", "rank_cash"} <= set(rows[0])
    ranks = [int(row["rank_net_profit"]) for row in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_firm_drill_down_and_debrief(app, school):
    market = build_market(app, school["class"], school["teacher"], bot_count=1)
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    bot = next(firm.firm_id for firm in market.firms if firm.bot)
    with app.test_request_context(), db.unit_of_work():
        from academy.labs import markets

        markets.advance_market(db.session.get(SandboxMarket, market.id), 6)
    page = client.get(f"{base}/firms/{bot}").get_data(as_text=True)
    for heading in ("Profit and loss (CNY)", "Trial balance", "Pipeline", "Timeline"):
        assert heading in page
    assert "Debits equal credits" in page
    assert "Firm founded" in page
    debrief = client.get(f"{base}/firms/{bot}/debrief").get_data(as_text=True)
    assert "Day by day" in debrief and "<polyline" in debrief
    assert client.get(f"{base}/firms/NOPE").status_code == 404
    assert client.get(f"{base}/firms/NOPE/debrief").status_code == 404


def test_another_teacher_is_refused_and_other_markets_are_not_found(
    app, school, create_organisation, create_user
):
    market = build_market(app, school["class"], school["teacher"])
    other = create_user(roles=[Role.TEACHER], organisation=create_organisation())
    client = app.test_client()
    login_as(client, other)
    assert client.get(f"/sandbox/teach/markets/{market.id}").status_code == 403
    assert client.get(f"/sandbox/teach/classes/{school['class'].id}/markets").status_code == 403
    assert client.get("/sandbox/teach/markets/999999").status_code == 404
    assert client.get("/sandbox/teach/classes/999999/markets").status_code == 404
    with app.test_request_context(), db.unit_of_work():
        from academy.labs import markets

        lab = markets.create_market(kind=MarketKind.PRIVATE_LAB, **SMALL_WORLD)
        lab_id = lab.id
    assert school["client"].get(f"/sandbox/teach/markets/{lab_id}").status_code == 404


def test_class_page_links_to_its_markets(school):
    page = school["client"].get(f"/teaching/classes/{school['class'].id}").get_data(as_text=True)
    assert f"/sandbox/teach/classes/{school['class'].id}/markets" in page


def test_contract_step_follows_the_pipeline():
    contract = {
        "status": "active",
        "incoterm": "FOB",
        "po_id": None,
        "freight": None,
        "declaration": None,
        "departed_day": None,
        "stage": "signed",
        "receivables": [],
        "rebate": None,
    }
    assert teaching.contract_step(contract) == "procure"
    contract["po_id"] = "PO1"
    assert teaching.contract_step(contract) == "book_freight"
    contract["freight"] = {"lane_id": "L1"}
    assert teaching.contract_step(contract) == "declare"
    assert teaching.contract_step({**contract, "incoterm": "EXW"}) == "ship"
    contract["declaration"] = {"status": "released"}
    assert teaching.contract_step(contract) == "ship"
    contract.update(departed_day=3, stage="departed")
    assert teaching.contract_step(contract) == "in_transit"
    contract.update(stage="arrived", receivables=[{"status": "open"}])
    assert teaching.contract_step(contract) == "collect"
    contract["receivables"] = [{"status": "paid"}]
    assert teaching.contract_step(contract) == "claim_rebate"
    contract["rebate"] = {"status": "claimed"}
    assert teaching.contract_step(contract) == "done"
    assert teaching.contract_step({**contract, "status": "closed", "po_id": None}) == "done"


def test_ranks_share_ties_and_skip_missing_values():
    rows = [
        teaching.FirmRow(firm=None, kpis={"cash": 5, "dispute_rate": None}),
        teaching.FirmRow(firm=None, kpis={"cash": 9, "dispute_rate": 0.2}),
        teaching.FirmRow(firm=None, kpis={"cash": 5, "dispute_rate": 0.1}),
    ]
    teaching._rank(rows, "cash", True)
    teaching._rank(rows, "dispute_rate", False)
    assert [row.ranks["cash"] for row in rows] == [2, 1, 2]
    assert [row.ranks.get("dispute_rate") for row in rows] == [None, 2, 1]


def test_chart_points_fit_the_box():
    assert teaching.chart_points([]) == ""
    points = teaching.chart_points([0, 50, 100], width=100, height=10)
    assert points == "0.0,10.0 50.0,5.0 100.0,0.0"


def test_timeline_names_the_student_who_acted(app, school):
    from academy.auth.models import User
    from academy.labs import markets

    market = build_market(app, school["class"], school["teacher"])
    student = school["students"][0]
    with app.test_request_context(), db.unit_of_work():
        row = db.session.get(SandboxMarket, market.id)
        firm = next(firm for firm in row.firms if firm.user_id == student.id)
        product = markets.open_market(row).state.firms[firm.firm_id]["products"][0]
        result = markets.execute_command(
            row,
            db.session.get(User, student.id),
            firm.firm_id,
            {"command": "ImproveListing", "product_id": product},
            idempotency_key="listing-1",
        )
        assert result.ok, result.error
        firm_id = firm.firm_id
    page = school["client"].get(f"/sandbox/teach/markets/{market.id}/firms/{firm_id}")
    text = page.get_data(as_text=True)
    assert "Listing improved" in text
    assert "<strong>Li Na</strong> 1" in text


def test_market_pages_speak_chinese(app, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"], bot_count=1)
    client = school["client"]
    client.post("/language", data={"locale": "zh_Hans", "next": "/dashboard"})
    client.post(f"/sandbox/teach/markets/{market.id}/pause")
    response = client.post(f"/sandbox/teach/markets/{market.id}/advance", data={"days": "1"})
    page = response.get_data(as_text=True)
    assert "排行榜" in page and "第 0 个模拟日" in page
    assert "市场已暂停：请先恢复运行，再推进时钟。" in page
    listing = client.get(f"/sandbox/teach/classes/{school['class'].id}/markets")
    assert "创建班级市场" in listing.get_data(as_text=True)


def test_moving_the_clock_by_hand_and_status_changes_are_audited(app, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"], bot_count=1)
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    client.post(base + "/advance", data={"days": "2"})
    client.post(base + "/advance", data={"days": "0"})  # refused: no row
    client.post(base + "/pause")
    client.post(base + "/resume")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.subject_type == "sandboxmarket")
            .order_by(AuditEvent.id)
        ).all()
        assert [row.action for row in rows] == [
            AuditAction.MARKET_ADVANCED,
            AuditAction.MARKET_STATUS_CHANGED,
            AuditAction.MARKET_STATUS_CHANGED,
        ]
        assert {row.actor_email for row in rows} == {school["teacher"].email}
        assert '"days": 2' in rows[0].details
