"""Each question type presents itself: the learner's view, the saved answer, the key.

One question of every type (tests/assessment/sample_questions.toml) goes through what
the pages do: the learner's view must hold no answer, a saved answer must come back
into the form as it was given, and the review key lists what is correct.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from academy.assessment.questionfile import parse_question_file
from academy.assessment.questions import REGISTRY, question_type
from academy.assessment.render import form_values, key_view, student_view

SAMPLE = Path(__file__).with_name("sample_questions.toml")
#: Keys that carry an answer, a rule or a formula: never in a learner's view.
SECRET_KEYS = {"correct", "answer", "answers", "formula", "pattern", "tolerance"}


def _questions() -> dict[str, dict[str, Any]]:
    parsed = parse_question_file(SAMPLE.read_text(encoding="utf-8"), "sample")
    assert parsed.problems == []
    questions = {}
    for spec in parsed.specs:
        qtype = question_type(spec["type"])
        questions[spec["type"]] = {**spec, **qtype.instantiate(spec, random.Random(3), True)}
    return questions


QUESTIONS = _questions()


def _keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_in(v)}
    if isinstance(value, list | tuple):
        return {k for v in value for k in _keys_in(v)}
    return set()


def test_the_sample_file_has_every_type():
    assert sorted(QUESTIONS) == sorted(REGISTRY)


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_the_learners_view_holds_no_answer(app, kind):
    with app.test_request_context():
        view = student_view(QUESTIONS[kind], "q1")
    assert (view["type"], view["name"]) == (kind, "q1")
    assert _keys_in(view) & SECRET_KEYS == set()


@pytest.mark.parametrize("kind", sorted(set(QUESTIONS) - {"essay"}))
def test_a_saved_answer_comes_back_into_the_form_as_given(app, kind):
    question = QUESTIONS[kind]
    qtype = question_type(kind)
    key = qtype.answer_key(question)
    if kind == "calculation":  # its key is the figure as the review page shows it
        key = float(key.replace(",", ""))
    answer = qtype.validate(question, key)
    with app.test_request_context():
        values = form_values(question, answer, "q1")
    posted = MultiDict([(name, item) for name, value in values.items() for item in _as_list(value)])
    assert qtype.parse_form(question, posted, "q1") == answer


def _as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_the_review_key_is_lines_of_text(app, kind):
    with app.test_request_context():
        lines = key_view(QUESTIONS[kind])
    assert all(isinstance(label, str) and isinstance(text, str) for label, text in lines)
    assert (lines == []) == (kind == "essay")
