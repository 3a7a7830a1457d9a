"""The labs part of a course package: the settings of lab lessons.

A lab lesson names a scenario of the sandbox, a world seed, optionally the bot firms
that compete with the student and the check that marks it. The catalog reads the
lesson and leaves these values to this extension (registered in ``academy.labs``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from academy.labs.checks import unsupported_params, validate_params
from sandbox import BOTS, list_scenarios

__all__ = ["LabsPackageExtension", "lab_setting_problems"]

#: How many bot firms a lab may start with.
MAX_LAB_BOTS = 9


def lab_setting_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem in a lab lesson's front matter, as ``(key, message)`` pairs."""
    problems: list[tuple[str, str]] = []
    names = sorted(entry["name"] for entry in list_scenarios())
    if data.get("scenario") not in names:
        problems.append(("scenario", f"'scenario' must be one of {', '.join(names)}"))
    seed = data.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        problems.append(("seed", "'seed' must be a whole number, 0 or more"))
    bots = data.get("bots")
    if bots is not None and (
        not isinstance(bots, list)
        or not 1 <= len(bots) <= MAX_LAB_BOTS
        or any(bot not in BOTS for bot in bots)
    ):
        problems.append(
            (
                "bots",
                f"'bots' must list 1 to {MAX_LAB_BOTS} bot strategies from "
                f"{', '.join(sorted(BOTS))}",
            )
        )
    check = data.get("check")
    if check is None:
        return problems
    if not isinstance(check, dict):
        return [*problems, ("check", "[check] must be a table with a 'name'")]
    problems += [("check", f"[check]: {problem}") for problem in validate_params(check)]
    # Accepted by the checks but not enforceable in the sandbox: refused, so that no lab
    # promises students a rule that nothing checks.
    problems += [
        ("check", f"[check] cannot be checked: {problem}") for problem in unsupported_params(check)
    ]
    return problems


class LabsPackageExtension:
    """Checks the settings of lab lessons; labs keep no files of their own in a package."""

    lesson_kinds = frozenset({"lab"})

    def validate(self, package: Any) -> list[Any]:
        from academy.catalog.packages import Problem

        problems = []
        for _module, lesson in package.lessons():
            if lesson.kind != "lab":
                continue
            shown = package.relative(lesson.source.path)
            for key, message in lab_setting_problems(lesson.front_matter):
                problems.append(Problem(shown, lesson.source.line_of(key), message))
        return problems

    def import_into(self, course: Any, package: Any, actor: Any) -> None:
        """Lab settings live on the lesson, which the catalog imports."""

    def export_from(self, course: Any, destination: Path) -> None:
        """Nothing beyond the lesson's settings, which the catalog exports."""

    def lesson_front_matter(self, lesson: Any) -> dict[str, Any]:
        return {}
