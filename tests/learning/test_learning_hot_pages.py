"""The pages learners open most run a fixed, small number of SQL statements.

Each test opens a page on a small course, grows the data the page could trip over (more
lessons, revisions, courses, enrolments, other learners), opens it again and checks that
the count did not move, and that it stays at the figure pinned here. A change that adds a
lazy load per row fails the first check; one that adds a query fails the second: if the
new query is worth it, raise the pin in the same commit and say why.
"""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import User
from academy.catalog.models import Course, Lesson, LessonKind, LessonRevision, RevisionStatus
from academy.db import db, utcnow
from academy.learning import operations
from tests.conftest import login_as

#: Statements per page (the session's user is loaded by one of them, and one checks that
#: the server-side session is still open: see academy/auth/sessions.py; pages with the
#: header count the notification bell's unread messages in one more).
LESSON_PAGE = 11
COURSE_PAGE = 13  # one statement reads the standard units its lessons serve
CATALOGUE = 9
MY_LEARNING = 8


def grow(app, create_course, create_user, course, student, lessons: int = 6) -> None:
    """More of everything: lessons, revisions of the first lesson, courses, learners."""
    with app.app_context(), db.unit_of_work():
        lesson = db.session.get(Lesson, course.lesson_ids[0])
        for position in range(10, 10 + lessons):
            more = Lesson(
                course=lesson.course,
                module=lesson.module,
                slug=f"more-{position}",
                position=position,
                kind=LessonKind.READING,
            )
            db.session.add(more)
            db.session.flush()
            more.published_revision = LessonRevision(
                lesson=more,
                number=1,
                status=RevisionStatus.PUBLISHED,
                title=f"More {position}",
                published_dt=utcnow(),
            )
        author = db.session.get(User, create_user().id)
        for number in range(2, 6):
            revision = LessonRevision(
                lesson=lesson,
                number=number,
                status=RevisionStatus.PUBLISHED,
                title=f"Lesson, version {number}",
                body=f"Version {number}",
                credits=[{"name": f"Writer {number}", "organisation": ""}],
                author=author,
                published_dt=utcnow(),
            )
            db.session.add(revision)
    for _ in range(3):
        other = create_course(lessons=lessons)
        enroll(app, student, other.id)
    for _ in range(3):
        enroll(app, create_user(), course.id)


def enroll(app, user: User, course_id: int) -> None:
    with app.test_request_context(), db.unit_of_work():
        operations.enroll(db.session.get(User, user.id), db.session.get(Course, course_id))


def statements(client, count_queries, path: str) -> list[str]:
    client.get(path)  # warm: the first view of a lesson records it
    with count_queries() as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return queries


def check_fixed(app, client, create_course, create_user, count_queries, path, pin) -> None:
    student = create_user()
    course = create_course(lessons=3)
    enroll(app, student, course.id)
    login_as(client, student)
    url = path.format(slug=course.slug)
    before = statements(client, count_queries, url)
    grow(app, create_course, create_user, course, student)
    after = statements(client, count_queries, url)
    assert len(after) == len(before), after
    assert len(after) <= pin, after


def test_lesson_page(app, client, create_course, create_user, count_queries):
    check_fixed(
        app,
        client,
        create_course,
        create_user,
        count_queries,
        "/courses/{slug}/lessons/lesson-1",
        LESSON_PAGE,
    )


def test_course_page(app, client, create_course, create_user, count_queries):
    check_fixed(
        app, client, create_course, create_user, count_queries, "/courses/{slug}", COURSE_PAGE
    )


def test_catalogue(app, client, create_course, create_user, count_queries):
    check_fixed(app, client, create_course, create_user, count_queries, "/courses", CATALOGUE)


def test_my_learning(app, client, create_course, create_user, count_queries):
    check_fixed(app, client, create_course, create_user, count_queries, "/learning", MY_LEARNING)


def test_reading_a_lesson_again_within_the_minute_writes_nothing(
    app, client, create_course, create_user, count_queries
):
    student = create_user()
    course = create_course(lessons=2)
    enroll(app, student, course.id)
    login_as(client, student)
    path = f"/courses/{course.slug}/lessons/lesson-1"
    client.get(path)
    with count_queries() as queries:
        assert client.get(path).status_code == 200
    writes = [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    # Another lesson is a new view: it is recorded at once.
    with count_queries() as queries:
        client.get(f"/courses/{course.slug}/lessons/lesson-2")
    assert any(q.lstrip().upper().startswith("UPDATE") for q in queries)
    with app.app_context():
        last = db.session.scalar(
            sa.select(Lesson.slug).join(Lesson.course).where(Course.slug == course.slug)
        )
        assert last
