"""Every refusal carries a stable code (docs/architecture.md, "Where a write goes").

Pages and tests tell refusals apart by ``OperationError.code``, never by the wording of
the message, which is translated and may be reworded. This reads the source of
academy/ and lists each ``OperationError(...)`` raised without a ``code=``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose refusals are still being given codes; nothing may join this list.
NOT_YET_CODED: set[str] = set()


def _uncoded_refusals() -> list[str]:
    found = []
    for path in sorted((ROOT / "academy").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in NOT_YET_CODED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", None))
            if called == "OperationError" and not any(k.arg == "code" for k in node.keywords):
                found.append(f"{name}:{node.lineno}")
    return found


def test_every_refusal_names_its_code():
    assert _uncoded_refusals() == []
