"""Create forms act once per rendering: a repeat of the same post leads to what the first
made (a double click, parallel posts, a resent request), and a failed first post leaves
the key free for the corrected one."""

from __future__ import annotations

import re

import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.learning.models import SchoolClass
from academy.main.models import FormSubmission
from tests.conftest import csrf_token, login_as


def once_key(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="once_key" type="hidden" value="([^"]+)"', page).group(1)


def test_a_repeated_new_class_post_makes_one_class(
    client, create_organisation, create_user, create_course, read
):
    school = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course()
    login_as(client, teacher)
    data = {
        "course": course.id,
        "name": "Export 2B",
        "term": "",
        "csrf_token": csrf_token(client, "/teaching/classes"),
        "once_key": once_key(client, "/teaching/classes"),
    }
    first = client.post("/teaching/classes", data=data)
    responses = [client.post("/teaching/classes", data=data) for _ in range(3)]
    assert read(lambda: db.session.scalar(sa.select(sa.func.count(SchoolClass.id)))) == 1
    assert {r.headers["Location"] for r in responses} == {first.headers["Location"]}
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "This form was already sent; here is what it made." in page
    # A fresh rendering is a new form: it creates again.
    data["once_key"] = once_key(client, "/teaching/classes")
    client.post("/teaching/classes", data=data)
    assert read(lambda: db.session.scalar(sa.select(sa.func.count(SchoolClass.id)))) == 2


def test_a_refused_post_leaves_the_key_for_the_corrected_one(
    client, create_organisation, create_user, create_course, read
):
    teacher = create_user(roles=[Role.TEACHER], organisation=create_organisation())
    course = create_course()
    login_as(client, teacher)
    key = once_key(client, "/teaching/classes")
    token = csrf_token(client, "/teaching/classes")
    data = {"course": course.id, "name": "", "csrf_token": token, "once_key": key}
    refused = client.post("/teaching/classes", data=data)
    assert refused.status_code == 400 and f'value="{key}"' in refused.get_data(as_text=True)
    assert read(lambda: db.session.get(FormSubmission, key)) is None
    data["name"] = "Export 2B"
    assert client.post("/teaching/classes", data=data).status_code == 302
    assert read(lambda: db.session.scalar(sa.select(sa.func.count(SchoolClass.id)))) == 1


def test_another_users_key_is_not_theirs_to_replay(
    app, client, create_organisation, create_user, create_course, read
):
    school = create_organisation()
    first = create_user(roles=[Role.TEACHER], organisation=school)
    second = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course()
    login_as(client, first)
    key = once_key(client, "/teaching/classes")
    data = {"course": course.id, "name": "Mine", "once_key": key}
    client.post(
        "/teaching/classes", data={**data, "csrf_token": csrf_token(client, "/teaching/classes")}
    )
    other = app.test_client()
    login_as(other, second)
    response = other.post(
        "/teaching/classes", data={**data, "csrf_token": csrf_token(other, "/teaching/classes")}
    )
    assert response.headers["Location"] == "/teaching/classes"
    assert read(lambda: db.session.scalar(sa.select(sa.func.count(SchoolClass.id)))) == 1
