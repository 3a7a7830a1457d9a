"""Drafts, proposals and review: who may do what, diffs, history and restoring."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.auth.models import User
from academy.catalog import operations
from academy.catalog.models import Course, Lesson, LessonRevision, RevisionStatus, TeamRole
from academy.db import db
from academy.errors import OperationError
from tests.conftest import csrf_token, fresh_database_url, login_as, make_test_app

EDIT = "/authoring/courses/{course}/lessons/lesson-1/edit"


@pytest.fixture
def team(create_user, create_course):
    owner = create_user()
    mentor = create_user()
    reviewer = create_user()
    student = create_user()
    course = create_course(
        lessons=2,
        team={TeamRole.OWNER: owner, TeamRole.CO_AUTHOR: mentor, TeamRole.REVIEWER: reviewer},
    )
    return {
        "owner": owner,
        "mentor": mentor,
        "reviewer": reviewer,
        "student": student,
        "course": course,
    }


def propose(client, course, body, action="propose", title="Lesson 1", title_zh="第 1 课"):
    path = EDIT.format(course=course.slug)
    return client.post(
        path,
        data={
            "title": title,
            "title_zh": title_zh,
            "body": body,
            "body_zh": "",
            "message": "clearer wording",
            "action": action,
            "csrf_token": csrf_token(client, path),
        },
    )


def lesson_state(read, course):
    def load():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == "lesson-1")
        )
        return lesson.published_revision.number, [(r.number, r.status) for r in lesson.revisions]

    return read(load)


def test_mentor_proposes_reviewer_approves_student_sees_it(app, client, team, read):
    course = team["course"]
    login_as(client, team["mentor"])
    assert propose(client, course, "Risk passes **on board**.").status_code == 302
    number, revisions = lesson_state(read, course)
    assert number == 1 and (2, RevisionStatus.PROPOSED) in revisions

    # The student still sees the published text, never the proposal.
    learner = app.test_client()
    login_as(learner, team["student"])
    learner.post(
        f"/courses/{course.slug}/enroll",
        data={"csrf_token": csrf_token(learner, f"/courses/{course.slug}")},
    )
    page = learner.get(f"/courses/{course.slug}/lessons/lesson-1").get_data(as_text=True)
    assert "Body of lesson 1." in page and "on board" not in page

    reviewer = app.test_client()
    login_as(reviewer, team["reviewer"])
    review_path = f"/authoring/courses/{course.slug}/lessons/lesson-1/revisions/2/review"
    page = reviewer.get(review_path).get_data(as_text=True)
    assert "<del>Body</del>" in page or "<del>" in page  # the diff is shown
    assert "<ins>" in page
    response = reviewer.post(
        review_path,
        data={
            "decision": "approve",
            "comment": "",
            "csrf_token": csrf_token(reviewer, review_path),
        },
    )
    assert response.status_code == 302
    assert lesson_state(read, course)[0] == 2
    page = learner.get(f"/courses/{course.slug}/lessons/lesson-1").get_data(as_text=True)
    assert "on board" in page


def test_mentor_cannot_publish_or_review(app, client, team, read):
    course = team["course"]
    login_as(client, team["mentor"])
    propose(client, course, "My change")
    review_path = f"/authoring/courses/{course.slug}/lessons/lesson-1/revisions/2/review"
    assert client.get(review_path).status_code == 403
    response = client.post(
        review_path,
        data={
            "decision": "approve",
            "csrf_token": csrf_token(client, EDIT.format(course=course.slug)),
        },
    )
    assert response.status_code == 403
    assert lesson_state(read, course)[0] == 1


def test_returned_proposal_carries_the_comment_and_can_be_proposed_again(app, client, team, read):
    course = team["course"]
    login_as(client, team["mentor"])
    propose(client, course, "Too short")
    reviewer = app.test_client()
    login_as(reviewer, team["reviewer"])
    path = f"/authoring/courses/{course.slug}/lessons/lesson-1/revisions/2/review"
    empty = reviewer.post(
        path, data={"decision": "return", "comment": " ", "csrf_token": csrf_token(reviewer, path)}
    )
    assert empty.status_code == 400 and "Say what should change." in empty.get_data(as_text=True)
    reviewer.post(
        path,
        data={
            "decision": "return",
            "comment": "Add the FOB example.",
            "csrf_token": csrf_token(reviewer, path),
        },
    )
    page = client.get(EDIT.format(course=course.slug)).get_data(as_text=True)
    assert "Add the FOB example." in page
    propose(client, course, "Longer, with the FOB example")
    assert (2, RevisionStatus.PROPOSED) in lesson_state(read, course)[1]


def test_drafts_are_private_and_unchanged_drafts_cannot_be_proposed(app, client, team, read):
    course = team["course"]
    login_as(client, team["mentor"])
    propose(client, course, "Secret draft", action="save")
    owner = app.test_client()
    login_as(owner, team["owner"])
    history = owner.get(f"/authoring/courses/{course.slug}/lessons/lesson-1/history").get_data(
        as_text=True
    )
    assert "Secret draft" not in history
    assert (
        owner.get(f"/authoring/courses/{course.slug}/lessons/lesson-1/revisions/2").status_code
        == 404
    )
    response = propose(client, course, "Body of lesson 1.\n")
    assert "This draft is the same as the published lesson." in response.get_data(as_text=True)


def test_compare_and_restore(app, client, team, read):
    course = team["course"]
    with app.app_context(), db.unit_of_work():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == "lesson-1")
        )
        operations.publish_content(
            lesson,
            title="Lesson 1",
            title_zh="",
            body="Second text.\n",
            body_zh="",
            credits=[],
            author=None,
            message="",
        )
    login_as(client, team["owner"])
    page = client.get(
        f"/authoring/courses/{course.slug}/lessons/lesson-1/compare?from=1&to=2"
    ).get_data(as_text=True)
    assert "<del>Body</del>" in page or "<del>Body of lesson 1.</del>" in page
    assert "<ins>" in page
    path = f"/authoring/courses/{course.slug}/lessons/lesson-1/history"
    client.post(
        f"/authoring/courses/{course.slug}/lessons/lesson-1/revisions/1/restore",
        data={"csrf_token": csrf_token(client, path)},
    )
    number, revisions = lesson_state(read, course)
    assert number == 3 and len(revisions) == 3  # a new revision; nothing is lost
    assert (
        read(
            lambda: db.session.scalar(
                sa.select(LessonRevision.body).where(
                    LessonRevision.number == 3, LessonRevision.lesson_id == lesson.id
                )
            )
        )
        == "Body of lesson 1.\n"
    )


def test_upload_refuses_wrong_type_and_oversized_pictures(app, client, team):
    course = team["course"]
    login_as(client, team["mentor"])
    path = f"/authoring/courses/{course.slug}"

    def upload(data: bytes, name: str, mimetype: str):
        # Encoded by hand: the test client would spool a large body to a file it never closes.
        boundary = "academy-test-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{csrf_token(client, path)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{name}"\r\nContent-Type: {mimetype}\r\n\r\n'
        )
        body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return client.post(
            path + "/assets", data=body, content_type=f"multipart/form-data; boundary={boundary}"
        )

    assert "Upload a PNG, JPEG, GIF or WebP picture." in upload(
        b"<svg onload=alert(1)>", "x.png", "image/png"
    ).get_data(as_text=True)
    assert "Pictures can be at most 2 MB." in upload(
        b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), "big.png", "image/png"
    ).get_data(as_text=True)
    assert upload(b"\x89PNG\r\n\x1a\n1234", "Route Map.png", "image/png").status_code == 302
    response = client.get(f"/courses/{course.slug}/assets/route-map.png")
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_two_reviewers_approving_at_once_publish_once(tmp_path_factory, create_user):
    """Real concurrent sessions on their own database: one approval wins, one is refused."""
    app = make_test_app(fresh_database_url(tmp_path_factory, "review_race"))
    with app.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with db.unit_of_work():
            from academy.auth.operations import create_user as make_user

            owner = make_user("owner@race.test", "Owner", "long-enough-pass")
            second = make_user("second@race.test", "Second", "long-enough-pass")
            mentor = make_user("mentor@race.test", "Mentor", "long-enough-pass")
            course = operations.create_course(owner, slug="race", title="Race")
            operations.set_team_member(course, second, TeamRole.REVIEWER)
            operations.set_team_member(course, mentor, TeamRole.CO_AUTHOR)
            module = operations.add_module(course, slug="m", title="M")
            lesson = operations.add_lesson(module, mentor, slug="l", title="L")
            draft = operations.save_draft(
                lesson, mentor, title="L", title_zh="", body="Text", body_zh=""
            )
            operations.propose_revision(draft, mentor)
            ids = (draft.id, owner.id, second.id)

    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def approve(reviewer_id: int) -> None:
        with app.app_context():
            barrier.wait()  # both sessions start their unit of work at the same moment
            try:
                with db.unit_of_work():
                    revision = db.session.get(LessonRevision, ids[0])
                    reviewer = db.session.get(User, reviewer_id)
                    operations.approve_revision(revision, reviewer)
                outcomes.append("published")
            except OperationError as error:
                outcomes.append(error.code)

    threads = [threading.Thread(target=approve, args=(reviewer_id,)) for reviewer_id in ids[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already_reviewed", "published"]
    with app.app_context():
        published = db.session.scalars(
            sa.select(LessonRevision).where(LessonRevision.status == RevisionStatus.PUBLISHED)
        ).all()
        assert len(published) == 1
        assert db.session.scalar(sa.select(Lesson.published_revision_id)) == published[0].id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 1
        db.session.close()  # give the connection back before the pool is closed
        db.engine.dispose()


def test_owner_edits_and_moves_a_module(app, client, team, read):
    from academy.catalog.models import Module

    course = team["course"]
    with app.app_context(), db.unit_of_work():
        owner = db.session.merge(team["owner"])
        target = db.session.get(Course, course.id)
        second = operations.add_module(target, slug="advanced", title="Advanced")
        operations.add_lesson(second, owner, slug="late-lesson", title="Late")
    login_as(client, team["owner"])
    path = f"/authoring/courses/{course.slug}/modules/advanced"
    token = csrf_token(client, path)
    empty = client.post(path, data={"title": " ", "position": "1", "csrf_token": token})
    assert empty.status_code == 400 and 'id="title-error"' in empty.get_data(as_text=True)
    response = client.post(
        path,
        data={
            "title": "Advanced pricing",
            "title_zh": "高级报价",
            "position": "1",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302

    def order():
        modules = db.session.scalars(
            sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
        )
        lessons = db.session.scalars(
            sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        )
        return [m.title for m in modules], [lesson.slug for lesson in lessons]

    modules, lessons = read(order)
    assert modules == ["Advanced pricing", "Basics"]
    assert lessons[0] == "late-lesson"  # the syllabus follows the module order
    login_as(client, team["mentor"])
    assert client.get(path).status_code == 403  # co-authors write lessons; owners shape the course
