"""The panel on a quiz lesson's page: start or resume, attempts so far, the grade kept."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup


def quiz_lesson_panel(lesson: Any, user: Any) -> Markup | None:
    from academy.assessment.attempts import attempts_of, kept_percent, marks_visible
    from academy.assessment.quizzes import quiz_for_lesson

    quiz = quiz_for_lesson(lesson)
    if quiz is None:
        return None
    attempts = attempts_of(quiz, user) if getattr(user, "is_authenticated", False) else []
    visible = [a for a in attempts if marks_visible(a)]
    return Markup(
        render_template(
            "assessment/_lesson_panel.html",
            quiz=quiz,
            attempts=attempts,
            kept=kept_percent(quiz, visible),
        )
    )
