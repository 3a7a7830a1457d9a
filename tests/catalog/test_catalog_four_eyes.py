"""Four eyes: the author of a change does not approve it, unless the course allows it."""

from __future__ import annotations

import sqlalchemy as sa

from academy.catalog.models import Course, TeamRole
from academy.db import db
from tests.catalog.test_catalog_review import lesson_state, propose
from tests.conftest import csrf_token, login_as

REVIEW = "/authoring/courses/{course}/lessons/lesson-1/revisions/2/review"


def decide(client, path: str, decision: str = "approve"):
    return client.post(
        path, data={"decision": decision, "comment": "", "csrf_token": csrf_token(client, path)}
    )


def test_an_owner_cannot_approve_their_own_change(app, client, create_user, create_course, read):
    owner, second = create_user(), create_user()
    course = create_course(lessons=1, team={TeamRole.OWNER: owner, TeamRole.REVIEWER: second})
    login_as(client, owner)
    assert propose(client, course, "Risk passes **on board**.").status_code == 302
    path = REVIEW.format(course=course.slug)

    page = client.get(path).get_data(as_text=True)
    assert "You wrote this change" in page and 'value="approve"' not in page
    refused = decide(client, path)  # posted anyway: refused, nothing published
    assert refused.status_code == 403
    assert "another owner or reviewer of the course approves it" in refused.get_data(as_text=True)
    assert lesson_state(read, course)[0] == 1

    other = app.test_client()
    login_as(other, second)
    assert 'value="approve"' in other.get(path).get_data(as_text=True)
    assert decide(other, path).status_code == 302
    assert lesson_state(read, course)[0] == 2


def test_a_course_that_allows_it_lets_the_author_approve(
    app, client, create_user, create_course, read
):
    owner = create_user()
    course = create_course(lessons=1, team={TeamRole.OWNER: owner})
    login_as(client, owner)
    settings = f"/authoring/courses/{course.slug}"
    with app.app_context():
        assert db.session.scalar(
            sa.select(Course.allow_self_approval).where(Course.id == course.id)
        ) is False  # fmt: skip
    response = client.post(
        settings,
        data={
            "title": course.title,
            "level": "introductory",
            "is_open": "y",
            "allow_self_approval": "y",
            "csrf_token": csrf_token(client, settings),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    propose(client, course, "Risk passes **on board**.")
    assert decide(client, REVIEW.format(course=course.slug)).status_code == 302
    assert lesson_state(read, course)[0] == 2


def test_the_package_carries_the_setting(tmp_path):
    from academy.catalog.packages.reader import read_package

    course = tmp_path / "four-eyes"
    (course / "01-basics").mkdir(parents=True)
    (course / "course.toml").write_text(
        'title = "Four eyes"\nallow_self_approval = "yes"\n', encoding="utf-8"
    )
    (course / "01-basics" / "module.toml").write_text('title = "Basics"\n', encoding="utf-8")
    (course / "01-basics" / "01-a.md").write_text(
        '+++\ntitle = "A"\n+++\nBody.\n', encoding="utf-8"
    )
    _package, problems = read_package(course)
    assert "'allow_self_approval' must be true or false" in [p.message for p in problems]
