"""Content in both languages beyond lessons: topic tags, quiz titles, organisation text.

A Chinese reader sees the Chinese version of each field where the author wrote one and
the English where not (per field, as lesson bodies do).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from academy.assessment.models import Quiz
from academy.auth.models import Organisation, Role
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db
from tests.conftest import csrf_token, login_as

COURSES = Path(__file__).resolve().parents[2] / "courses"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def import_course(app, slug: str):
    with app.app_context(), db.unit_of_work():
        package, problems = read_package(COURSES / slug)
        assert not problems
        return import_package(package).course.id


def test_topic_tags_and_quiz_titles_read_in_chinese(app, client, create_user):
    course_id = import_course(app, "trade-terms-pricing")
    english = client.get("/courses").get_data(as_text=True)
    chinese = client.get("/courses", headers=ZH).get_data(as_text=True)
    assert ">incoterms</a>" in english and ">贸易术语</a>" in chinese
    assert "?tag=incoterms" in chinese  # the link keeps the tag itself
    assert '<option value="incoterms">贸易术语</option>' in chinese

    with app.app_context():
        quiz = db.session.scalars(
            sa.select(Quiz).join(Quiz.lesson).where(sa.text(f"lessons.course_id = {course_id}"))
        ).first()
        assert quiz.title_zh and quiz.title_zh != quiz.title
        quiz_id, title, title_zh = quiz.id, quiz.title, quiz.title_zh
    login_as(client, create_user())
    enrol = "/courses/trade-terms-pricing"
    client.post(f"{enrol}/enroll", data={"csrf_token": csrf_token(client, enrol)})
    assert f"<h1>{title_zh}</h1>" in client.get(
        f"/assessment/quizzes/{quiz_id}", headers=ZH
    ).get_data(as_text=True)
    assert f"<h1>{title}</h1>" in client.get(f"/assessment/quizzes/{quiz_id}").get_data(
        as_text=True
    )


def test_a_tags_zh_longer_than_tags_is_refused(tmp_path):
    import shutil

    course = shutil.copytree(COURSES / "trade-terms-pricing", tmp_path / "trade-terms-pricing")
    toml = course / "course.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('tags_zh = ["', 'tags_zh = ["多余", "'), encoding="utf-8")
    _package, problems = read_package(course)
    assert "'tags_zh' names more tags than 'tags' lists" in [p.message for p in problems]


def test_an_organisation_description_in_chinese(app, client, create_user, create_organisation):
    school = create_organisation()
    # The admin first: making them merges the organisation object as it was created.
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=school)
    with app.app_context(), db.unit_of_work():
        stored = db.session.get(Organisation, school.id)
        stored.description = "A college in Zhengzhou."
        stored.description_zh = "郑州的一所学院。"
    login_as(client, admin)
    page = f"/organisations/{school.slug}"
    assert "郑州的一所学院。" in client.get(page, headers=ZH).get_data(as_text=True)
    assert "A college in Zhengzhou." in client.get(page).get_data(as_text=True)
