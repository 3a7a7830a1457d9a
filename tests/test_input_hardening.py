"""Odd input (issue 10): NUL bytes anywhere, bidi and control characters in names."""

from __future__ import annotations

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange

from academy.auth.models import Organisation, User
from academy.db import db
from academy.forms import IntegerField
from tests.conftest import csrf_token, login_as


@pytest.mark.parametrize("path", ["/courses?q=ab%00cd", "/courses/ab%00cd", "/login?next=/x%00"])
def test_nul_in_a_path_or_query_is_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_nul_in_a_form_field_stores_nothing(app, client, create_user, read):
    user = create_user(display_name="Chen Jing")
    login_as(client, user)
    response = client.post(
        "/account",
        data={"display_name": "Chen\x00Jing", "csrf_token": csrf_token(client, "/account")},
    )
    assert response.status_code == 400
    assert read(lambda: db.session.get(User, user.id).display_name) == "Chen Jing"


def test_nul_in_a_json_body_is_a_problem_document(client):
    response = client.post("/login", data='{"email": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "name",
    [
        "nimda\u202e",  # right-to-left override: shows as "admin"
        "\u2066admin\u2069",
        "ad\u200bmin",  # zero-width space
        "bell\x07",
    ],
)
def test_display_names_with_control_or_direction_marks_are_refused(
    app, client, create_user, read, name
):
    user = create_user(display_name="Li Na")
    login_as(client, user)
    response = client.post(
        "/account", data={"display_name": name, "csrf_token": csrf_token(client, "/account")}
    )
    assert "no control or direction marks" in response.get_data(as_text=True)
    assert read(lambda: db.session.get(User, user.id).display_name) == "Li Na"


def test_display_names_are_normalised(app, client, create_user, read):
    user = create_user()
    login_as(client, user)
    client.post(
        "/account",
        data={"display_name": "  Ｗａｎｇ   Fang ", "csrf_token": csrf_token(client, "/account")},
    )
    assert read(lambda: db.session.get(User, user.id).display_name) == "Wang Fang"


@pytest.mark.parametrize("body", ["false", "[1, 2]", "{not json", '"text"'])
def test_a_json_body_that_is_not_an_object_is_a_400_not_a_500(client, create_user, body):
    login_as(client, create_user())
    response = client.post("/account", data=body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1e308", "null", "true", '{"x": 1}', "[1, 2]"], ids=str)
def test_a_json_field_that_is_not_text_is_a_400_and_stores_nothing(
    client, create_user, count_rows, no_csrf, value
):
    # Found by the fuzz test: a float reached a Length validator and answered 500.
    login_as(client, create_user(is_site_admin=True))
    before = count_rows(Organisation)
    body = f'{{"name": {value}, "slug": "json-school", "kind": "school"}}'
    response = client.post(
        "/admin/organisations",
        data=body,
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_json"
    assert count_rows(Organisation) == before


def test_every_whole_number_field_of_every_form_refuses_numbers_a_database_cannot_hold(app):
    # wtforms' own IntegerField takes 400 digits and NumberRange then fails on them (500).
    def subclasses(cls: type):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    fields = [
        (form.__name__, name)
        for form in subclasses(FlaskForm)
        for name in dir(form)
        if isinstance(getattr(form, name), UnboundField)
        and issubclass(getattr(form, name).field_class, wtforms.IntegerField)
        and not issubclass(getattr(form, name).field_class, IntegerField)
    ]
    assert fields == []


def test_a_number_beyond_a_database_integer_is_one_error_on_the_field(app):
    class Minutes(FlaskForm):
        minutes = IntegerField(validators=[NumberRange(min=1, max=600)])

    with app.test_request_context(method="POST", data={"minutes": "9" * 400}):
        form = Minutes(meta={"csrf": False})
        assert not form.validate()
        assert form.minutes.data is None
        assert form.errors == {"minutes": ["This number is too large."]}
    with app.test_request_context(method="POST", data={"minutes": "600"}):
        assert Minutes(meta={"csrf": False}).validate()
