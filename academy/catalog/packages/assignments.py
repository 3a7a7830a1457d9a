"""The grading settings of an assignment lesson: its pass mark and its rubric."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from academy.catalog.packages.model import Source
    from academy.catalog.packages.reader import _Collector


def check_assignment_grading(
    source: Source, data: dict[str, Any], path: Path, collect: _Collector
) -> None:
    """An assignment's pass mark (a percentage) and rubric (its top levels = max_points)."""
    # Assessment owns rubrics; imported here, not at the top, since assessment registers
    # itself with the catalogue's package reader when it is imported.
    from academy.assessment.rubric import rubric_problems

    pass_mark = data.get("pass_mark", 50)
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, (int, float)):
        collect.add(path, source.line_of("pass_mark"), "'pass_mark' must be a number")
    elif not 0 <= pass_mark <= 100:
        collect.add(path, source.line_of("pass_mark"), "'pass_mark' must be from 0 to 100")
    if "rubric" in data:
        maximum = data.get("max_points", 10)
        total = float(maximum) if isinstance(maximum, (int, float)) else 0.0
        for problem in rubric_problems(data["rubric"], total, "max_points"):
            collect.add(path, source.line_of("rubric"), problem)
