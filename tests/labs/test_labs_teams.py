"""Firms run by teams: created in teams, grown by the teacher, acting as one firm."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.db import db
from academy.errors import OperationError
from academy.labs import markets, queries, teaching
from academy.labs.models import FirmMember, MarketFirm, SandboxMarket
from academy.learning import operations
from academy.learning.models import SchoolClass
from tests.conftest import login_as
from tests.labs.test_labs_teacher_access import SMALL_WORLD, build_class, build_market


@pytest.fixture
def school(app, create_organisation, create_user):
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    students = [create_user(display_name=f"Student {n}") for n in range(1, 6)]
    school_class = build_class(app, teacher, organisation, students)
    client = app.test_client()
    login_as(client, teacher)
    return {"teacher": teacher, "class": school_class, "students": students, "client": client}


def _members(app, market_id: int) -> dict[str, list[int]]:
    with app.app_context():
        firms = queries.firms_of_market(db.session.get(SandboxMarket, market_id))
        return {f.firm_id: [m.user_id for m in f.members] for f in firms if not f.is_bot}


def test_a_market_in_teams_of_two_gives_three_firms_to_five_students(app, school, no_csrf):
    response = school["client"].post(
        f"/sandbox/teach/classes/{school['class'].id}/markets",
        data={**{k: str(v) for k, v in SMALL_WORLD.items()}, "team_size": "2", "bot_count": "0"},
    )
    assert response.status_code == 302
    market_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    teams = _members(app, market_id)
    assert sorted(len(people) for people in teams.values()) == [1, 2, 2]
    everyone = [user for people in teams.values() for user in people]
    assert sorted(everyone) == sorted(s.id for s in school["students"])

    board = school["client"].get(f"/sandbox/teach/markets/{market_id}").get_data(as_text=True)
    assert "Team 1 Trading" in board
    assert "Student 1, Student 2" in board or "Student 2, Student 1" in board


def test_team_size_out_of_range_is_refused_on_its_field(app, school, no_csrf):
    response = school["client"].post(
        f"/sandbox/teach/classes/{school['class'].id}/markets",
        data={**{k: str(v) for k, v in SMALL_WORLD.items()}, "team_size": "9", "bot_count": "0"},
    )
    assert response.status_code == 400
    assert 'id="team_size-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SandboxMarket).count() == 0


def test_every_team_member_acts_for_the_firm_and_is_counted(app, school):
    market = build_market(app, school["class"], school["teacher"], team_size=2)
    first, second = school["students"][:2]
    with app.test_request_context(), db.unit_of_work():
        row = db.session.get(SandboxMarket, market.id)
        firm = queries.firm_for_user(row, db.session.get(User, second.id))
        assert firm is not None and firm.user_id == first.id
        firm_id = firm.firm_id
        product = markets.open_market(row).state.firms[firm_id]["products"][0]
        for who in (first, second):
            result = markets.execute_command(
                row,
                db.session.get(User, who.id),
                firm_id,
                {"command": "ImproveListing", "product_id": product},
                idempotency_key=f"listing-{who.id}",
            )
            assert result.ok, result.error
        counted = dict(teaching.contributions(row, firm_id))
    assert counted == {"Student 1": 1, "Student 2": 1}

    student = app.test_client()
    login_as(student, second)
    page = student.get(f"/sandbox/markets/{market.id}/firm").get_data(as_text=True)
    assert "Your team: Student 1, Student 2" in page


def test_teacher_adds_a_late_joiner_to_a_firm(app, school, create_user, no_csrf):
    market = build_market(app, school["class"], school["teacher"])
    late = create_user(display_name="Late Comer")
    with app.test_request_context(), db.unit_of_work():
        operations.join_class(
            db.session.get(User, late.id), db.session.get(SchoolClass, school["class"].id).join_code
        )
    with app.app_context():
        firm_id = db.session.scalars(
            sa.select(MarketFirm.firm_id).where(MarketFirm.market_id == market.id)
        ).first()
    path = f"/sandbox/teach/markets/{market.id}/firms/{firm_id}"
    page = school["client"].get(path).get_data(as_text=True)
    assert "Late Comer" in page.split('id="team-heading"')[1]

    response = school["client"].post(path + "/members", data={"user_id": str(late.id)})
    assert response.status_code == 302
    assert late.id in _members(app, market.id)[firm_id]

    again = school["client"].post(path + "/members", data={"user_id": str(late.id)})
    assert again.status_code == 400
    with app.app_context():
        count = db.session.query(FirmMember).filter_by(market_id=market.id, user_id=late.id).count()
    assert count == 1


def test_a_student_cannot_be_in_two_firms_and_bots_take_no_members(app, school):
    market = build_market(app, school["class"], school["teacher"], bot_count=1)
    with app.test_request_context(), db.unit_of_work():
        row = db.session.get(SandboxMarket, market.id)
        firms = {f.firm_id: f for f in queries.firms_of_market(row)}
        bot = next(f for f in firms.values() if f.is_bot)
        student = db.session.get(User, school["students"][0].id)
        other = next(f for f in firms.values() if not f.is_bot and f.user_id != student.id)
        with pytest.raises(OperationError) as taken:
            markets.add_member(row, other, student)
        assert taken.value.code == "firm_exists"
        with pytest.raises(OperationError) as robot:
            markets.add_member(row, bot, student)
        assert robot.value.code == "firm_not_student"
