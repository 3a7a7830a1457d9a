"""Write a validated course package into the database.

Importing is idempotent: a package that has not changed since its last import changes
nothing, and a changed lesson gets a new published revision beside the old ones, so no
history is lost. Lessons and modules that a newer package no longer has are kept (their
learners' progress refers to them) and reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from academy.auth import operations as auth_operations
from academy.auth import queries as auth_queries
from academy.auth.models import Organisation, OrganisationKind, User
from academy.catalog.models import (
    Course,
    CourseAsset,
    CourseLevel,
    CoursePartner,
    Lesson,
    LessonKind,
    Module,
    PartnerRole,
)
from academy.catalog.operations import publish_content
from academy.catalog.packages.extensions import package_extensions
from academy.catalog.packages.model import CoursePackage, LessonSpec, ModuleSpec, PartnerSpec
from academy.catalog.packages.reader import IMAGE_TYPES, lesson_settings
from academy.db import db

logger = logging.getLogger("academy.catalog.packages")

IMPORT_MESSAGE = "Imported from the course package"
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip


@dataclass
class ImportResult:
    course: Course
    created: bool = False
    changed: list[str] = field(default_factory=list)  # what changed, for the operator
    kept: list[str] = field(default_factory=list)  # lessons no longer in the package


def _organisation_for(partner: PartnerSpec) -> Organisation:
    organisation = auth_queries.get_organisation_by_slug(partner.slug)
    if organisation is None:
        organisation = auth_operations.create_organisation(
            partner.name, OrganisationKind(partner.kind), partner.slug
        )
    return organisation


def _set(obj: object, result: ImportResult, label: str, **values: object) -> None:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed and not result.created:
        result.changed.append(f"{label}: {', '.join(changed)}")


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _import_partners(course: Course, package: CoursePackage, result: ImportResult) -> None:
    wanted = []
    for position, spec in enumerate(package.partners):
        organisation = _organisation_for(spec)
        partner = next((p for p in course.partners if p.organisation_id == organisation.id), None)
        if partner is None:
            partner = CoursePartner(organisation=organisation)
            course.partners.append(partner)
            if not result.created:
                result.changed.append(f"partner {spec.slug} added")
        _set(
            partner,
            result,
            f"partner {spec.slug}",
            role=PartnerRole(spec.role),
            contribution=spec.contribution,
            contribution_zh=spec.contribution_zh,
            position=position,
        )
        wanted.append(partner)
    for partner in list(course.partners):
        if partner not in wanted:
            course.partners.remove(partner)
            result.changed.append(f"partner {partner.organisation.slug} removed")


def _import_assets(
    course: Course, package: CoursePackage, actor: User | None, result: ImportResult
) -> None:
    folder = package.root / "images"
    if not folder.is_dir():
        return
    existing = {
        asset.filename: asset
        for asset in db.session.scalars(
            sa.select(CourseAsset).where(CourseAsset.course_id == course.id)
        )
    }
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in IMAGE_TYPES:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        asset = existing.get(path.name)
        if asset is not None and asset.sha256 == digest:
            continue
        if asset is None:
            asset = CourseAsset(
                course_id=course.id, filename=path.name, uploaded_by_id=actor.id if actor else None
            )
            db.session.add(asset)
        asset.data = data
        asset.size = len(data)
        asset.sha256 = digest
        asset.content_type = CONTENT_TYPES[path.suffix.lower()]
        result.changed.append(f"image {path.name}")


def import_package(package: CoursePackage, actor: User | None = None) -> ImportResult:
    """Create or update the course described by a package that validated cleanly."""
    data = package.metadata
    course = db.session.scalar(sa.select(Course).where(Course.slug == package.slug))
    created = course is None
    if course is None:
        course = Course(slug=package.slug, title=data["title"], is_listed=True)
        db.session.add(course)
    result = ImportResult(course=course, created=created)
    _set(
        course,
        result,
        "course",
        title=data["title"],
        title_zh=data.get("title_zh", ""),
        summary=data.get("summary", ""),
        summary_zh=data.get("summary_zh", ""),
        level=CourseLevel(data.get("level", "introductory")),
        tags=list(data.get("tags", [])),
        tags_zh=list(data.get("tags_zh", [])),
        is_open=data.get("is_open", True),
        allow_self_approval=data.get("allow_self_approval", False),
    )
    _import_partners(course, package, result)
    db.session.flush()
    _import_assets(course, package, actor, result)
    _import_modules(course, package, actor, result)
    db.session.flush()
    for extension in package_extensions():
        extension.import_into(course, package, actor)
    logger.info("imported course %s (%s)", course.slug, "new" if result.created else "update")
    return result


def _import_modules(
    course: Course, package: CoursePackage, actor: User | None, result: ImportResult
) -> None:
    """Modules and lessons in the package's order; lessons it no longer has are kept."""
    modules = {module.slug: module for module in course.modules}
    lessons = {lesson.slug: lesson for lesson in course.lessons}
    position = 0
    seen_lessons: set[str] = set()
    for module_number, module_spec in enumerate(package.modules):
        module = _import_module(course, module_spec, module_number, modules, result)
        for lesson_spec in module_spec.lessons:
            lesson = lessons.get(lesson_spec.slug)
            if lesson is None:
                lesson = Lesson(course=course, module=module, slug=lesson_spec.slug)
                db.session.add(lesson)
                lessons[lesson.slug] = lesson
                if not result.created:
                    result.changed.append(f"lesson {lesson.slug} added")
            seen_lessons.add(lesson.slug)
            _import_lesson(lesson, module, lesson_spec, position, actor, result)
            position += 1
    result.kept = sorted(set(lessons) - seen_lessons)


