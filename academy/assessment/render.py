"""How questions reach the page: localised texts, sanitised Markdown, student views.

``student_view`` builds everything a template needs to show a question to a learner
and nothing more: no ``correct`` flags, answers, formulas or rules. Templates never
see a spec, so an answer key cannot reach the browser before review is allowed.
``key_view`` is the separate, explicit step that adds the key for review pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from academy.assessment.questions import question_type
from academy.assessment.questions.base import Reader
from academy.assessment.questions.text import word_count
from academy.i18n import is_chinese
from academy.markdown import render_markdown


def reader() -> Reader:
    """The reader of this request: their language, and the app's one Markdown renderer."""
    return Reader(in_chinese=is_chinese(), markdown=render_markdown)


def student_view(question: Mapping[str, Any], name: str) -> dict[str, Any]:
    """What a learner may see of ``question`` (a spec plus what the attempt drew).

    The common part is built here; each question type adds its own fields
    (``QuestionType.student_fields``).
    """
    kind = question["type"]
    qtype = question_type(kind)
    shown_by = reader()
    prompt = qtype.shown_prompt(question, shown_by.localised(question, "prompt") or "")
    view: dict[str, Any] = {
        "type": kind,
        "name": name,
        "prompt": render_markdown(prompt),
        "points": question.get("points", 1),
        "unit": question.get("unit"),
    }
    view.update(qtype.student_fields(question, shown_by))
    return view


def form_values(question: Mapping[str, Any], response: Any, name: str) -> dict[str, Any]:
    """The saved response as the values of the form fields named after ``name``."""
    if response is None:
        return {}
    return question_type(question["type"]).form_values(response, name)


def key_view(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answer key as (label, text) lines, for review pages only."""
    return question_type(question["type"]).key_lines(question, reader())


def words(text: str | None) -> int:
    return word_count(text)


def safe_text(text: Any) -> Markup:
    return escape(text or "")
