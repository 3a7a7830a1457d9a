"""The import rules between the rooms of the code (docs/architecture.md).

Read from the source, not from ``sys.modules``, so that a lazy import inside a function
counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sandbox

ROOT = Path(__file__).resolve().parents[1]

#: Files that break a rule today, with the change that removes them. Keep this short.
KNOWN_EXCEPTIONS: set[str] = set()


def _imports(folder: str) -> list[tuple[str, int, str]]:
    """Every ``(file, line, imported module)`` in the Python files under ``folder``."""
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        shown = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), shown)):
            if isinstance(node, ast.Import):
                found += [(shown, node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((shown, node.lineno, node.module))
    return found


def _breaking(folder: str, banned: tuple[str, ...]) -> list[str]:
    return [
        f"{file}:{line} imports {module}"
        for file, line, module in _imports(folder)
        if file not in KNOWN_EXCEPTIONS
        and any(module == name or module.startswith(name + ".") for name in banned)
    ]


@pytest.mark.parametrize(
    ("folder", "banned"),
    [
        ("sandbox", ("academy", "flask", "flask_babel", "sqlalchemy", "alembic")),
        ("academy/catalog", ("academy.learning", "academy.labs")),
        ("academy/assessment", ("academy.labs",)),
    ],
)
def test_a_room_does_not_import_what_it_must_not(folder, banned):
    assert _breaking(folder, banned) == []


def test_academy_uses_only_the_public_engine():
    internal = [
        f"{file}:{line} imports {module}"
        for file, line, module in _imports("academy")
        if module.startswith("sandbox.")
    ]
    assert internal == [], "import from `sandbox` (its __all__), not from its subpackages"


def test_the_public_engine_exports_what_it_lists():
    assert sorted(sandbox.__all__) == sorted(set(sandbox.__all__))
    assert all(hasattr(sandbox, name) for name in sandbox.__all__)
