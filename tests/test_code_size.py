"""Rooms stay small: modules under 500 lines, functions under 80 (docs/architecture.md).

Modules are checked in the whole web application and the engine, functions in the
whole web application, so one that outgrows the rule fails here rather than waiting
for a review. (A few engine functions still pass 80 lines; they join the check once
they are split.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULE_FOLDERS = ["academy", "sandbox"]
FUNCTION_FOLDERS = ["academy"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", MODULE_FOLDERS)
def test_no_module_reaches_500_lines(folder):
    long = {
        path.relative_to(ROOT).as_posix(): count
        for path in _modules(folder)
        if (count := len(path.read_text(encoding="utf-8").splitlines())) >= MAX_MODULE_LINES
    }
    assert long == {}


@pytest.mark.parametrize("folder", FUNCTION_FOLDERS)
def test_no_function_passes_80_lines(folder):
    long = []
    for path in _modules(folder):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT).as_posix()}:{node.name} {length}")
    assert long == []
