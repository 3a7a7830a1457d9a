"""The pages people use: the demo's finished sitting in both languages, schools, sessions."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import Role
from academy.auth.queries import get_user_by_email
from academy.certification.models import Sitting
from academy.certification.sittings import delivery
from academy.certification.sittings.registration import register_candidate
from academy.db import db
from academy.seed import seed_demo
from tests.conftest import DEFAULT_PASSWORD, csrf_token, login_as


def _switch(client, locale: str) -> None:
    # The choice is remembered on the account, so every client says which it wants.
    client.post(
        "/language",
        data={"locale": locale, "next": "/", "csrf_token": csrf_token(client, "/dashboard")},
    )


def _pages_of(sitting_id: int) -> dict[str, list[str]]:
    base = f"/certification/sittings/{sitting_id}"
    return {
        "examiner@academy.test": [
            "/certification/",
            base,
            base + "/marking",
            "/certification/standards",
        ],
        "chief@academy.test": [base + "/moderation", base + "/marking"],
        "invigilator@academy.test": [base + "/invigilate"],
        "student1@academy.test": ["/certification/", base + "/exam", base + "/result"],
        "student2@academy.test": [base + "/result"],
        "teacher@academy.test": ["/certification/school"],
    }


def test_the_demo_sitting_is_released_and_every_page_opens_in_both_languages(app):
    with app.app_context(), db.unit_of_work():
        seed_demo(2019)
        sitting = db.session.scalar(sa.select(Sitting).where(Sitting.title.like("%(demo)")))
        sitting_id = sitting.id
        assert sitting.is_released and len(sitting.candidates) == 3
        standard = sitting.programme.standard
        assert len(standard.units) >= 8 and standard.level("intermediate").name_zh == "中级"
        users = {email: get_user_by_email(email) for email in _pages_of(sitting_id)}
    for email, paths in _pages_of(sitting_id).items():
        for chinese in (False, True):
            client = app.test_client()
            login_as(client, users[email])
            _switch(client, "zh_Hans" if chinese else "en")
            for path in paths:
                response = client.get(path)
                html = response.get_data(as_text=True)
                assert response.status_code == 200, (email, path, chinese)
                assert "%(" not in html, (email, path)
    careful = app.test_client()
    login_as(careful, users["student1@academy.test"])
    _switch(careful, "en")
    result = careful.get(f"/certification/sittings/{sitting_id}/result").get_data(as_text=True)
    assert "You reached the level Intermediate." in result
    careless = app.test_client()
    login_as(careless, users["student2@academy.test"])
    _switch(careless, "zh_Hans")
    result = careless.get(f"/certification/sittings/{sitting_id}/result").get_data(as_text=True)
    assert "你本次未达到中级。" in result
    assert "实操任务 win-rfq 未达标" in result
    admin = app.test_client()
    login_as(admin, users["examiner@academy.test"])
    csv = admin.get(f"/certification/sittings/{sitting_id}/results.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("candidate_number,name,email,school,status")
    assert len(csv.splitlines()) == 4


def test_a_teacher_sees_only_their_own_schools_candidates(
    app, client, make_cert_world, create_user, create_organisation
):
    world = make_cert_world(students=1, practical=False)
    other_school = create_organisation()
    outsider = create_user(
        roles=[Role.STUDENT], organisation=other_school, display_name="Outsider Student"
    )
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, world.sitting_id)
        register_candidate(
            sitting, db.session.merge(outsider), None, now=sitting.starts_dt.replace(year=2020)
        )
    login_as(client, world.users["teacher"])
    html = client.get("/certification/school").get_data(as_text=True)
    assert world.students[0].display_name in html
    assert "Outsider Student" not in html


def test_a_login_elsewhere_ends_the_older_exam_session(app, make_cert_world):
    world = make_cert_world(students=1, practical=False)
    student = world.students[0]
    with app.app_context(), db.unit_of_work():
        candidate = db.session.get(Sitting, world.sitting_id).candidates[0]
        delivery.check_in(candidate, db.session.merge(world.users["invigilator"]), "1", True)
    exam = f"/certification/sittings/{world.sitting_id}/exam"
    first = app.test_client()
    login_as(first, student)
    first.post(exam + "/start", data={"csrf_token": csrf_token(first, exam)})
    assert first.get(exam).status_code == 200
    second = app.test_client()
    second.post(
        "/login",
        data={
            "email": student.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token(second, "/login"),
        },
    )
    assert second.get(exam).status_code == 200
    displaced = first.get(exam)
    assert displaced.status_code == 302 and "/login" in displaced.headers["Location"]
    assert second.get(exam).status_code == 200


def test_the_course_page_names_the_units_a_lesson_serves(app, client, create_user, make_cert_world):
    from pathlib import Path

    from academy.catalog.packages.importer import import_package
    from academy.catalog.packages.reader import read_package

    make_cert_world(
        students=0, practical=False
    )  # its unit U1 names platform-operations/rfq-quoting
    with app.app_context(), db.unit_of_work():
        package, problems = read_package(
            Path(__file__).resolve().parents[2] / "courses" / "platform-operations"
        )
        assert not problems
        import_package(package)
    login_as(client, create_user())
    html = client.get("/courses/platform-operations").get_data(as_text=True)
    assert 'Units of competency: <abbr title="Platform operations and RFQs">U1</abbr>' in html
