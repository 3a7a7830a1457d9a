"""The panel on a lab lesson's page: the scenario, what the check asks, the student's lab.

Registered with the catalogue for lessons of kind ``lab`` (see ``academy.labs``). It
reads only: the forms it shows post to ``academy.labs.views.lab``.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import render_template
from markupsafe import Markup

from academy.labs.checks import CHECKS, validate_params
from academy.labs.lab_text import check_text
from academy.labs.world_names import world_name
from sandbox import list_scenarios


def requirement_lines(spec: dict[str, Any] | None) -> list[str]:
    """What a ``[check]`` table asks, one translated line per criterion."""
    if not spec or validate_params(spec):
        return []
    check = CHECKS[spec["name"]]()
    return [check_text(message, values) for message, values in check.describe(spec)]


def criterion_lines(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stored result's criteria, numbered and translated, for the page."""
    return [
        {
            "number": number,
            "met": bool(row.get("met")),
            "text": check_text(str(row.get("message", "")), row.get("details") or {}),
        }
        for number, row in enumerate(criteria, start=1)
    ]


@functools.cache
def _scenario_titles() -> dict[str, str]:
    # The shipped scenario files do not change while the app runs.
    return {entry["name"]: entry["title"] for entry in list_scenarios()}


def _scenario_title(settings: dict[str, Any]) -> str:
    name = str(settings.get("scenario", ""))
    return world_name(_scenario_titles().get(name) or name)


def lab_lesson_panel(lesson: Any, user: Any) -> Markup | None:
    """Render the lab panel of ``lesson`` for ``user`` (``None`` when it names no scenario)."""
    from academy.labs import lessons
    from academy.labs.lab_forms import CheckLabForm, StartLabForm
    from academy.learning import queries as learning_queries

    settings = lesson.settings or {}
    if not settings.get("scenario"):
        return None
    enrolled = bool(
        getattr(user, "is_authenticated", False)
        and learning_queries.get_enrollment(user, lesson.course) is not None
    )
    market = lessons.current_lab_market(user, lesson) if enrolled else None
    result = lessons.last_result(user, lesson) if enrolled else None
    return Markup(
        render_template(
            "labs/_lesson_panel.html",
            lesson=lesson,
            scenario_title=_scenario_title(settings),
            seed=settings.get("seed"),
            has_check=bool(settings.get("check")),
            requirements=requirement_lines(settings.get("check")),
            enrolled=enrolled,
            market=market,
            result=result,
            result_lines=criterion_lines(result.criteria) if result else [],
            start_form=StartLabForm(formdata=None),
            check_form=CheckLabForm(formdata=None),
        )
    )
