"""Every text a lab check can show is in the translation list, and reads in Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

from academy.labs.checks import CHECKS
from academy.labs.lab_text import CHECK_TEXTS, check_text

CHECKS_DIR = Path(__file__).resolve().parents[2] / "academy" / "labs" / "checks"


def _source_messages() -> set[str]:
    found = set()
    for path in CHECKS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Criterion":
                message = node.args[2]
                assert isinstance(message, ast.Constant), f"{path.name}: a computed message"
                found.add(message.value)
    return found


def test_every_criterion_and_description_is_listed(app):
    with app.test_request_context():
        listed = {str(text) for text in CHECK_TEXTS}
        assert _source_messages() <= listed
        for check in CHECKS.values():
            for message, _values in check().describe({"name": check.name}):
                assert message in listed
            assert check.goal in listed
            assert all(p.asks in listed for p in check.params.values() if p.asks)


def test_check_text_fills_values_and_keeps_the_percent_sign(app):
    with app.test_request_context():
        text = check_text(
            "the gross margin at the awarded price is %(margin)s %% "
            "(at least %(minimum)s %% required)",
            {"margin": "4.10", "minimum": "10"},
        )
        assert text == "the gross margin at the awarded price is 4.10 % (at least 10 % required)"
        assert check_text("your firm stays solvent and safe") == "your firm stays solvent and safe"
