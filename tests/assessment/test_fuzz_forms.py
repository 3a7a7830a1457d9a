"""Fuzzing every POST route we can address with junk (issue 10): never a 500.

A site admin (whom no object rule stops) posts to every POST route whose URL can be
filled from a quiz world: form fields with the names our forms use, holding hypothesis
text, non-finite and huge numbers, NUL bytes and long strings; JSON bodies of the wrong
types; and raw bodies that are not UTF-8. Whatever comes back must not be a 500, and a
request carrying a NUL byte must store nothing. CSRF is off (it would refuse everything
first). Routes whose arguments a quiz world cannot fill (markets, invitations) are left
to their own domains' tests.
"""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.assessment.models import Question, Quiz
from academy.auth.models import User
from academy.catalog.models import Course, Lesson
from academy.db import db
from tests.assessment.test_assessment_tenancy import submit_essay
from tests.conftest import login_as

FIELDS = [
    "email",
    "password",
    "confirm",
    "display_name",
    "current_password",
    "new_password",
    "name",
    "term",
    "course",
    "join_code",
    "points",
    "feedback",
    "text",
    "pass_mark",
    "weight",
    "attempts",
    "time_limit_minutes",
    "title",
    "slug",
    "body",
    "note",
    "q1",
    "q9",
    "positions",
    "criterion-0",
    "role",
    "summary",
    "message",
    "upload",
    "draw",
]
ODD = [
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e30",
    "-1e308",
    "9" * 400,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eadmin",
    "'; DROP TABLE users; --",
    "<script>x</script>",
    "x" * 100_000,
    "0x10",
    "1,2,3",
    "true",
    "[]",
    "{}",
    "\ud7ff\ue000",
]
values = st.one_of(st.sampled_from(ODD), st.text(max_size=50))
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
json_bodies = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS), children, max_size=3)
    ),
    max_leaves=8,
)
raw_bodies = st.binary(max_size=200).map(lambda b: b"email=" + b + b"&points=\xff\xfe")


def addressable_routes(app, ids: dict) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            if name not in ids:
                path = None
                break
            path = path.replace(f"<int:{name}>", str(ids[name])).replace(
                f"<{name}>", str(ids[name])
            )
        if path is not None:
            paths.append(path)
    return sorted(paths)


def test_no_post_route_answers_500_to_junk(app, client, make_quiz_world, monkeypatch, read):
    world = make_quiz_world()
    attempt_id, item_id = submit_essay(app, world, world.student)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context(), db.unit_of_work():
        course = db.session.get(Course, world.course_id)
        lesson = db.session.get(Lesson, world.lesson_id)
        quiz = db.session.get(Quiz, world.quiz_id)
        question_id = db.session.scalar(
            sa.select(Question.id).where(Question.bank_id == quiz.bank_id).limit(1)
        )
        admin = db.session.merge(world.teacher)
        db.session.get(User, admin.id).is_site_admin = True
        ids = {
            "attempt_id": attempt_id,
            "item_id": item_id,
            "quiz_id": quiz.id,
            "bank_id": quiz.bank_id,
            "class_id": world.class_id,
            "lesson_id": lesson.id,
            "lesson_slug": lesson.slug,
            "module_slug": lesson.module.slug,
            "slug": course.slug,
            "question_id": question_id,
            "user_id": world.student.id,
            "position": 9,
            "number": 1,
            "token": "not-a-token",
        }
    login_as(client, world.teacher)
    paths = [p for p in addressable_routes(app, ids) if not p.endswith(("/logout", "/end"))]
    assert len(paths) >= 25, paths

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        path=st.sampled_from(paths),
        form=forms,
        body=json_bodies,
        raw=raw_bodies,
        kind=st.sampled_from(["form", "json", "raw"]),
    )
    def post_junk(path, form, body, raw, kind):
        if kind == "form":
            response = client.post(path, data=form)
        elif kind == "json":
            response = client.post(path, json=body, headers={"Accept": "application/json"})
        else:
            response = client.post(path, data=raw, content_type="application/x-www-form-urlencoded")
        assert response.status_code != 500, (path, kind, form, body, raw)

    post_junk()
    names = read(lambda: db.session.scalars(sa.select(User.display_name)).all())
    assert not [n for n in names if "\x00" in n or "\u202e" in n]  # refused, not stored
