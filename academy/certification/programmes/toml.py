"""Writing a blueprint's task and part tables back as TOML for the edit form."""

from __future__ import annotations

import json
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def dump_tables(name: str, rows: list[dict[str, Any]]) -> str:
    """``[[name]]`` tables, one key per line, that ``tomllib`` reads back to ``rows``."""
    blocks = []
    for row in rows:
        lines = [f"[[{name}]]"] + [f"{key} = {_value(value)}" for key, value in row.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
