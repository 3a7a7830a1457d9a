"""Lesson bodies are rendered to HTML once, when a revision is published."""

from __future__ import annotations

import sqlalchemy as sa

from academy.catalog import operations
from academy.catalog.models import Lesson, LessonRevision
from academy.db import db
from tests.conftest import login_as


def test_publishing_stores_each_language_and_the_page_shows_it(
    app, client, create_course, create_user, no_csrf
):
    course = create_course(lessons=1)
    with app.app_context(), db.unit_of_work():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course.id))
        stored_course = db.session.get(type(course), course.id)
        stored_course.allow_self_approval = True  # the owner publishes alone here
        owner = stored_course.team[0].user
        draft = operations.save_draft(
            lesson,
            owner,
            title="Pictures",
            title_zh="图片",
            body="# Ports\n\n![Route](images/route.png)\n\n<script>alert(1)</script>",
            body_zh="# 港口\n\n中文正文",
        )
        operations.propose_revision(draft, owner)
        operations.approve_revision(draft, owner)
        stored = db.session.get(LessonRevision, draft.id)
        assert '<h1 id="ports">Ports</h1>' in stored.body_html
        assert "<script>" not in stored.body_html  # sanitised before it is stored
        assert "中文正文" in stored.body_zh_html
    student = create_user()
    login_as(client, student)
    client.post(f"/courses/{course.slug}/enroll", data={}, follow_redirects=True)
    page = client.get(f"/courses/{course.slug}/lessons/{lesson.slug}").get_data(as_text=True)
    assert f'src="/courses/{course.slug}/assets/route.png"' in page
    assert "@course-asset" not in page


def test_a_revision_stored_without_html_is_rendered_on_the_fly(
    app, client, create_course, create_user, no_csrf
):
    course = create_course(lessons=1)
    with app.app_context(), db.unit_of_work():
        db.session.execute(sa.update(LessonRevision).values(body_html=None, body_zh_html=None))
    login_as(client, create_user())
    client.post(f"/courses/{course.slug}/enroll", data={})
    page = client.get(f"/courses/{course.slug}/lessons/lesson-1").get_data(as_text=True)
    assert "<p>Body of lesson 1.</p>" in page
