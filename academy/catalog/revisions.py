"""Every write about a lesson's content: drafts, proposals, review, publishing, restoring.

The review workflow: a team member's edit is saved as a draft revision; proposing it
sends it to the course's reviewers; a reviewer (or the owner) approves it, which
publishes it, or returns it with comments. Publishing is a conditional update on the
revision's status, so two reviewers approving at the same moment publish it once.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth.models import User
from academy.catalog import queries
from academy.catalog.models import (
    ASSET_URL_MARKER,
    Lesson,
    LessonRevision,
    RevisionStatus,
    TeamRole,
)
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.markdown import render_markdown

logger = logging.getLogger("academy.catalog")


def _next_number(lesson: Lesson) -> int:
    current = db.session.scalar(
        sa.select(sa.func.max(LessonRevision.number)).where(LessonRevision.lesson_id == lesson.id)
    )
    return (current or 0) + 1


def publish_content(
    lesson: Lesson,
    *,
    title: str,
    title_zh: str,
    body: str,
    body_zh: str,
    credits: list[dict[str, str]],
    author: User | None,
    message: str,
) -> LessonRevision | None:
    """Publish this content as a new revision unless it is what learners already see."""
    content = (title, title_zh, body, body_zh, credits)
    published = lesson.published_revision
    if published is not None and published.content == content:
        return None
    now = utcnow()
    revision = LessonRevision(
        lesson=lesson,
        number=_next_number(lesson),
        status=RevisionStatus.PUBLISHED,
        title=title,
        title_zh=title_zh,
        body=body,
        body_zh=body_zh,
        credits=credits,
        author=author,
        message=message,
        based_on=published,
        published_dt=now,
        reviewed_dt=now,
    )
    render_revision(revision)
    db.session.add(revision)
    db.session.flush()
    lesson.published_revision = revision
    db.session.flush()
    return revision


def render_revision(revision: LessonRevision) -> None:
    """Store the revision's bodies as sanitised HTML, once, when it is published.

    Rendering Markdown takes milliseconds; the lesson page is the most read page, so it
    shows the stored HTML instead. Picture URLs depend on where the app is mounted, so
    they are stored as ``ASSET_URL_MARKER`` + file name and completed per request.
    """

    def resolve(path: str) -> str:
        return ASSET_URL_MARKER + path.removeprefix("images/")

    revision.body_html = str(render_markdown(revision.body, resolve))
    revision.body_zh_html = (
        str(render_markdown(revision.body_zh, resolve)) if revision.body_zh.strip() else ""
    )


def save_draft(
    lesson: Lesson,
    author: User,
    *,
    title: str,
    title_zh: str,
    body: str,
    body_zh: str,
    message: str = "",
) -> LessonRevision:
    """Save ``author``'s working copy of the lesson (one open draft per author and lesson)."""
    if not title.strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    draft = queries.open_draft(lesson, author)
    if draft is None:
        draft = LessonRevision(
            lesson=lesson,
            number=_next_number(lesson),
            author=author,
            based_on=lesson.published_revision,
            credits=list(lesson.published_revision.credits) if lesson.published_revision else [],
        )
        db.session.add(draft)
    draft.status = RevisionStatus.DRAFT
    draft.title = title.strip()
    draft.title_zh = title_zh.strip()
    draft.body = body
    draft.body_zh = body_zh
    draft.message = message.strip()
    draft.updated_dt = utcnow()
    db.session.flush()
    return draft


def propose_revision(revision: LessonRevision, author: User) -> None:
    if revision.author_id != author.id:
        raise OperationError(
            _l("Only the author of a draft can propose it."), code="not_the_author"
        )
    if revision.status not in (RevisionStatus.DRAFT, RevisionStatus.RETURNED):
        raise OperationError(_l("Only a draft can be proposed."), code="not_a_draft")
    published = revision.lesson.published_revision
    if published is not None and published.content[:4] == revision.content[:4]:
        raise OperationError(
            _l("This draft is the same as the published lesson."), code="draft_unchanged"
        )
    revision.status = RevisionStatus.PROPOSED
    revision.proposed_dt = utcnow()
    db.session.flush()
    logger.info("revision %s of lesson %s proposed", revision.number, revision.lesson_id)
    course = revision.lesson.course
    for member in course.team:
        if member.user_id != author.id and member.role in (TeamRole.OWNER, TeamRole.REVIEWER):
            _notify_revision(
                member.user, revision, "PROPOSAL_TO_REVIEW", author=author.display_name
            )


