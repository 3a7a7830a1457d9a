"""The firm's pages show the contract's tax position, which margin is which, and let the
student apply for a certificate of origin where the buyer's country grants preference."""

from __future__ import annotations

import sqlalchemy as sa

from academy.db import db
from academy.labs.models import MarketEvent
from academy.labs.views.student import _origin_form
from tests.conftest import login_as
from tests.labs.test_labs_student_pipeline import _path, won  # noqa: F401 - fixture


def _events(act, market_id: int) -> int:
    return act(
        lambda: db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MarketEvent)
            .where(MarketEvent.market_id == market_id)
        )
    )


def test_contract_page_shows_tax_duty_and_margin_card(app, won):  # noqa: F811
    client = app.test_client()
    login_as(client, won["student"])
    page = client.get(_path(won)).get_data(as_text=True)
    tax = won["contract"]["tax"]
    assert 'id="tax-card"' in page
    card = page.split('id="tax-card"')[1].split("</section>")[0]
    # P05 (groundnuts) carries 9 % VAT on the invoice, P01 and P18 13 %.
    expected = "9%" if won["contract"]["product_id"] == "P05" else "13%"
    assert f'data-fact="input_vat_rate">{expected}<' in card
    assert f"HS heading {tax['heading']}" in card or tax["heading"] in card
    assert 'data-fact="duty_rate"' in card and 'data-fact="import_vat_rate"' in card


def test_dashboard_names_both_margins(app, won):  # noqa: F811
    client = app.test_client()
    login_as(client, won["student"])
    page = client.get(f"/sandbox/markets/{won['market']}/firm").get_data(as_text=True)
    assert 'id="goods-margin"' in page
    assert "Gross margin" in page and "Goods margin" in page


def test_origin_application_with_an_unknown_scheme_changes_nothing(app, act, won, no_csrf):  # noqa: F811
    client = app.test_client()
    login_as(client, won["student"])
    before = _events(act, won["market"])
    response = client.post(
        _path(won), data={"action": "origin", "firm_id": "F001", "scheme": "form_x"}
    )
    assert response.status_code == 302
    assert _events(act, won["market"]) == before
    page = client.get(_path(won)).get_data(as_text=True)
    assert "certificate of origin" in page.lower()


def _contract(**tax):
    base = {
        "export_sale": True,
        "preferential": {"form_e": "0.00"},
        "origin_certificate": None,
    }
    return {"status": "active", "stage": "signed", "tax": {**base, **tax}}


def test_origin_form_only_where_a_certificate_helps(app):
    with app.test_request_context():
        offered = _origin_form(_contract(), "F001")
        assert offered is not None and [c[0] for c in offered.scheme.choices] == ["form_e"]
        assert _origin_form(_contract(preferential={}), "F001") is None
        assert _origin_form(_contract(export_sale=False), "F001") is None  # EXW
        held = _contract(origin_certificate={"scheme": "form_e"})
        assert _origin_form(held, "F001") is None
        arrived = {**_contract(), "stage": "arrived"}
        assert _origin_form(arrived, "F001") is None


def test_fx_desk_shows_pegs_and_points_against_the_differential(app, won):  # noqa: F811
    client = app.test_client()
    login_as(client, won["student"])
    page = client.get(f"/sandbox/markets/{won['market']}/firm/fx").get_data(as_text=True)
    assert 'data-peg="AED"' in page and "3.6725" in page  # the exam world sells to the UAE
    assert 'data-points="90"' in page
    assert "-2.8%" in page  # yuan 1.5% less dollar 4.3% a year
