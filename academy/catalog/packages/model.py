"""The parsed form of a course package (see courses/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a package: where, and what."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class Source:
    """A parsed TOML document and the line on which each of its top-level keys stands."""

    path: Path
    data: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.first_line)


@dataclass
class PartnerSpec:
    slug: str
    name: str
    kind: str
    role: str = "partner"
    contribution: str = ""
    contribution_zh: str = ""


@dataclass
class LessonSpec:
    slug: str
    position: int
    source: Source  # the front matter
    body: str
    body_zh: str = ""
    body_line: int = 1  # the line of the lesson file on which the body starts

    @property
    def front_matter(self) -> dict[str, Any]:
        return self.source.data

    @property
    def kind(self) -> str:
        return self.front_matter.get("kind", "reading")


@dataclass
class ModuleSpec:
    slug: str
    position: int
    folder: Path
    source: Source
    lessons: list[LessonSpec] = field(default_factory=list)


@dataclass
class CoursePackage:
    root: Path
    source: Source  # course.toml
    partners: list[PartnerSpec] = field(default_factory=list)
    modules: list[ModuleSpec] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.source.data["slug"]

    @property
    def metadata(self) -> dict[str, Any]:
        return self.source.data

    def lessons(self) -> list[tuple[ModuleSpec, LessonSpec]]:
        return [(module, lesson) for module in self.modules for lesson in module.lessons]

    def relative(self, path: Path) -> str:
        """``path`` as shown in problems: relative to the folder holding the package."""
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)