def _notify_revision(user: User, revision: LessonRevision, kind: str, **params: str) -> None:
    from academy.notifications import operations as notifications

    lesson = revision.lesson
    notifications.notify(
        user,
        notifications.NotificationKind[kind],
        url=notifications.link(
            "catalog.show_revision",
            slug=lesson.course.slug,
            lesson_slug=lesson.slug,
            number=revision.number,
        ),
        title=revision.title,
        **params,
    )


def may_approve(revision: LessonRevision, reviewer: User) -> bool:
    """Four eyes: the author approves their own change only where the course allows it."""
    return revision.author_id != reviewer.id or revision.lesson.course.allow_self_approval


def approve_revision(revision: LessonRevision, reviewer: User, comment: str = "") -> None:
    """Publish a proposal. Two approvals at once publish it once; the second is refused.

    Raises:
        OperationError: ``own_change`` when the reviewer wrote the change and the course
            keeps four eyes; ``already_reviewed`` when someone else decided first.
    """
    if not may_approve(revision, reviewer):
        raise OperationError(
            _l("You wrote this change: another owner or reviewer of the course approves it."),
            code="own_change",
        )
    now = utcnow()
    result = db.execute_dml(
        sa.update(LessonRevision)
        .where(LessonRevision.id == revision.id, LessonRevision.status == RevisionStatus.PROPOSED)
        .values(
            status=RevisionStatus.PUBLISHED,
            reviewer_id=reviewer.id,
            reviewed_dt=now,
            published_dt=now,
            review_comment=comment.strip(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise OperationError(
            _l("This proposal has already been reviewed."), code="already_reviewed"
        )
    db.session.refresh(revision)
    render_revision(revision)
    lesson = revision.lesson
    lesson.published_revision = revision
    db.session.flush()
    record_event(
        AuditAction.LESSON_PUBLISHED,
        actor=reviewer,
        subject=lesson,
        revision=revision.number,
        author=revision.author.email if revision.author else "",
    )
    logger.info(
        "revision %s of lesson %s published by %s", revision.number, lesson.id, reviewer.email
    )
    if revision.author is not None and revision.author_id != reviewer.id:
        _notify_revision(revision.author, revision, "CHANGE_APPROVED")


def return_revision(revision: LessonRevision, reviewer: User, comment: str) -> None:
    if not comment.strip():
        raise OperationError(_l("Say what should change."), field="comment", code="comment_missing")
    result = db.execute_dml(
        sa.update(LessonRevision)
        .where(LessonRevision.id == revision.id, LessonRevision.status == RevisionStatus.PROPOSED)
        .values(
            status=RevisionStatus.RETURNED,
            reviewer_id=reviewer.id,
            reviewed_dt=utcnow(),
            review_comment=comment.strip(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise OperationError(
            _l("This proposal has already been reviewed."), code="already_reviewed"
        )
    db.session.refresh(revision)
    if revision.author is not None:
        _notify_revision(revision.author, revision, "CHANGE_RETURNED", comment=comment.strip())


def withdraw_revision(revision: LessonRevision, author: User) -> None:
    if revision.author_id != author.id or revision.status == RevisionStatus.PUBLISHED:
        raise OperationError(
            _l("Only the author can withdraw an unpublished revision."), code="not_the_author"
        )
    revision.status = RevisionStatus.WITHDRAWN
    db.session.flush()


def restore_revision(old: LessonRevision, user: User, *, can_review: bool) -> LessonRevision:
    """Bring back an old published revision as a new one: published at once by a
    reviewer or owner, proposed for review when anyone else asks."""
    if old.status != RevisionStatus.PUBLISHED:
        raise OperationError(_l("Only a published revision can be restored."), code="not_published")
    lesson = old.lesson
    if can_review:
        revision = publish_content(
            lesson,
            title=old.title,
            title_zh=old.title_zh,
            body=old.body,
            body_zh=old.body_zh,
            credits=list(old.credits),
            author=user,
            message=f"Restored revision {old.number}",
        )
        if revision is None:
            raise OperationError(
                _l("That revision is what learners already see."), code="already_published"
            )
        revision.reviewer_id = user.id
        return revision
    draft = save_draft(
        lesson,
        user,
        title=old.title,
        title_zh=old.title_zh,
        body=old.body,
        body_zh=old.body_zh,
        message=f"Restore revision {old.number}",
    )
    propose_revision(draft, user)
    return draft
