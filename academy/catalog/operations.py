"""Every write about courses: structure, team, drafts, proposals, review, assets.

The review workflow: a team member's edit is saved as a draft revision; proposing it
sends it to the course's reviewers; a reviewer (or the owner) approves it, which
publishes it, or returns it with comments. Publishing is a conditional update on the
revision's status, so two reviewers approving at the same moment publish it once.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.auth.models import Organisation, User
from academy.catalog import queries
from academy.catalog.models import (
    ASSET_URL_MARKER,
    Course,
    CourseAsset,
    CoursePartner,
    CourseTeamMember,
    Lesson,
    LessonKind,
    LessonRevision,
    Module,
    PartnerRole,
    RevisionStatus,
    TeamRole,
)
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.markdown import render_markdown

logger = logging.getLogger("academy.catalog")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ASSET_BYTES = 2 * 1024 * 1024
ASSET_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/gif": (b"GIF8", ".gif"),
    "image/webp": (b"RIFF", ".webp"),
}


def _check_slug(slug: str, field: str = "slug") -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise OperationError(
            _l("Use lowercase letters, digits and single hyphens only."),
            field=field,
            code="invalid_slug",
        )
    return slug


# --- courses and their teams -------------------------------------------------------------


def create_course(
    owner: User,
    *,
    slug: str,
    title: str,
    title_zh: str = "",
    summary: str = "",
    summary_zh: str = "",
    lead_organisation: Organisation | None = None,
) -> Course:
    """Start a course; its creator becomes the owner and their organisation the lead partner."""
    slug = _check_slug(slug)
    if not title.strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    if queries.get_course_by_slug(slug) is not None:
        raise OperationError(
            _l("This short name is already taken."), field="slug", code="duplicate_slug"
        )
    course = Course(
        slug=slug,
        title=title.strip(),
        title_zh=title_zh.strip(),
        summary=summary.strip(),
        summary_zh=summary_zh.strip(),
    )
    db.session.add(course)
    course.team.append(CourseTeamMember(user=owner, role=TeamRole.OWNER))
    if lead_organisation is not None:
        course.partners.append(CoursePartner(organisation=lead_organisation, role=PartnerRole.LEAD))
    db.session.flush()
    logger.info("course %s created by %s", slug, owner.email)
    return course


def update_course(course: Course, **values: Any) -> None:
    if "title" in values and not str(values["title"]).strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    for name, value in values.items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()


def set_team_member(course: Course, user: User, role: TeamRole | str) -> CourseTeamMember:
    role = TeamRole(role)
    member = next((m for m in course.team if m.user_id == user.id), None)
    if member is None:
        member = CourseTeamMember(user=user, role=role)
        course.team.append(member)
    else:
        if member.role == TeamRole.OWNER and role != TeamRole.OWNER and _owner_count(course) == 1:
            raise OperationError(
                _l("A course needs at least one owner."), field="role", code="last_owner"
            )
        member.role = role
    db.session.flush()
    return member


def remove_team_member(course: Course, member: CourseTeamMember) -> None:
    if member.role == TeamRole.OWNER and _owner_count(course) == 1:
        raise OperationError(_l("A course needs at least one owner."), code="last_owner")
    course.team.remove(member)
    db.session.flush()


def _owner_count(course: Course) -> int:
    return sum(member.role == TeamRole.OWNER for member in course.team)


def add_partner(
    course: Course, organisation: Organisation, contribution: str = "", contribution_zh: str = ""
) -> CoursePartner:
    if any(p.organisation_id == organisation.id for p in course.partners):
        raise OperationError(
            _l("This organisation is already a partner."),
            field="organisation",
            code="already_partner",
        )
    partner = CoursePartner(
        organisation=organisation,
        role=PartnerRole.LEAD if not course.partners else PartnerRole.PARTNER,
        contribution=contribution.strip(),
        contribution_zh=contribution_zh.strip(),
        position=len(course.partners),
    )
    course.partners.append(partner)
    db.session.flush()
    return partner


def set_listed(course: Course, is_listed: bool) -> None:
    if is_listed and not any(lesson.published_revision_id for lesson in course.lessons):
        raise OperationError(
            _l("Publish at least one lesson before listing the course."), code="nothing_published"
        )
    course.is_listed = is_listed
    db.session.flush()


# --- structure ---------------------------------------------------------------------------


def add_module(course: Course, *, slug: str, title: str, title_zh: str = "") -> Module:
    slug = _check_slug(slug)
    if not title.strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    if any(module.slug == slug for module in course.modules):
        raise OperationError(
            _l("This short name is already taken."), field="slug", code="duplicate_slug"
        )
    module = Module(
        course=course,
        slug=slug,
        title=title.strip(),
        title_zh=title_zh.strip(),
        position=len(course.modules),
    )
    db.session.add(module)
    db.session.flush()
    return module


def update_module(module: Module, *, position: int, **values: Any) -> None:
    """Change a module's texts and settings, and move it to ``position`` (1-based)."""
    if not str(values.get("title", module.title)).strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    for name, value in values.items():
        setattr(module, name, value.strip() if isinstance(value, str) else value)
    course = module.course
    ordered = [m for m in course.modules if m.id != module.id]
    ordered.insert(max(0, min(position - 1, len(ordered))), module)
    for index, item in enumerate(ordered):
        item.position = index
    renumber_lessons(course)


