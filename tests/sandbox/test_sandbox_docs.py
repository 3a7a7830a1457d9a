"""The README's catalogues stay true to the code."""

from __future__ import annotations

from pathlib import Path

from sandbox.engine.commands import COMMANDS
from sandbox.events import EVENT_TYPES

README = (Path(__file__).resolve().parents[2] / "sandbox" / "README.md").read_text(encoding="utf-8")


def test_every_event_type_is_documented():
    for name, spec in EVENT_TYPES.items():
        row = next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))
        for field in spec.fields:
            assert field in row, (name, field)


def test_every_command_is_documented():
    for name in COMMANDS:
        assert f"`{name}(" in README, name
