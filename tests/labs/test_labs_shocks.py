"""Teachers inject events into a class market; students read them as market news.

The class market is the small exam world (20 buyers) of the teachers' page tests,
taught by ``teacher`` and played by one student's firm.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.errors import OperationError
from academy.labs import markets, shocks
from academy.labs.models import MarketEvent, SandboxMarket
from tests.conftest import csrf_token, login_as
from tests.labs.test_labs_teacher_access import build_class, build_market


@pytest.fixture
def school(app, create_organisation, create_user):
    """A class of one student and its market; a logged-in client for teacher and student."""
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    student = create_user(roles=[Role.STUDENT], display_name="Li Na")
    school_class = build_class(app, teacher, organisation, [student])
    market = build_market(app, school_class, teacher)
    clients = {}
    for name, user in (("teacher", teacher), ("student", student)):
        clients[name] = app.test_client()
        login_as(clients[name], user)
    return {"market": market.id, "student_user": student, **clients}


def shock_events(app, market_id: int) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(MarketEvent)
            .where(MarketEvent.market_id == market_id, MarketEvent.type == "ShockInjected")
            .order_by(MarketEvent.seq)
        ).all()
        return [row.data for row in rows]


def event_count(app, market_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(MarketEvent.market_id == market_id)
        )


def first_buyer(app, market_id: int) -> str:
    with app.app_context():
        engine = markets.open_market(db.session.get(SandboxMarket, market_id))
        return next(iter(engine.state.buyers))


def post(client, market_id: int, **data):
    return client.post(f"/sandbox/teach/markets/{market_id}/shocks", data=data)


KINDS = {
    "port_strike": (
        {"port": "CNTAO", "delay_days": "5", "duration_days": "10"},
        {"port": "CNTAO", "delay_days": 5, "duration_days": 10},
        "Port strike",
    ),
    "rail_disruption": (
        {"market": "DE", "delay_days": "6", "percent": "40", "duration_days": "30"},
        {"market": "DE", "delay_days": 6, "percent": 40, "duration_days": 30},
        "Rail corridor disruption",
    ),
    "fx_shock": (
        {"currency": "EUR", "percent": "-12"},
        {"currency": "EUR", "percent": -12},
        "Exchange-rate shock",
    ),
    "customs_crackdown": (
        {"product_id": "P01", "percent": "60", "duration_days": "7"},
        {"product_id": "P01", "percent": 60, "duration_days": 7},
        "Customs crackdown on a product",
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_teacher_injects_each_kind_through_the_form(app, school, kind):
    client, market_id = school["teacher"], school["market"]
    path = f"/sandbox/teach/markets/{market_id}"
    form, params, label = KINDS[kind]
    # Fields of other kinds are sent too (one form for all) and ignored.
    data = {"kind": kind, "buyer_id": "", "duration_days": "3", **form}
    response = post(client, market_id, csrf_token=csrf_token(client, path), **data)
    assert response.status_code == 302
    (event,) = shock_events(app, market_id)
    assert event["kind"] == kind and event["start_day"] == 0
    assert {key: event["params"][key] for key in params} == params
    page = client.get(path).get_data(as_text=True)
    assert label in page and "S001" in page


def test_the_teacher_declares_a_buyer_bankrupt(app, school, no_csrf):
    market_id = school["market"]
    buyer_id = first_buyer(app, market_id)
    response = post(school["teacher"], market_id, kind="buyer_bankruptcy", buyer_id=buyer_id)
    assert response.status_code == 302
    (event,) = shock_events(app, market_id)
    assert event["params"] == {"buyer_id": buyer_id} and event["end_day"] is None
    page = school["teacher"].get(f"/sandbox/teach/markets/{market_id}").get_data(as_text=True)
    assert "Buyer bankruptcy" in page and "for good" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "port_strike", "delay_days": "5", "duration_days": "10"},
            "port",
            "This event needs this field.",
        ),
        (
            {"kind": "port_strike", "port": "CNTAO", "delay_days": "0", "duration_days": "10"},
            "delay_days",
            "out of the allowed range",
        ),
        (
            {"kind": "rail_disruption", "delay_days": "3", "percent": "400", "duration_days": "10"},
            "percent",
            "out of the allowed range",
        ),
        (
            {"kind": "fx_shock", "currency": "EUR", "percent": "0"},
            "percent",
            "out of the allowed range",
        ),
        ({"kind": "fx_shock", "currency": "XXX", "percent": "5"}, "currency", "Not a valid choice"),
        (
            {"kind": "customs_crackdown", "product_id": "P01", "percent": "50"},
            "duration_days",
            "This event needs this field.",
        ),
        (
            {
                "kind": "customs_crackdown",
                "product_id": "P01",
                "percent": "many",
                "duration_days": "5",
            },
            "percent",
            "Not a valid integer",
        ),
        ({"kind": "meteor"}, "kind", "Not a valid choice"),
    ],
)
def test_bad_parameters_show_on_the_field_and_write_nothing(
    app, school, no_csrf, data, field, message
):
    market_id = school["market"]
    before = event_count(app, market_id)
    response = post(school["teacher"], market_id, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page.split(f'id="{field}-error"')[1][:200]
    assert event_count(app, market_id) == before


def test_a_finished_market_takes_no_events(app, school, act, no_csrf):
    market_id = school["market"]
    act(lambda: markets.finish_market(db.session.get(SandboxMarket, market_id)))
    before = event_count(app, market_id)
    response = post(school["teacher"], market_id, kind="fx_shock", currency="EUR", percent="5")
    assert response.status_code == 422
    assert "no more events can be injected" in response.get_data(as_text=True)
    assert event_count(app, market_id) == before


def test_a_student_of_the_class_cannot_inject(app, school, act, no_csrf):
    market_id = school["market"]
    response = post(school["student"], market_id, kind="fx_shock", currency="EUR", percent="5")
    assert response.status_code == 403
    with app.app_context():
        row = db.session.get(SandboxMarket, market_id)
        firm_id = next(firm.firm_id for firm in row.firms if firm.user_id is not None)

    def send():
        row = db.session.get(SandboxMarket, market_id)
        user = db.session.merge(school["student_user"])
        command = {"command": "InjectShock", "kind": "fx_shock", "params": {}}
        return markets.execute_command(row, user, firm_id, command)

    with pytest.raises(OperationError) as refused:
        act(send)
    assert refused.value.code == "command_refused"
    assert shock_events(app, market_id) == []


def test_the_firm_dashboard_shows_the_news(app, school, act, no_csrf):
    market_id = school["market"]
    dashboard = f"/sandbox/markets/{market_id}/firm"
    assert "Market news" not in school["student"].get(dashboard).get_data(as_text=True)
    post(
        school["teacher"],
        market_id,
        kind="rail_disruption",
        market="DE",
        delay_days="6",
        percent="40",
        duration_days="34",
    )
    post(school["teacher"], market_id, kind="fx_shock", currency="EUR", percent="-12")
    page = school["student"].get(dashboard).get_data(as_text=True)
    assert "Market news" in page
    assert (
        "Rail corridor disruption on lanes to Germany until day 33: +6 days, freight +40 %." in page
    )
    assert "exchange rate jumped" not in page  # not fixed yet
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market_id), 1))
    page = school["student"].get(dashboard).get_data(as_text=True)
    assert "The EUR exchange rate jumped −12 % at the fixing of day 0." in page


def test_news_leaves_the_dashboard_when_the_event_ends(app, school, act, no_csrf):
    market_id = school["market"]
    post(
        school["teacher"],
        market_id,
        kind="port_strike",
        port="CNTAO",
        delay_days="4",
        duration_days="1",
    )
    dashboard = f"/sandbox/markets/{market_id}/firm"
    assert "Port strike at Qingdao (CNTAO)" in school["student"].get(dashboard).get_data(
        as_text=True
    )
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market_id), 1))
    assert "Port strike" not in school["student"].get(dashboard).get_data(as_text=True)


def test_inject_shock_returns_the_event_and_moves_nothing_else(app, school, act):
    market_id = school["market"]

    def inject():
        row = db.session.get(SandboxMarket, market_id)
        return shocks.inject_shock(row, "fx_shock", {"currency": "USD", "percent": 3})

    data = act(inject)
    assert data["shock_id"] == "S001" and data["start_day"] == data["end_day"] == 0
    with app.app_context():
        row = db.session.get(SandboxMarket, market_id)
        assert row.sim_day == 0
        assert markets.verify_market(row)["ok"]
