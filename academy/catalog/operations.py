"""Every write about courses: structure, team, partners, listing, assets.

The writes about a lesson's content (drafts, proposals, review, publishing) are in
``academy.catalog.revisions``; they are re-exported here, so callers may keep using
``operations.save_draft`` and the like.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.auth.models import Organisation, User
from academy.catalog import queries
from academy.catalog.models import (
    Course,
    CourseAsset,
    CoursePartner,
    CourseTeamMember,
    Lesson,
    LessonKind,
    Module,
    PartnerRole,
    TeamRole,
)
from academy.catalog.revisions import (
    approve_revision,
    propose_revision,
    publish_content,
    render_revision,
    restore_revision,
    return_revision,
    save_draft,
    withdraw_revision,
)
from academy.db import db
from academy.errors import OperationError

#: The content writes (from ``revisions``) are part of this module's interface.
__all__ = [
    "add_lesson",
    "add_module",
    "add_partner",
    "approve_revision",
    "create_course",
    "propose_revision",
    "publish_content",
    "remove_team_member",
    "render_revision",
    "renumber_lessons",
    "restore_revision",
    "return_revision",
    "save_draft",
    "set_listed",
    "set_team_member",
    "update_course",
    "update_lesson_settings",
    "update_module",
    "upload_asset",
    "withdraw_revision",
]

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
