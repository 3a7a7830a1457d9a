"""Document completion covers the whole L/C document set (issue 18): bill of lading,
draft, insurance policy and certificate of origin, besides invoice, packing list and
declaration. The shipped payments course uses them; a made-up document is refused."""

from __future__ import annotations

import random
from pathlib import Path

from academy.assessment.questionfile import parse_question_file
from academy.assessment.questions import question_type

DOCUMENT_SET = (
    Path(__file__).resolve().parents[2] / "courses/payments-credit-fx/questions/document-set.toml"
)


def shipped() -> dict[str, dict]:
    parsed = parse_question_file(DOCUMENT_SET.read_text(encoding="utf-8"), "document-set")
    assert parsed.problems == []
    return {spec["id"]: spec for spec in parsed.specs}


def grade(spec: dict, response) -> float:
    qtype = question_type(spec["type"])
    return qtype.grade({**spec, **qtype.instantiate(spec, random.Random(1), True)}, response).points


def test_the_new_document_kinds_are_used_by_the_shipped_course():
    documents = {spec.get("document") for spec in shipped().values()}
    assert {"bill_of_lading", "bill_of_exchange", "insurance_policy", "certificate_of_origin"} <= (
        documents
    )


def test_a_draft_is_marked_field_by_field():
    draft = shipped()["docset-draft"]
    right = {
        "amount": "33,600",
        "drawee": "Caspian Commercial Bank, Baku",
        "drawer": "Henan Jinhe Foods Co., Ltd.",
        "payee": "Zhongyuan Trade Bank, Zhengzhou Branch",
        "maturity": "2027-06-11",
    }
    assert grade(draft, right) == 5.0
    # The classic mistakes: drawn on the applicant, maturity counted from the wrong day.
    wrong = {**right, "drawee": "Absheron Trading LLC", "maturity": "2027-06-12"}
    assert grade(draft, wrong) == 3.0


def test_an_unknown_document_kind_is_refused():
    text = DOCUMENT_SET.read_text(encoding="utf-8").replace(
        'document = "bill_of_exchange"', 'document = "promissory_note"'
    )
    problems = parse_question_file(text, "document-set").problems
    assert any("'document' must be one of" in str(problem) for problem in problems)


def test_the_key_shown_at_review_earns_full_marks():
    # The key is what students see at review and what the scripted exam candidate types:
    # it must be a plain answer, not a regular expression.
    for spec in shipped().values():
        qtype = question_type(spec["type"])
        question = {**spec, **qtype.instantiate(spec, random.Random(1), True)}
        score = qtype.grade(question, qtype.answer_key(question))
        assert score.points == score.max_points, spec["id"]
