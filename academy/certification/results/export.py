"""The results CSV of a sitting.

Written through a tiny local writer until the shared CSV writer (``academy/csv.py``)
lands; like it, it neutralises cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return buffer.getvalue()


def results_csv(sitting, rows) -> str:
    """One line per candidate: number, name, e-mail, school, parts, units, total, level."""
    units = [unit.code for unit in sitting.programme.standard.units]
    header = [
        "candidate_number",
        "name",
        "email",
        "school",
        "status",
        "theory_points",
        "practical_points",
        "judged_marks",
        *[f"unit_{code}_percent" for code in units],
        "total_percent",
        "level_achieved",
    ]
    lines = []
    for candidate, result in rows:
        parts = result.parts if result else {}
        by_unit = {unit["code"]: unit["percent"] for unit in result.units} if result else {}
        lines.append(
            [
                candidate.number,
                candidate.user.display_name,
                candidate.user.email,
                candidate.school.name if candidate.school else "",
                candidate.status.value,
                parts.get("theory", {}).get("points", ""),
                parts.get("practical", {}).get("points", ""),
                parts.get("judged", {}).get("points", ""),
                *[by_unit.get(code, "") for code in units],
                result.total_percent if result else "",
                ("yes" if result.is_level_achieved else "no") if result else "",
            ]
        )
    return write_csv(header, lines)
