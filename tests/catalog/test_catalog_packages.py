"""Course packages: validation lists every problem, import is idempotent, export round-trips."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.catalog.models import Course, Lesson, LessonRevision, Module, RevisionStatus
from academy.catalog.packages.reader import read_package
from academy.db import db

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(path for path in (ROOT / "courses").iterdir() if (path / "course.toml").exists())

COURSE_TOML = """\
slug = "mini"
title = "Mini course"
title_zh = "小课程"
summary = "A course for tests."
level = "introductory"
tags = ["test"]

[[partners]]
slug = "mini-college"
name = "Mini College"
kind = "school"
role = "lead"
"""
LESSON = """\
+++
title = "{title}"
kind = "reading"
duration_minutes = 5
authors = [{{ name = "Wang Li", organisation = "mini-college" }}]
+++

{body}
"""


def write_package(tmp_path: Path, body: str = "Hello **world**.", title: str = "First") -> Path:
    root = tmp_path / "mini"
    module = root / "01-basics"
    module.mkdir(parents=True, exist_ok=True)
    (root / "course.toml").write_text(COURSE_TOML, encoding="utf-8")
    (module / "module.toml").write_text('title = "Basics"\ntitle_zh = "基础"\n', encoding="utf-8")
    (module / "01-first.md").write_text(LESSON.format(title=title, body=body), encoding="utf-8")
    (module / "01-first.zh.md").write_text("你好。\n", encoding="utf-8")
    return root


def problems_of(app, path: Path) -> list[str]:
    with app.app_context():
        return [str(problem) for problem in read_package(path)[1]]


def test_a_good_package_has_no_problems(app, tmp_path):
    assert problems_of(app, write_package(tmp_path)) == []


def test_every_problem_is_listed_with_file_and_line(app, tmp_path, runner, count_rows):
    root = write_package(tmp_path)
    (root / "course.toml").write_text(
        COURSE_TOML.replace('level = "introductory"', 'level = "expert"\ncolour = "red"')
    )
    module = root / "01-basics"
    (module / "02-broken.md").write_text('+++\ntitle = "Broken\nkind = "reading"\n+++\nBody\n')
    (module / "03-odd.md").write_text('+++\ntitle = "Odd"\nkind = "video"\n+++\nBody\n')
    (module / "04-picture.md").write_text(
        '+++\ntitle = "Pic"\n+++\n\nSee this:\n\n![map](images/missing.png)\n'
    )
    (module / "05-no-front.md").write_text("Just text\n")
    (module / "06-lab.md").write_text(
        '+++\ntitle = "Lab"\nkind = "lab"\nscenario = "moon-base"\nseed = -1\n'
        'bots = ["cautious", "reckless"]\n[check]\nname = "win_the_lottery"\n+++\nBrief\n'
    )
    problems = problems_of(app, root)
    assert any(
        p.startswith("mini/01-basics/06-lab.md:4: 'scenario' must be one of exam_standard")
        for p in problems
    )
    assert "mini/01-basics/06-lab.md:5: 'seed' must be a whole number, 0 or more" in problems
    assert any(p.startswith("mini/01-basics/06-lab.md:6: 'bots' must list") for p in problems)
    assert any(p.startswith("mini/01-basics/06-lab.md:7: [check]: ") for p in problems)
    assert "mini/course.toml:5: level must be introductory, intermediate or advanced" in problems
    assert "mini/course.toml:6: unknown key 'colour' in course.toml" in problems
    assert any(p.startswith("mini/01-basics/02-broken.md:2: not valid TOML") for p in problems)
    assert (
        "mini/01-basics/03-odd.md:3: unknown lesson kind 'video': use reading, quiz, lab or assignment"
        in problems
    )
    assert "mini/01-basics/04-picture.md:7: image 'images/missing.png' does not exist" in problems
    assert (
        "mini/01-basics/05-no-front.md:1: a lesson must start with front matter between two +++ lines"
        in problems
    )

    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert count_rows(Course) == 0 and count_rows(Lesson) == 0


def test_missing_metadata_and_wrong_images(app, tmp_path):
    root = write_package(tmp_path)
    (root / "course.toml").unlink()
    (root / "01-basics" / "module.toml").unlink()
    problems = problems_of(app, root)
    assert "mini/course.toml: missing: every package needs a course.toml" in problems
    assert (
        "mini/01-basics/module.toml: missing: every module folder needs a module.toml" in problems
    )

    root = write_package(
        tmp_path / "again", body="![a](images/fake.png) ![b](images/huge.png) ![c](../secret.png)"
    )
    (root / "images").mkdir()
    (root / "images" / "fake.png").write_bytes(b"GIF89a not a png")
    (root / "images" / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024))
    problems = problems_of(app, root)
    assert "mini/images/fake.png: the file is not really a PNG picture" in problems
    assert "mini/images/huge.png: pictures must be at most 2 MB" in problems
    assert any(
        "'../secret.png' must be a file in the course's images/ folder" in p for p in problems
    )


def _snapshot():
    return (
        db.session.execute(sa.select(Course.slug, Course.title, Course.tags)).all(),
        db.session.execute(sa.select(Module.slug, Module.title, Module.position)).all(),
        db.session.execute(
            sa.select(Lesson.slug, Lesson.position, Lesson.settings, Lesson.published_revision_id)
        ).all(),
        db.session.execute(
            sa.select(LessonRevision.id, LessonRevision.number, LessonRevision.status)
        ).all(),
    )


def test_reimport_changes_nothing_and_a_change_adds_a_revision(app, tmp_path, runner, read):
    root = write_package(tmp_path)
    assert runner.invoke(args=["courses", "import", str(root)]).output.strip() == "mini: created"
    before = read(_snapshot)
    assert runner.invoke(args=["courses", "import", str(root)]).output.strip() == "mini: unchanged"
    assert read(_snapshot) == before

    write_package(tmp_path, body="Hello **trade**.", title="First, revised")
    result = runner.invoke(args=["courses", "import", str(root)])
    assert "mini: updated" in result.output
    revisions = read(
        lambda: db.session.execute(
            sa.select(LessonRevision.number, LessonRevision.status, LessonRevision.title).order_by(
                LessonRevision.number
            )
        ).all()
    )
    assert [(r.number, r.status, r.title) for r in revisions] == [
        (1, RevisionStatus.PUBLISHED, "First"),
        (2, RevisionStatus.PUBLISHED, "First, revised"),
    ]
    current = read(lambda: db.session.scalar(sa.select(Lesson)).published_revision.title)
    assert current == "First, revised"


@pytest.mark.parametrize("package", SHIPPED, ids=[path.name for path in SHIPPED])
def test_shipped_course_validates_imports_and_round_trips(app, tmp_path, runner, read, package):
    result = runner.invoke(args=["courses", "validate", str(package)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["courses", "import", str(package)]).exit_code == 0
    before = read(_snapshot)
    exported = tmp_path / "exported"
    result = runner.invoke(args=["courses", "export", package.name, str(exported)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["courses", "import", str(exported / package.name)])
    assert result.output.strip() == f"{package.name}: unchanged", result.output
    assert read(_snapshot) == before
    again = tmp_path / "again"
    runner.invoke(args=["courses", "export", package.name, str(again)])
    first = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_export_refuses_to_overwrite_a_folder_that_is_not_a_package(app, tmp_path, runner):
    root = write_package(tmp_path)
    runner.invoke(args=["courses", "import", str(root)])
    target = tmp_path / "out"
    (target / "mini").mkdir(parents=True)
    (target / "mini" / "notes.txt").write_text("mine")
    result = runner.invoke(args=["courses", "export", "mini", str(target)])
    assert result.exit_code == 1 and "refusing to overwrite" in result.output
    assert (target / "mini" / "notes.txt").read_text() == "mine"
    shutil.rmtree(target)
