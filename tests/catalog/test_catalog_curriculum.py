"""The shipped curriculum meets the standard we promise schools (see issue 3)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

COURSES = Path(__file__).resolve().parents[2] / "courses"
SHIPPED = sorted(path for path in COURSES.iterdir() if (path / "course.toml").exists())


def english_words(markdown: str) -> int:
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%-]*", markdown))


def lessons(course: Path):
    for module in sorted(p for p in course.iterdir() if p.is_dir() and re.match(r"\d+-", p.name)):
        for path in sorted(module.glob("[0-9]*.md")):
            if not path.name.endswith(".zh.md"):
                _, front, body = path.read_text(encoding="utf-8").split("+++", 2)
                yield module, path, tomllib.loads(front), body


def test_six_courses_are_shipped():
    assert {path.name for path in SHIPPED} >= {
        "b2b-foundations",
        "trade-terms-pricing",
        "payments-credit-fx",
        "customs-compliance-tax",
        "logistics-supply-chain",
        "platform-operations",
    }


@pytest.mark.parametrize("course", SHIPPED, ids=[path.name for path in SHIPPED])
def test_course_meets_the_standard(course):
    meta = tomllib.loads((course / "course.toml").read_text(encoding="utf-8"))
    assert meta.get("title_zh") and meta.get("summary_zh") and meta.get("summary")
    modules = {module for module, *_ in lessons(course)}
    assert len(modules) >= 4
    for module in modules:
        module_meta = tomllib.loads((module / "module.toml").read_text(encoding="utf-8"))
        assert module_meta.get("title_zh") and module_meta.get("summary_zh"), module
    found = list(lessons(course))
    assert len(found) >= 12
    kinds = [front.get("kind", "reading") for _, _, front, _ in found]
    assert "lab" in kinds and kinds.count("quiz") >= 2
    for _, path, front, body in found:
        assert front.get("title_zh"), path
        if front.get("kind", "reading") == "reading":
            assert english_words(body) >= 300, f"{path.name} has {english_words(body)} words"
        assert path.with_name(path.stem + ".zh.md").exists(), f"{path.name} has no Chinese body"
    questions = sum(
        len(tomllib.loads(path.read_text(encoding="utf-8")).get("questions", []))
        for path in (course / "questions").glob("*.toml")
    )
    assert questions >= 20


#: The lessons the second edition added (issue 18, part 3): each must be substantial, teach
#: through a worked example in both languages, and name its authorities in both.
SECOND_EDITION = [
    "trade-terms-pricing/commission-and-exchange-cost",
    "trade-terms-pricing/negotiation-by-letter",
    "payments-credit-fx/drafting-the-document-set",
    "payments-credit-fx/receiving-fx-and-trade-finance",
    "customs-compliance-tax/data-flows-and-market-procurement",
    "customs-compliance-tax/filing-the-rebate",
    "customs-compliance-tax/rules-of-origin",
    "customs-compliance-tax/destination-market-rules",
]


def _lesson(reference: str):
    course, slug = reference.split("/")
    for _, path, front, body in lessons(COURSES / course):
        if re.sub(r"^\d+-", "", path.stem) == slug:
            return path, front, body
    raise AssertionError(f"no lesson {reference}")


@pytest.mark.parametrize("reference", SECOND_EDITION)
def test_second_edition_lessons_have_examples_and_sources(reference):
    path, front, body = _lesson(reference)
    chinese = path.with_name(path.stem + ".zh.md").read_text(encoding="utf-8")
    assert front.get("kind", "reading") == "reading"
    assert english_words(body) >= 600, f"{path.name} has {english_words(body)} words"
    assert re.search(r"worked example", body, re.I), f"{path.name} has no worked example"
    assert "示例" in chinese, f"{path.name}: the Chinese body has no worked example (示例)"
    sources = body.rpartition("## Sources")[2]
    assert "## Sources" in body and re.search(r"\d", sources), f"{path.name} cites no authority"
    assert "## 依据" in chinese, f"{path.name}: the Chinese body has no 依据"
