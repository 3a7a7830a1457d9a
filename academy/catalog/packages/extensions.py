"""Extension points of course packages, for domains that own part of a package.

The catalog reads course.toml, modules and lessons. Other domains register an extension
for what they own: the assessment domain imports ``questions/`` and the settings of quiz
lessons, the labs domain checks lab settings. Each method is called inside the import's
unit of work, after the catalog has done its own part.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from academy.auth.models import User
    from academy.catalog.models import Course, Lesson
    from academy.catalog.packages.model import CoursePackage, Problem


class PackageExtension(Protocol):
    #: Lesson kinds whose extra front-matter keys this extension validates and exports.
    lesson_kinds: frozenset[str]

    def validate(self, package: CoursePackage) -> list[Problem]:
        """Every problem in the parts of ``package`` this extension owns."""
        ...

    def import_into(self, course: Course, package: CoursePackage, actor: User | None) -> None:
        """Create or update what this extension owns; unchanged input changes nothing."""
        ...

    def export_from(self, course: Course, destination: Path) -> None:
        """Write this extension's files into the package folder ``destination``."""
        ...

    def lesson_front_matter(self, lesson: Lesson) -> dict[str, Any]:
        """Front-matter keys for ``lesson`` (of one of ``lesson_kinds``) on export."""
        ...


_EXTENSIONS: list[PackageExtension] = []


def register_package_extension(extension: PackageExtension) -> None:
    if any(type(existing) is type(extension) for existing in _EXTENSIONS):
        return
    _EXTENSIONS.append(extension)


def package_extensions() -> list[PackageExtension]:
    return list(_EXTENSIONS)


# --- the lesson page panel -------------------------------------------------------------

LessonPanel = Any  # Callable[[Lesson, User], Markup | None]
_PANELS: dict[str, LessonPanel] = {}


def register_lesson_panel(kind: str, panel: LessonPanel) -> None:
    """Show ``panel(lesson, user)`` on the page of every lesson of ``kind``."""
    _PANELS[kind] = panel


def lesson_panel_for(kind: str) -> LessonPanel | None:
    return _PANELS.get(kind)
