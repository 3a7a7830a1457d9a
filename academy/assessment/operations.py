"""Every write about banks and questions.

Operations flush, never commit. An import checks every question first and raises
``BankImportError`` with all the problems before it writes anything.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.models import Question, QuestionBank, QuestionVersion
from academy.assessment.questionfile import (
    Problem,
    dump_question_file,
    parse_question_file,
    parse_question_files,
)
from academy.auth.models import Organisation, User
from academy.db import db
from academy.errors import OperationError

logger = logging.getLogger("academy.assessment")


class BankImportError(OperationError):
    """A question file with problems: nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "; ".join(str(problem) for problem in problems), code="invalid_question_file"
        )
        self.problems = problems


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.created)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        )


def spec_digest(spec: dict[str, Any]) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def get_or_create_bank(organisation: Organisation, slug: str, name: str) -> QuestionBank:
    bank = db.session.scalar(
        sa.select(QuestionBank).where(
            QuestionBank.organisation_id == organisation.id, QuestionBank.slug == slug
        )
    )
    if bank is None:
        bank = QuestionBank(organisation=organisation, slug=slug, name=name)
        db.session.add(bank)
        db.session.flush()
        logger.info("question bank %s/%s created", organisation.slug, slug)
    return bank


def save_question(
    bank: QuestionBank, spec: dict[str, Any], actor: User | None, source_file: str | None = None
) -> tuple[Question, str]:
    """Create the question, add a version if its spec changed, or leave it alone.

    Returns the question and what happened: ``created``, ``updated`` or ``unchanged``.
    """
    digest = spec_digest(spec)
    question = db.session.scalar(
        sa.select(Question).where(Question.bank_id == bank.id, Question.key == spec["id"])
    )
    outcome = "updated"
    if question is not None and source_file and question.source_file != source_file:
        question.source_file = source_file
    if question is None:
        question = Question(bank=bank, key=spec["id"], version_count=0, source_file=source_file)
        db.session.add(question)
        outcome = "created"
    elif question.versions and question.latest.spec_digest == digest:
        if question.is_retired:
            question.is_retired = False
            return question, "updated"
        return question, "unchanged"
    question.type = spec["type"]
    question.topic = spec["topic"]
    question.competency = spec.get("competency")
    question.difficulty = spec.get("difficulty", 2)
    question.is_retired = False
    question.version_count += 1
    version = QuestionVersion(
        question=question,
        number=question.version_count,
        spec=spec,
        spec_digest=digest,
        created_by=actor,
    )
    db.session.add(version)
    db.session.flush()
    return question, outcome


def import_specs(
    bank: QuestionBank, specs: Iterable[dict[str, Any]], actor: User | None
) -> ImportSummary:
    summary = ImportSummary()
    for spec in specs:
        _question, outcome = save_question(bank, spec, actor)
        getattr(summary, outcome).append(spec["id"])
    logger.info("bank %s import: %s", bank.slug, summary)
    return summary


def import_question_files(
    bank: QuestionBank, paths: Iterable[Path | str], actor: User | None
) -> ImportSummary:
    """Import files into ``bank``; with any problem in any file, import nothing."""
    specs, problems = parse_question_files(paths)
    if problems:
        raise BankImportError(problems)
    return import_specs(bank, specs, actor)


def import_question_text(
    bank: QuestionBank, text: str, actor: User | None, path: str = "pasted"
) -> ImportSummary:
    parsed = parse_question_file(text, path)
    if parsed.problems:
        raise BankImportError(parsed.problems)
    return import_specs(bank, parsed.specs, actor)


def edit_question(question: Question, text: str, actor: User | None) -> str:
    """Replace a question by the one ``[[questions]]`` table in ``text``.

    The id must stay the same (it is how attempts and quizzes find the question).
    """
    parsed = parse_question_file(text, "question")
    if parsed.problems:
        raise BankImportError(parsed.problems)
    if len(parsed.specs) != 1:
        raise OperationError(
            _l("Give exactly one [[questions]] table."), "text", code="one_question_expected"
        )
    spec = parsed.specs[0]
    if spec["id"] != question.key:
        raise OperationError(
            _l("The id must stay %(key)s; add a new question instead.", key=question.key),
            "text",
            code="question_id_changed",
        )
    _question, outcome = save_question(question.bank, spec, actor)
    return outcome


def export_bank_text(bank: QuestionBank, include_retired: bool = False) -> str:
    """The bank's newest versions as a question file."""
    questions = [q for q in bank.questions if q.versions and (include_retired or not q.is_retired)]
    return dump_question_file(q.latest.spec for q in questions)
