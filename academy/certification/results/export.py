"""The results CSV of a sitting, through the one CSV writer (formula cells guarded)."""

from __future__ import annotations

from academy.csv import csv_text


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
    return csv_text(header, lines)
