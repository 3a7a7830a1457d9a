"""Standard files (``standards/<code>/standard.toml``): read and check, every problem at once.

``read_standard`` returns the parsed standard and a list of problems, each an English
line that names the key (and the unit or level) at fault, so an association can fix a
file in one pass. The checks: required texts in English and Chinese, at least one level
and one unit, unique codes, weights that are whole numbers and add up to 100 for every
level, known evidence kinds, lesson references shaped ``course/lesson``, question files
that exist, and rubric marks that rise.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9.-]{0,15}$")
LESSON_REFERENCE = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")
EVIDENCE_KINDS = ("knowledge", "practical", "portfolio")
STANDARD_FILE = "standard.toml"


@dataclass
class StandardFile:
    """A read standard: its data, where its question files live, and what is wrong."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    digest: str = ""
    courses_root: Path | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def question_paths(self, unit: dict[str, Any]) -> list[Path]:
        root = self.courses_root or self.path.parent.parent.parent / "courses"
        return [root / name for name in unit.get("questions", [])]


def _text(data: dict[str, Any], key: str, where: str, problems: list[str], required: bool = True):
    value = data.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: {key} is missing")
        return
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: {key} must be a non-empty text")


def _check_levels(levels: Any, problems: list[str]) -> list[str]:
    if not isinstance(levels, list) or not levels:
        problems.append("at least one [[levels]] entry is required")
        return []
    codes: list[str] = []
    for number, level in enumerate(levels, start=1):
        where = f"level {number}"
        if not isinstance(level, dict):
            problems.append(f"{where}: must be a table")
            continue
        code = level.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(f"{where}: code must be lower-case words joined by hyphens")
        elif code in codes:
            problems.append(f"{where}: code {code!r} is used twice")
        else:
            codes.append(code)
        for key in ("name", "name_zh"):
            _text(level, key, where, problems)
        for key in ("pass_percent", "unit_pass_percent"):
            value = level.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                problems.append(f"{where}: {key} must be a whole number from 0 to 100")
    return codes


def _check_rubric(rubric: Any, where: str, problems: list[str]) -> None:
    if not isinstance(rubric, list):
        problems.append(f"{where}: rubric must be a list")
        return
    previous = -1
    for row in rubric:
        marks = row.get("marks") if isinstance(row, dict) else None
        if isinstance(marks, bool) or not isinstance(marks, int) or marks <= previous:
            problems.append(f"{where}: rubric marks must be whole numbers that rise")
            return
        previous = marks
        if not row.get("descriptor") or not row.get("descriptor_zh"):
            problems.append(f"{where}: every rubric row needs descriptor and descriptor_zh")
            return


def _check_unit(
    unit: Any, where: str, levels: list[str], standard: StandardFile, problems: list[str]
) -> None:
    for key in ("title", "title_zh"):
        _text(unit, key, where, problems)
    for key in ("description", "description_zh"):
        _text(unit, key, where, problems, required=False)
    weights = unit.get("weights")
    if not isinstance(weights, dict):
        problems.append(f"{where}: weights must be a table of level = percent")
    else:
        for level, weight in weights.items():
            if level not in levels:
                problems.append(f"{where}: weights name unknown level {level!r}")
            elif isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
                problems.append(f"{where}: the weight for {level} must be a whole number >= 0")
    evidence = unit.get("evidence", [])
    if (
        not isinstance(evidence, list)
        or not evidence
        or any(kind not in EVIDENCE_KINDS for kind in evidence)
    ):
        problems.append(f"{where}: evidence must list some of {', '.join(EVIDENCE_KINDS)}")
    lessons = unit.get("lessons", [])
    if not isinstance(lessons, list) or any(
        not isinstance(ref, str) or not LESSON_REFERENCE.match(ref) for ref in lessons
    ):
        problems.append(f"{where}: lessons must be texts shaped course-slug/lesson-slug")
    questions = unit.get("questions", [])
    if not isinstance(questions, list) or any(not isinstance(name, str) for name in questions):
        problems.append(f"{where}: questions must be a list of question file paths")
    else:
        for path in standard.question_paths(unit):
            if not path.is_file():
                problems.append(f"{where}: question file {path.name} not found")
    if "rubric" in unit:
        _check_rubric(unit["rubric"], where, problems)


def _check_units(units: Any, levels: list[str], standard: StandardFile, problems: list[str]):
    if not isinstance(units, list) or not units:
        problems.append("at least one [[units]] entry is required")
        return
    codes: set[str] = set()
    totals = dict.fromkeys(levels, 0)
    for number, unit in enumerate(units, start=1):
        where = f"unit {number}"
        if not isinstance(unit, dict):
            problems.append(f"{where}: must be a table")
            continue
        code = unit.get("code")
        if not isinstance(code, str) or not UNIT_CODE.match(code):
            problems.append(f"{where}: code must be upper-case letters and digits, like U1")
        elif code in codes:
            problems.append(f"{where}: code {code!r} is used twice")
        else:
            codes.add(code)
            where = f"unit {code}"
        _check_unit(unit, where, levels, standard, problems)
        for level, weight in (unit.get("weights") or {}).items():
            if level in totals and isinstance(weight, int):
                totals[level] += weight
    for level, total in totals.items():
        if total != 100:
            problems.append(f"the weights of level {level} add up to {total}, not 100")


def read_standard(path: Path | str, courses_root: Path | str | None = None) -> StandardFile:
    """Read and check a standard folder (or its ``standard.toml``).

    Args:
        path: The standard's folder or file.
        courses_root: Where the units' question files live (default: ``courses/`` beside
            the ``standards/`` folder).

    Returns:
        The standard with ``problems`` empty when it can be imported.
    """
    path = Path(path)
    if path.is_dir():
        path = path / STANDARD_FILE
    standard = StandardFile(path=path, courses_root=Path(courses_root) if courses_root else None)
    try:
        raw = path.read_bytes()
    except OSError:
        standard.problems.append(f"{path.name}: file not found")
        return standard
    standard.digest = hashlib.sha256(raw).hexdigest()
    try:
        standard.data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        standard.problems.append(f"{path.name}: not valid TOML ({error})")
        return standard
    data = standard.data
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        standard.problems.append("code must be lower-case words joined by hyphens")
    elif code != path.parent.name:
        standard.problems.append(f"code {code!r} must equal the folder name {path.parent.name!r}")
    for key in ("title", "title_zh"):
        _text(data, key, "standard", standard.problems)
    levels = _check_levels(data.get("levels"), standard.problems)
    _check_units(data.get("units"), levels, standard, standard.problems)
    return standard
