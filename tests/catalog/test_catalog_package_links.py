"""The package importer refuses symbolic links (issue 10): a lesson linked to a file
outside the package would be read and published."""

from __future__ import annotations

from academy.catalog.packages.reader import read_package
from tests.assessment.conftest import write_package


def test_a_symlinked_lesson_file_is_refused(tmp_path):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("database password: hunter2\n", encoding="utf-8")
    root = write_package(tmp_path / "pkg", "linked", "linked-school", "")
    (root / "01-basics" / "02-stolen.md").symlink_to(secret)
    package, problems = read_package(root)
    assert package is None
    assert [p.message for p in problems] == [
        "symbolic links are not allowed in a package (they can point outside it)"
    ]
    assert all("hunter2" not in str(p) for p in problems)


def test_a_symlinked_folder_is_refused_too(tmp_path):
    root = write_package(tmp_path / "pkg", "linked2", "linked-school-2", "")
    (root / "images").symlink_to(tmp_path, target_is_directory=True)
    package, problems = read_package(root)
    assert package is None and problems
