"""Write a course back out as a package that re-imports to the same course."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from academy.catalog.models import Course, CourseAsset, Lesson, Module
from academy.catalog.packages.extensions import package_extensions
from academy.catalog.packages.toml_writer import dumps
from academy.db import db
from academy.errors import OperationError


def _course_toml(course: Course) -> str:
    data: dict[str, Any] = {
        "slug": course.slug,
        "title": course.title,
        "title_zh": course.title_zh,
        "summary": course.summary,
        "summary_zh": course.summary_zh,
        "level": course.level.value,
        "tags": list(course.tags),
        "tags_zh": list(course.tags_zh),
        "is_open": course.is_open,
        "allow_self_approval": course.allow_self_approval,
        "partners": [
            {
                "slug": partner.organisation.slug,
                "name": partner.organisation.name,
                "kind": partner.organisation.kind.value,
                "role": partner.role.value,
                "contribution": partner.contribution or None,
                "contribution_zh": partner.contribution_zh or None,
            }
            for partner in course.partners
        ],
    }
    return dumps(data, array_tables=("partners",))


def _module_toml(module: Module) -> str:
    return dumps(
        {
            "title": module.title,
            "title_zh": module.title_zh or None,
            "summary": module.summary or None,
            "summary_zh": module.summary_zh or None,
            "required": module.is_required,
            "release_date": module.release_date,
            "prerequisite": module.prerequisite,
        }
    )


def _parse_setting(value: Any) -> Any:
    """Settings are stored as JSON; give dates and times back their TOML types."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return [_parse_setting(item) for item in value]
    if isinstance(value, dict):
        return {key: _parse_setting(item) for key, item in value.items()}
    return value


def _lesson_file(lesson: Lesson) -> tuple[str, str]:
    revision = lesson.published_revision
    assert revision is not None
    front: dict[str, Any] = {
        "title": revision.title,
        "title_zh": revision.title_zh or None,
        "kind": lesson.kind.value,
        "duration_minutes": lesson.duration_minutes,
        "required": lesson.is_required,
        "release_date": lesson.release_date,
        "prerequisite": lesson.prerequisite,
    }
    settings = {key: _parse_setting(value) for key, value in lesson.settings.items()}
    for extension in package_extensions():
        if lesson.kind.value in extension.lesson_kinds:
            # The lesson's settings are what its package said; the owning domain may have
            # newer values for those keys, but keys the author left out stay out, so that
            # an export re-imports without a change.
            for key, value in extension.lesson_front_matter(lesson).items():
                if key in settings:
                    settings[key] = value
    front.update(settings)
    if revision.credits:
        front["authors"] = [
            {key: value for key, value in credit.items() if value} for credit in revision.credits
        ]
    text = "+++\n" + dumps(front) + "+++\n\n" + revision.body.rstrip("\n") + "\n"
    return text, (revision.body_zh.rstrip("\n") + "\n") if revision.body_zh.strip() else ""


def export_course(course: Course, destination: Path | str) -> Path:
    """Write ``course`` as ``destination/<slug>/``; returns that folder.

    Only published content is exported: drafts and proposals stay on the platform.
    """
    root = Path(destination) / course.slug
    if root.exists():
        if not (root / "course.toml").exists():
            raise OperationError(
                f"{root} exists and is not a course package; refusing to overwrite it",
                code="not_a_package_folder",
            )
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "course.toml").write_text(_course_toml(course), encoding="utf-8")
    lessons_by_module: dict[int, list[Lesson]] = {}
    for lesson in course.lessons:
        if lesson.published_revision is not None:
            lessons_by_module.setdefault(lesson.module_id, []).append(lesson)
    for module_number, module in enumerate(course.modules, start=1):
        lessons = sorted(lessons_by_module.get(module.id, []), key=lambda lesson: lesson.position)
        if not lessons:
            continue
        folder = root / f"{module_number:02d}-{module.slug}"
        folder.mkdir()
        (folder / "module.toml").write_text(_module_toml(module), encoding="utf-8")
        for lesson_number, lesson in enumerate(lessons, start=1):
            body, body_zh = _lesson_file(lesson)
            stem = f"{lesson_number:02d}-{lesson.slug}"
            (folder / f"{stem}.md").write_text(body, encoding="utf-8")
            if body_zh:
                (folder / f"{stem}.zh.md").write_text(body_zh, encoding="utf-8")
    assets = list(
        db.session.scalars(sa.select(CourseAsset).where(CourseAsset.course_id == course.id))
    )
    if assets:
        (root / "images").mkdir()
        for asset in assets:
            (root / "images" / asset.filename).write_bytes(asset.data)
    for extension in package_extensions():
        extension.export_from(course, root)
    return root
