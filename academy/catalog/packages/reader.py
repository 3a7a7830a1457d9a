"""Read a course package folder, reporting every problem with its file and line."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from academy.catalog.models import CourseLevel, LessonKind, PartnerRole
from academy.catalog.packages.assignments import check_assignment_grading
from academy.catalog.packages.extensions import package_extensions
from academy.catalog.packages.model import (
    CoursePackage,
    LessonSpec,
    ModuleSpec,
    PartnerSpec,
    Problem,
    Source,
)

NUMBERED_NAME = re.compile(r"^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREREQUISITE = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")
TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
FRONT_MATTER_FENCE = "+++"

IMAGE_TYPES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".gif": b"GIF8", ".webp": b"RIFF"}  # fmt: skip
MAX_IMAGE_BYTES = 2 * 1024 * 1024
ORGANISATION_KINDS = ("school", "enterprise", "association")

COURSE_KEYS = {"slug", "title", "title_zh", "summary", "summary_zh", "level", "tags", "tags_zh", "is_open", "allow_self_approval", "partners"}  # fmt: skip
PARTNER_KEYS = {"slug", "name", "kind", "role", "contribution", "contribution_zh"}
MODULE_KEYS = {"title", "title_zh", "summary", "summary_zh", "required", "release_date", "prerequisite"}  # fmt: skip
LESSON_KEYS = {"title", "title_zh", "kind", "duration_minutes", "required", "release_date", "prerequisite", "authors"}  # fmt: skip
#: Front-matter keys each kind of lesson may add; their values are checked by the domain
#: that owns the kind (a package extension), except assignments, checked here.
KIND_KEYS: dict[str, set[str]] = {
    LessonKind.READING: set(),
    LessonKind.QUIZ: {
        "questions", "draw", "pass_mark", "time_limit_minutes", "attempts", "grade_kept",
        "shuffle_questions", "shuffle_options", "review", "open_date", "close_date",
    },
    LessonKind.LAB: {"scenario", "seed", "check", "bots"},
    LessonKind.ASSIGNMENT: {"submission", "max_points", "pass_mark", "rubric"},
}  # fmt: skip


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path, line: int, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root.parent))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, line, message))


def _key_lines(text: str, offset: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), start=offset):
        stripped = line.strip()
        if stripped.startswith("["):
            name = stripped.strip("[]").strip()
            lines.setdefault(name, number)
            in_table = True
            continue
        match = re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped)
        if match and not in_table:
            lines.setdefault(match.group(1), number)
    return lines


def _parse_toml(text: str, path: Path, collect: _Collector, offset: int = 1) -> Source | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = TOML_ERROR_LINE.search(str(error))
        line = int(match.group(1)) + offset - 1 if match else offset
        message = TOML_ERROR_LINE.sub("", str(error)).strip()
        collect.add(path, line, f"not valid TOML: {message}")
        return None
    return Source(path=path, data=data, key_lines=_key_lines(text, offset), first_line=offset)


def _read_text(path: Path, collect: _Collector) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        collect.add(path, 0, "not UTF-8 text")
    except OSError as error:
        collect.add(path, 0, f"cannot be read: {error.strerror}")
    return None


def _check_keys(source: Source, allowed: set[str], collect: _Collector, what: str) -> None:
    for key in sorted(set(source.data) - allowed):
        collect.add(source.path, source.line_of(key), f"unknown key {key!r} in {what}")


def _check_type(
    source: Source, key: str, expected: type | tuple[type, ...], collect: _Collector, label: str
) -> bool:
    value = source.data.get(key)
    if value is None:
        return True
    # bool is an int in Python, but not in a package.
    if isinstance(value, bool) and bool not in (
        expected if isinstance(expected, tuple) else (expected,)
    ):
        ok = False
    else:
        ok = isinstance(value, expected)
    if not ok:
        collect.add(source.path, source.line_of(key), f"{key!r} must be {label}")
    return ok


def _check_texts(
    source: Source, keys: list[str], collect: _Collector, required: tuple[str, ...] = ()
) -> None:
    for key in keys:
        if key in required and not str(source.data.get(key, "")).strip():
            collect.add(source.path, source.line_of(key), f"{key!r} is required")
        else:
            _check_type(source, key, str, collect, "text")


def _read_course(root: Path, collect: _Collector) -> tuple[Source | None, list[PartnerSpec]]:
    path = root / "course.toml"
    if not path.is_file():
        collect.add(path, 0, "missing: every package needs a course.toml")
        return None, []
    text = _read_text(path, collect)
    source = _parse_toml(text, path, collect) if text is not None else None
    if source is None:
        return None, []
    data = source.data
    _check_keys(source, COURSE_KEYS, collect, "course.toml")
    _check_texts(
        source, ["slug", "title", "title_zh", "summary", "summary_zh"], collect, ("slug", "title")
    )
    slug = data.get("slug")
    if isinstance(slug, str) and slug != root.name:
        collect.add(
            path, source.line_of("slug"), f"slug {slug!r} must equal the folder name {root.name!r}"
        )
    if "level" in data and data["level"] not in {level.value for level in CourseLevel}:
        collect.add(
            path, source.line_of("level"), "level must be introductory, intermediate or advanced"
        )
    if _check_type(source, "tags", list, collect, "a list of texts") and not all(
        isinstance(tag, str) for tag in data.get("tags", [])
    ):
        collect.add(path, source.line_of("tags"), "'tags' must be a list of texts")
    tags_zh = data.get("tags_zh", [])
    if not isinstance(tags_zh, list) or not all(isinstance(tag, str) for tag in tags_zh):
        collect.add(path, source.line_of("tags_zh"), "'tags_zh' must be a list of texts")
    elif len(tags_zh) > len(data.get("tags") or []):
        collect.add(path, source.line_of("tags_zh"), "'tags_zh' names more tags than 'tags' lists")
    _check_type(source, "is_open", bool, collect, "true or false")
    _check_type(source, "allow_self_approval", bool, collect, "true or false")

    partners: list[PartnerSpec] = []
    raw_partners = data.get("partners", [])
    line = source.line_of("partners")
    if not isinstance(raw_partners, list) or not raw_partners:
        collect.add(path, line, "at least one [[partners]] entry is required")
        return source, []
    for number, raw in enumerate(raw_partners, start=1):
        where = f"partner {number}"
        if not isinstance(raw, dict):
            collect.add(path, line, f"{where} must be a table")
            continue
        for key in sorted(set(raw) - PARTNER_KEYS):
            collect.add(path, line, f"unknown key {key!r} in {where}")
        problems_before = len(collect.problems)
        if not isinstance(raw.get("slug"), str) or not SLUG.match(raw.get("slug", "")):
            collect.add(
                path, line, f"{where}: 'slug' must be lowercase letters, digits and hyphens"
            )
        if not isinstance(raw.get("name"), str) or not raw.get("name", "").strip():
            collect.add(path, line, f"{where}: 'name' is required")
        if raw.get("kind") not in ORGANISATION_KINDS:
            collect.add(path, line, f"{where}: 'kind' must be school, enterprise or association")
        if raw.get("role", "partner") not in {role.value for role in PartnerRole}:
            collect.add(path, line, f"{where}: 'role' must be lead or partner")
        for key in ("contribution", "contribution_zh"):
            if not isinstance(raw.get(key, ""), str):
                collect.add(path, line, f"{where}: {key!r} must be text")
        if len(collect.problems) == problems_before:
            partners.append(PartnerSpec(**{key: raw[key] for key in raw if key in PARTNER_KEYS}))
    if partners and not any(partner.kind == "school" for partner in partners):
        collect.add(path, line, "a course is co-developed with at least one school partner")
    if len({partner.slug for partner in partners}) != len(partners):
        collect.add(path, line, "a partner is listed twice")
    if sum(partner.role == "lead" for partner in partners) > 1:
        collect.add(path, line, "only one partner can be the lead")
    return source, partners


def _check_common(source: Source, collect: _Collector) -> None:
    _check_type(source, "required", bool, collect, "true or false")
    _check_type(source, "release_date", dt.date, collect, "a date such as 2026-09-01")
    if isinstance(source.data.get("release_date"), dt.datetime):
        collect.add(
            source.path,
            source.line_of("release_date"),
            "'release_date' must be a date without a time",
        )
    prerequisite = source.data.get("prerequisite")
    if prerequisite is not None and (
        not isinstance(prerequisite, str) or not PREREQUISITE.match(prerequisite)
    ):
        collect.add(
            source.path,
            source.line_of("prerequisite"),
            "'prerequisite' must look like module-slug/lesson-slug",
        )


def _split_front_matter(
    text: str, path: Path, collect: _Collector
) -> tuple[Source | None, str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        collect.add(path, 1, "a lesson must start with front matter between two +++ lines")
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            front = "".join(lines[1:index])
            rest = lines[index + 1 :]
            skipped = 0
            while skipped < len(rest) and not rest[skipped].strip():
                skipped += 1
            body = "".join(rest[skipped:]).rstrip("\n") + "\n"
            return _parse_toml(front, path, collect, offset=2), body, index + 2 + skipped
    collect.add(path, 1, "the front matter has no closing +++ line")
    return None, text, 1


def _read_lesson(path: Path, position: int, slug: str, collect: _Collector) -> LessonSpec | None:
    text = _read_text(path, collect)
    if text is None:
        return None
    source, body, body_line = _split_front_matter(text, path, collect)
    if source is None:
        return None
    data = source.data
    kind = data.get("kind", "reading")
    if kind not in KIND_KEYS:
        collect.add(
            path,
            source.line_of("kind"),
            f"unknown lesson kind {kind!r}: use reading, quiz, lab or assignment",
        )
        kind_keys: set[str] = set()
    else:
        kind_keys = KIND_KEYS[kind]
    _check_keys(source, LESSON_KEYS | kind_keys, collect, f"the front matter of a {kind} lesson")
    _check_texts(source, ["title", "title_zh"], collect, ("title",))
    _check_common(source, collect)
    duration_ok = _check_type(source, "duration_minutes", int, collect, "a whole number of minutes")
    if duration_ok and data.get("duration_minutes", 1) <= 0:
        collect.add(path, source.line_of("duration_minutes"), "'duration_minutes' must be positive")
    authors = data.get("authors", [])
    if not isinstance(authors, list) or not all(
        isinstance(author, dict)
        and isinstance(author.get("name"), str)
        and author.get("name", "").strip()
        for author in authors
    ):
        collect.add(
            path,
            source.line_of("authors"),
            "'authors' must be a list of { name = ..., organisation = ... }",
        )
    if kind == LessonKind.ASSIGNMENT:
        if data.get("submission", "text") not in ("text", "file"):
            collect.add(path, source.line_of("submission"), "'submission' must be text or file")
        if (
            _check_type(source, "max_points", (int, float), collect, "a number")
            and data.get("max_points", 1) <= 0
        ):
            collect.add(path, source.line_of("max_points"), "'max_points' must be positive")
        check_assignment_grading(source, data, path, collect)
    if not body.strip():
        collect.add(path, source.first_line, "the lesson has no body")
    body_zh = ""
    zh_path = path.with_name(path.stem + ".zh.md")
    if zh_path.exists():
        body_zh = (_read_text(zh_path, collect) or "").strip("\n")
        body_zh = body_zh + "\n" if body_zh else ""
    return LessonSpec(
        slug=slug,
        position=position,
        source=source,
        body=body,
        body_zh=body_zh,
        body_line=body_line,
    )


def _read_module(folder: Path, position: int, slug: str, collect: _Collector) -> ModuleSpec | None:
    path = folder / "module.toml"
    if not path.is_file():
        collect.add(path, 0, "missing: every module folder needs a module.toml")
        return None
    text = _read_text(path, collect)
    source = _parse_toml(text, path, collect) if text is not None else None
    if source is None:
        return None
    _check_keys(source, MODULE_KEYS, collect, "module.toml")
    _check_texts(source, ["title", "title_zh", "summary", "summary_zh"], collect, ("title",))
    _check_common(source, collect)
    module = ModuleSpec(slug=slug, position=position, folder=folder, source=source)
    for entry in sorted(folder.iterdir()):
        if entry.name == "module.toml" or entry.name.endswith(".zh.md"):
            if (
                entry.name.endswith(".zh.md")
                and not entry.with_name(entry.name[: -len(".zh.md")] + ".md").exists()
            ):
                collect.add(entry, 0, "a Chinese body without its lesson file")
            continue
        match = NUMBERED_NAME.match(entry.stem) if entry.suffix == ".md" else None
        if not entry.is_file() or match is None:
            collect.add(entry, 0, "unexpected file: lessons are named NN-slug.md")
            continue
        lesson = _read_lesson(entry, int(match.group(1)), match.group(2), collect)
        if lesson is not None:
            module.lessons.append(lesson)
    return module


def _check_images(package: CoursePackage, collect: _Collector) -> None:
    for _module, lesson in package.lessons():
        zh_path = lesson.source.path.with_name(lesson.source.path.stem + ".zh.md")
        for body, path, first_line in (
            (lesson.body, lesson.source.path, lesson.body_line),
            (lesson.body_zh, zh_path, 1),
        ):
            for number, line in enumerate(body.splitlines(), start=first_line):
                for target in IMAGE_REFERENCE.findall(line):
                    _check_image(package.root, target, path, number, collect)


def _check_image(root: Path, target: str, source: Path, line: int, collect: _Collector) -> None:
    path = (root / target).resolve()
    if not target.startswith("images/") or root.resolve() not in path.parents:
        collect.add(source, line, f"image {target!r} must be a file in the course's images/ folder")
        return
    if not path.is_file():
        collect.add(source, line, f"image {target!r} does not exist")
        return
    signature = IMAGE_TYPES.get(path.suffix.lower())
    if signature is None:
        collect.add(path, 0, "pictures must be PNG, JPEG, GIF or WebP")
    elif path.stat().st_size > MAX_IMAGE_BYTES:
        collect.add(path, 0, "pictures must be at most 2 MB")
    elif path.read_bytes()[: len(signature)] != signature:
        collect.add(path, 0, f"the file is not really a {path.suffix[1:].upper()} picture")


def _check_references(package: CoursePackage, collect: _Collector) -> None:
    lesson_paths = {f"{module.slug}/{lesson.slug}" for module, lesson in package.lessons()}
    partner_slugs = {partner.slug for partner in package.partners}
    seen: dict[str, Path] = {}
    for _module, lesson in package.lessons():
        if lesson.slug in seen:
            collect.add(
                lesson.source.path,
                0,
                f"lesson slug {lesson.slug!r} is also used by {seen[lesson.slug].name}",
            )
        seen[lesson.slug] = lesson.source.path
        prerequisite = lesson.front_matter.get("prerequisite")
        if isinstance(prerequisite, str) and prerequisite not in lesson_paths:
            collect.add(
                lesson.source.path,
                lesson.source.line_of("prerequisite"),
                f"prerequisite {prerequisite!r} is not a lesson of this course",
            )
        for author in lesson.front_matter.get("authors", []) or []:
            organisation = author.get("organisation") if isinstance(author, dict) else None
            if organisation is not None and organisation not in partner_slugs:
                collect.add(
                    lesson.source.path,
                    lesson.source.line_of("authors"),
                    f"author organisation {organisation!r} is not a partner of the course",
                )
    for module in package.modules:
        prerequisite = module.source.data.get("prerequisite")
        if isinstance(prerequisite, str) and prerequisite not in lesson_paths:
            collect.add(
                module.source.path,
                module.source.line_of("prerequisite"),
                f"prerequisite {prerequisite!r} is not a lesson of this course",
            )
        if not module.lessons:
            collect.add(module.folder, 0, "a module needs at least one lesson")


def symbolic_links(root: Path) -> list[Path]:
    """Every symbolic link inside ``root`` (never followed), sorted."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        found += [
            Path(folder) / name for name in dirs + files if (Path(folder) / name).is_symlink()
        ]
    return sorted(found)


