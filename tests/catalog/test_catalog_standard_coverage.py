"""The shipped talent standard is served by the shipped courses (issue 18, part 4).

Every unit of ``standards/cross-border-b2b-export-operations`` needs a lesson that teaches
it and an assessment for each kind of evidence it asks for: automatically marked
questions for ``knowledge``, a lab for ``practical``, an assignment or an essay question
for ``portfolio``. The other way round, every lesson, quiz and lab of the shipped courses
and every question file names at least one unit, so the course page can show what each
serves. A unit left uncovered, or a new lesson nobody mapped, fails here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from academy.assessment.questions import question_type
from academy.certification.standards.file import read_standard

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
STANDARD = ROOT / "standards" / "cross-border-b2b-export-operations"


def shipped_lessons(courses: Path = COURSES) -> dict[str, str]:
    """``course/lesson`` -> lesson kind, for every lesson of the shipped courses."""
    found = {}
    for path in sorted(courses.glob("*/[0-9]*/[0-9]*.md")):
        if path.name.endswith(".zh.md"):
            continue
        front = tomllib.loads(path.read_text(encoding="utf-8").split("+++", 2)[1])
        slug = re.sub(r"^\d+-", "", path.stem)
        found[f"{path.parts[-3]}/{slug}"] = front.get("kind", "reading")
    return found


def question_types(path: Path) -> list[str]:
    return [q["type"] for q in tomllib.loads(path.read_text(encoding="utf-8"))["questions"]]


def coverage_gaps(unit: dict, lessons: dict[str, str], courses: Path = COURSES) -> list[str]:
    """What ``unit`` lacks: a missing lesson, a teaching lesson, an assessment per evidence."""
    code = unit["code"]
    gaps = [f"{code}: no lesson {ref}" for ref in unit.get("lessons", []) if ref not in lessons]
    kinds = {lessons[ref] for ref in unit.get("lessons", []) if ref in lessons}
    types = [kind for name in unit.get("questions", []) for kind in question_types(courses / name)]
    if "reading" not in kinds:
        gaps.append(f"{code}: no lesson teaches it")
    evidence = set(unit.get("evidence", []))
    if "knowledge" in evidence and all(question_type(kind).is_manual for kind in types):
        gaps.append(f"{code}: knowledge evidence but no automatically marked question")
    if "practical" in evidence and "lab" not in kinds:
        gaps.append(f"{code}: practical evidence but no lab")
    if "portfolio" in evidence and "assignment" not in kinds and "essay" not in types:
        gaps.append(f"{code}: portfolio evidence but no assignment or essay")
    return gaps


def test_the_shipped_standard_reads_without_problems():
    assert read_standard(STANDARD).problems == []


UNITS = tomllib.loads((STANDARD / "standard.toml").read_text(encoding="utf-8"))["units"]


@pytest.mark.parametrize("unit", UNITS, ids=[unit["code"] for unit in UNITS])
def test_every_unit_has_a_lesson_and_an_assessment(unit):
    assert coverage_gaps(unit, shipped_lessons()) == []


def test_every_lesson_quiz_and_lab_serves_a_unit():
    served = {ref for unit in UNITS for ref in unit.get("lessons", [])}
    assert sorted(set(shipped_lessons()) - served) == []


def test_every_question_file_serves_a_unit():
    served = {name for unit in UNITS for name in unit.get("questions", [])}
    files = {str(path.relative_to(COURSES)) for path in COURSES.glob("*/questions/*.toml")}
    assert sorted(files - served) == []


def test_an_uncovered_unit_is_reported():
    lessons = {"c/reading-one": "reading", "c/lab-one": "lab", "c/a-quiz": "quiz"}
    bare = {"code": "U9", "evidence": ["knowledge", "practical", "portfolio"], "lessons": []}
    assert coverage_gaps(bare, lessons) == [
        "U9: no lesson teaches it",
        "U9: knowledge evidence but no automatically marked question",
        "U9: practical evidence but no lab",
        "U9: portfolio evidence but no assignment or essay",
    ]
    quiz_only = {"code": "U1", "evidence": ["practical"], "lessons": ["c/a-quiz", "c/gone"]}
    assert coverage_gaps(quiz_only, lessons) == [
        "U1: no lesson c/gone",
        "U1: no lesson teaches it",
        "U1: practical evidence but no lab",
    ]
    covered = {"code": "U2", "evidence": ["practical"], "lessons": ["c/reading-one", "c/lab-one"]}
    assert coverage_gaps(covered, lessons) == []
