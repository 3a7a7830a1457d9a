"""Times in the reader's zone: their own choice, else their organisation's, else the platform's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from academy.assessment.models import Quiz
from academy.auth.models import Organisation, User
from academy.db import db
from academy.timezones import is_time_zone, local_to_utc, utc_to_local
from tests.assessment.test_assessment_quiz_settings import make_owner, post, settings_path
from tests.conftest import csrf_token, login_as

CLOSE_UTC = datetime(2026, 12, 10, 15, 30, tzinfo=UTC)  # 23:30 in Zhengzhou, 16:30 in Paris


def set_zones(app, world, *, organisation: str | None = None, user: str | None = None) -> None:
    with app.app_context(), db.unit_of_work():
        quiz = db.session.get(Quiz, world.quiz_id)
        quiz.close_dt = CLOSE_UTC
        student = db.session.get(User, world.student.id)
        student.time_zone = user
        for membership in student.memberships:
            db.session.get(Organisation, membership.organisation_id).time_zone = organisation


def quiz_page(client, world, locale: str = "en") -> str:
    headers = {"Accept-Language": "zh-CN" if locale == "zh" else "en-GB"}
    return client.get(f"/assessment/quizzes/{world.quiz_id}", headers=headers).get_data(
        as_text=True
    )


def test_a_deadline_shows_in_the_organisations_zone_and_says_which(app, client, make_quiz_world):
    world = make_quiz_world()
    set_zones(app, world, organisation="Asia/Shanghai")
    login_as(client, world.student)
    page = quiz_page(client, world, "zh")
    assert re.search(r">[^<]*23:30</time> <span class=\"meta\">\(Asia/Shanghai\)", page)
    assert re.search(r">[^<]*11:30\sPM</time>", quiz_page(client, world, "en"))


def test_the_users_own_zone_wins_over_the_organisations(app, client, make_quiz_world):
    world = make_quiz_world()
    set_zones(app, world, organisation="Asia/Shanghai", user="Europe/Paris")
    login_as(client, world.student)
    page = quiz_page(client, world)
    assert re.search(r"4:30\sPM", page) and "(Europe/Paris)" in page


def test_without_any_zone_the_platform_default_is_used(app, client, make_quiz_world):
    world = make_quiz_world()
    set_zones(app, world)
    login_as(client, world.student)
    page = quiz_page(client, world)
    assert re.search(r"3:30\sPM", page) and "(UTC)" in page


def test_a_student_chooses_a_zone_on_the_profile_and_a_bad_one_is_refused(
    app, client, create_user, read
):
    user = create_user()
    login_as(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="time_zone"' in page and "Asia/Shanghai" in page
    data = {
        "display_name": "Li Lei",
        "preferred_locale": "",
        "csrf_token": csrf_token(client, "/account"),
    }
    response = client.post("/account", data={**data, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code in (200, 400)
    assert read(lambda: db.session.get(User, user.id).display_name) != "Li Lei"
    response = client.post("/account", data={**data, "time_zone": "Asia/Shanghai"})
    assert response.status_code == 302
    assert read(lambda: db.session.get(User, user.id).time_zone) == "Asia/Shanghai"


def test_quiz_settings_read_times_in_the_authors_zone(app, client, make_quiz_world, read):
    world = make_quiz_world()
    make_owner(app, world)
    with app.app_context(), db.unit_of_work():
        db.session.get(User, world.teacher.id).time_zone = "Asia/Shanghai"
    login_as(client, world.teacher)
    path = settings_path(world)
    page = client.get(path).get_data(as_text=True)
    assert "Asia/Shanghai" in page
    assert post(client, path, close_date="2026-12-10T23:30").status_code == 302
    stored = read(lambda: db.session.get(Quiz, world.quiz_id).close_dt)
    assert stored.replace(tzinfo=UTC) == CLOSE_UTC
    # Shown back as the author typed it.
    assert re.search(r'value="2026-12-10[ T]23:30', client.get(path).get_data(as_text=True))


@pytest.mark.parametrize(
    ("name", "known"),
    [("Asia/Shanghai", True), ("UTC", True), ("Mars/Olympus_Mons", False), ("", False)],
)
def test_known_zones(name, known):
    assert is_time_zone(name) is known


def test_local_times_round_trip_through_utc():
    local = datetime(2026, 12, 10, 23, 30)
    assert local_to_utc(local, "Asia/Shanghai") == CLOSE_UTC
    assert utc_to_local(CLOSE_UTC, "Asia/Shanghai") == local
