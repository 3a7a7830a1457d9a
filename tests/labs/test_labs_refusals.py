"""Commands the engine refuses are kept as MarketRejection rows and shown to teachers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from markupsafe import escape

from academy.auth.models import Role, User
from academy.db import db
from academy.labs import markets
from academy.labs.firm import engine_message
from academy.labs.models import MarketRejection, SandboxMarket
from tests.conftest import login_as
from tests.labs.test_labs_teacher_access import build_class, build_market


def test_a_refusal_outlives_a_rolled_back_unit_of_work(app, act, make_market, add_student_firm):
    market = make_market()
    user, _firm = add_student_firm(market)
    last_seq = act(lambda: db.session.get(SandboxMarket, market.id).last_seq)

    def refuse_then_fail():
        row = db.session.get(SandboxMarket, market.id)
        command = {"command": "ClaimRebate", "contract_id": "C999999"}
        result = markets.execute_command(row, db.session.get(User, user.id), "F001", command)
        assert not result.ok
        raise RuntimeError("the request failed after the refusal")

    with pytest.raises(RuntimeError):
        act(refuse_then_fail)
    rows = act(
        lambda: [
            (r.firm_id, r.user_id, r.command, r.code)
            for r in db.session.scalars(sa.select(MarketRejection))
        ]
    )
    assert len(rows) == 1
    assert rows[0][:3] == ("F001", user.id, "ClaimRebate")
    assert act(lambda: db.session.get(SandboxMarket, market.id).last_seq) == last_seq


def test_accepted_commands_leave_no_refusal(app, act, make_market, add_student_firm):
    market = make_market()
    user, _firm = add_student_firm(market)

    def improve():
        row = db.session.get(SandboxMarket, market.id)
        product = markets.open_market(row).state.firms["F001"]["products"][0]
        command = {"command": "ImproveListing", "product_id": product}
        return markets.execute_command(row, db.session.get(User, user.id), "F001", command).ok

    assert act(improve)
    assert act(lambda: db.session.scalar(sa.select(sa.func.count(MarketRejection.id)))) == 0


def test_teacher_sees_refused_commands_on_the_firm_page(app, create_organisation, create_user):
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    student = create_user(display_name="Li Na")
    school_class = build_class(app, teacher, organisation, [student])
    market = build_market(app, school_class, teacher)
    with app.test_request_context(), db.unit_of_work():
        row = db.session.get(SandboxMarket, market.id)
        firm = next(firm for firm in row.firms if firm.user_id == student.id)
        command = {"command": "ClaimRebate", "contract_id": "C999999"}
        result = markets.execute_command(
            row, db.session.get(User, student.id), firm.firm_id, command
        )
        assert not result.ok
        firm_id, message = firm.firm_id, str(escape(engine_message(result.error)))
    client = app.test_client()
    login_as(client, teacher)
    page = client.get(f"/sandbox/teach/markets/{market.id}/firms/{firm_id}").get_data(as_text=True)
    section = page.split("Refused commands")[1]
    assert "ClaimRebate" in section
    assert "Li Na" in section
    assert message in section