def _import_module(
    course: Course,
    module_spec: ModuleSpec,
    number: int,
    modules: dict[str, Module],
    result: ImportResult,
) -> Module:
    front = module_spec.source.data
    module = modules.get(module_spec.slug)
    if module is None:
        module = Module(course=course, slug=module_spec.slug, title=front["title"])
        db.session.add(module)
        modules[module.slug] = module
        if not result.created:
            result.changed.append(f"module {module.slug} added")
    _set(
        module,
        result,
        f"module {module_spec.slug}",
        position=number,
        title=front["title"],
        title_zh=front.get("title_zh", ""),
        summary=front.get("summary", ""),
        summary_zh=front.get("summary_zh", ""),
        is_required=front.get("required", True),
        release_date=_date(front.get("release_date")),
        prerequisite=front.get("prerequisite"),
    )
    return module


def _import_lesson(
    lesson: Lesson,
    module: Module,
    lesson_spec: LessonSpec,
    position: int,
    actor: User | None,
    result: ImportResult,
) -> None:
    """The lesson's place and settings, and a new published revision if its text changed."""
    front = lesson_spec.front_matter
    _set(
        lesson,
        result,
        f"lesson {lesson_spec.slug}",
        module=module,
        position=position,
        kind=LessonKind(lesson_spec.kind),
        duration_minutes=front.get("duration_minutes", 10),
        is_required=front.get("required", True),
        release_date=_date(front.get("release_date")),
        prerequisite=front.get("prerequisite"),
        settings=lesson_settings(lesson_spec),
    )
    db.session.flush()
    credits = [
        {"name": author["name"], "organisation": author.get("organisation", "")}
        for author in front.get("authors", [])
    ]
    revision = publish_content(
        lesson,
        title=front["title"],
        title_zh=front.get("title_zh", ""),
        body=lesson_spec.body,
        body_zh=lesson_spec.body_zh,
        credits=credits,
        author=actor,
        message=IMPORT_MESSAGE,
    )
    if revision is not None and not result.created:
        result.changed.append(f"lesson {lesson.slug}: new revision {revision.number}")