def add_lesson(
    module: Module,
    author: User,
    *,
    slug: str,
    title: str,
    kind: LessonKind | str = LessonKind.READING,
    duration_minutes: int = 10,
) -> Lesson:
    """Add a lesson with an empty first draft; learners see it once a revision is published."""
    course = module.course
    slug = _check_slug(slug)
    if not title.strip():
        raise OperationError(_l("Enter a title."), field="title", code="title_missing")
    if any(lesson.slug == slug for lesson in course.lessons):
        raise OperationError(
            _l("This short name is already taken."), field="slug", code="duplicate_slug"
        )
    lesson = Lesson(
        course=course,
        module=module,
        slug=slug,
        kind=LessonKind(kind),
        duration_minutes=duration_minutes,
    )
    db.session.add(lesson)
    db.session.flush()
    renumber_lessons(course)
    save_draft(lesson, author, title=title.strip(), title_zh="", body="", body_zh="")
    return lesson


def renumber_lessons(course: Course) -> None:
    """Keep ``Lesson.position`` in syllabus order: by module, then within the module."""
    db.session.flush()
    db.session.expire(course, ["lessons", "modules"])
    ordered = sorted(course.lessons, key=lambda lesson: (lesson.module.position, lesson.position))
    for position, lesson in enumerate(ordered):
        lesson.position = position
    db.session.flush()


def update_lesson_settings(lesson: Lesson, **values: Any) -> None:
    if values.get("duration_minutes") is not None and values["duration_minutes"] <= 0:
        raise OperationError(
            _l("Enter a positive number of minutes."),
            field="duration_minutes",
            code="invalid_duration",
        )
    for name, value in values.items():
        setattr(lesson, name, value)
    db.session.flush()


# --- revisions ---------------------------------------------------------------------------


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


def approve_revision(revision: LessonRevision, reviewer: User, comment: str = "") -> None:
    """Publish a proposal. Two approvals at once publish it once; the second is refused."""
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


# --- assets ------------------------------------------------------------------------------


def upload_asset(
    course: Course, user: User, filename: str, content_type: str, data: bytes
) -> CourseAsset:
    """Store a picture for the course's lessons after checking its size and real type."""
    if len(data) > MAX_ASSET_BYTES:
        raise OperationError(
            _l("Pictures can be at most 2 MB."), field="file", code="file_too_large"
        )
    expected = ASSET_SIGNATURES.get(content_type)
    if expected is None or not data.startswith(expected[0]):
        raise OperationError(
            _l("Upload a PNG, JPEG, GIF or WebP picture."), field="file", code="unsupported_picture"
        )
    stem = re.sub(r"[^a-z0-9]+", "-", filename.rsplit(".", 1)[0].lower()).strip("-") or "picture"
    name = f"{stem[:60]}{expected[1]}"
    digest = hashlib.sha256(data).hexdigest()
    asset = queries.get_asset(course, name)
    if asset is None:
        asset = CourseAsset(course_id=course.id, filename=name)
        db.session.add(asset)
    asset.content_type = content_type
    asset.data = data
    asset.size = len(data)
    asset.sha256 = digest
    asset.uploaded_by_id = user.id
    db.session.flush()
    return asset
