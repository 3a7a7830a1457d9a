"""A small TOML writer for the values course packages hold.

Python's standard library reads TOML but cannot write it. Packages use a narrow subset
(texts, numbers, booleans, dates, lists, inline tables and arrays of tables), which this
writes in a stable, readable layout so that exported packages diff cleanly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if BARE_KEY.match(name) else _string(name)


def _string(value: str) -> str:
    if "\n" in value:
        escaped = value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        return '"""\n' + escaped + '"""'
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def value_to_toml(value: Any) -> str:
    """One value written inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("TOML packages hold finite numbers only")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(value_to_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(key)} = {value_to_toml(item)}" for key, item in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def dumps(data: dict[str, Any], array_tables: tuple[str, ...] = ()) -> str:
    """Write ``data``: plain keys first, then ``[table]`` and ``[[array]]`` sections.

    Lists of tables named in ``array_tables`` become ``[[name]]`` sections; other
    lists of tables stay inline, one item per line.
    """
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    arrays: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            tables.append((key, value))
        elif key in array_tables and isinstance(value, list):
            arrays.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            lines.append(f"{_key(key)} = [")
            lines.extend(f"  {value_to_toml(item)}," for item in value)
            lines.append("]")
        else:
            lines.append(f"{_key(key)} = {value_to_toml(value)}")
    for key, table in tables:
        lines.append("")
        lines.append(f"[{_key(key)}]")
        lines.extend(f"{_key(name)} = {value_to_toml(item)}" for name, item in table.items())
    for key, items in arrays:
        for item in items:
            lines.append("")
            lines.append(f"[[{_key(key)}]]")
            lines.extend(
                f"{_key(name)} = {value_to_toml(entry)}"
                for name, entry in item.items()
                if entry is not None
            )
    return "\n".join(lines).lstrip("\n") + "\n"
