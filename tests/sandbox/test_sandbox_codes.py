"""Every code the engine can report is in the catalogue the web layer translates."""

from __future__ import annotations

import ast
from pathlib import Path

from sandbox.codes import CODES

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in SANDBOX.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = node.args
            if (
                name in {"reject", "CommandRejected", "_discrepancy"}
                and args
                and isinstance(args[0], ast.Constant)
            ):
                found.add(args[0].value)
            if name == "Finding" and len(args) > 1 and isinstance(args[1], ast.Constant):
                found.add(args[1].value)
            # Soft clause kinds name the discrepancy their use produces.
            for keyword in node.keywords:
                if keyword.arg == "discrepancy" and isinstance(keyword.value, ast.Constant):
                    found.add(keyword.value.value)
        # Mismatch codes live in a field -> code mapping.
        if path.name == "declaration.py":
            found |= {
                node.value
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.endswith("_MISMATCH")
            }
    return found


def test_every_emitted_code_is_catalogued():
    missing = codes_in_source() - set(CODES)
    assert not missing


def test_catalogue_has_no_stale_codes():
    assert set(CODES) - codes_in_source() == set()


def test_codes_are_upper_snake_case_with_a_sentence():
    for code, text in CODES.items():
        assert code.replace("_", "").isalnum() and code.isupper() and code[0].isalpha()
        assert text.endswith(".") and (text[0].isupper() or text[0].isdigit())
