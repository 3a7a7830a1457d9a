"""A pattern answer shows students a readable key, never the regular expression."""

from __future__ import annotations

from academy.assessment.questions import question_type

RULE = {"answers": [r"(?i)(usd\s*/\s*)?2,?800(\s*/\s*3)?"], "match": "pattern"}


def problems_of(type_name: str, spec: dict) -> list[str]:
    problems: list[str] = []
    question_type(type_name).check_spec(spec, problems)
    return problems


def test_a_pattern_needs_an_example_that_it_matches():
    assert problems_of("short_text", dict(RULE)) == [
        "a 'pattern' answer needs an 'example' to show as the key"
    ]
    assert problems_of("short_text", {**RULE, "example": "USD 2,900"}) == [
        "the 'example' 'USD 2,900' does not match the pattern"
    ]
    assert problems_of("short_text", {"answers": ["CIF"], "example": "CIF"}) == [
        "'example' is only for 'pattern' answers"
    ]


def test_the_key_is_the_example_and_both_forms_still_score():
    short = question_type("short_text")
    question = {**RULE, "example": "USD/2800/3", "points": 1}
    assert problems_of("short_text", question) == []
    assert short.answer_key(question) == "USD/2800/3"
    assert short.grade(question, "2800").points == 1
    assert short.grade(question, "usd / 2,800 / 3").points == 1

    document = question_type("document_completion")
    spec = {
        "document": "commercial_invoice",
        "fields": [{"name": "freight", "label": "Freight", **RULE, "example": "USD/2800/3"}],
        "points": 1,
    }
    assert problems_of("document_completion", spec) == []
    assert document.answer_key(spec) == {"freight": "USD/2800/3"}