def read_package(root: Path | str) -> tuple[CoursePackage | None, list[Problem]]:
    """Parse and validate the package in ``root``.

    Returns the package (``None`` if it could not be read at all) and every problem
    found, sorted by file and line. A package with problems must not be imported.
    """
    root = Path(root)
    collect = _Collector(root)
    if not root.is_dir():
        collect.add(root, 0, "not a folder")
        return None, collect.problems
    links = symbolic_links(root)
    for link in links:
        collect.add(
            link, 0, "symbolic links are not allowed in a package (they can point outside it)"
        )
    if links:
        return None, sorted(collect.problems)
    course_source, partners = _read_course(root, collect)
    modules: list[ModuleSpec] = []
    module_slugs: set[str] = set()
    for entry in sorted(root.iterdir()):
        if (
            entry.name in {"course.toml", "images", "questions"}
            or entry.name.startswith(".")
            or entry.name.lower() == "readme.md"
        ):
            continue
        match = NUMBERED_NAME.match(entry.name)
        if not entry.is_dir() or match is None:
            collect.add(entry, 0, "unexpected file or folder: modules are folders named NN-slug")
            continue
        if match.group(2) in module_slugs:
            collect.add(entry, 0, f"module slug {match.group(2)!r} is used twice")
        module_slugs.add(match.group(2))
        module = _read_module(entry, int(match.group(1)), match.group(2), collect)
        if module is not None:
            modules.append(module)
    if course_source is None:
        return None, sorted(collect.problems)
    package = CoursePackage(root=root, source=course_source, partners=partners, modules=modules)
    if not modules:
        collect.add(root, 0, "a course needs at least one module folder")
    _check_references(package, collect)
    _check_images(package, collect)
    for extension in package_extensions():
        collect.problems.extend(extension.validate(package))
    return package, sorted(set(collect.problems))


def lesson_settings(lesson: LessonSpec) -> dict[str, Any]:
    """The kind-specific keys of a lesson's front matter, as stored on the lesson."""
    keys = KIND_KEYS.get(lesson.kind, set())
    return {key: _jsonable(value) for key, value in lesson.front_matter.items() if key in keys}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value
