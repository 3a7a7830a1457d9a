"""Writing exam programmes: create or change a draft blueprint, publish it.

Publishing checks the coverage (``blueprint.coverage``) and refuses, changing nothing,
when the bank cannot fill a rule or anything else is wrong; it then makes the theory
quiz (no lesson, one attempt, questions shuffled, no review) whose draw is the rules,
so the assessment domain's attempts, items and automatic marking serve the exam.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.assessment.models import QuestionBank, Quiz, ReviewPolicy
from academy.auth.models import Organisation, User
from academy.certification.programmes.blueprint import Coverage, coverage
from academy.certification.programmes.models import Programme, ProgrammeStatus
from academy.certification.standards.models import Standard, StandardLevel
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")

BLUEPRINT_FIELDS = (
    "bank_id",
    "theory_rules",
    "theory_minutes",
    "scenario",
    "seed",
    "bots",
    "practical_tasks",
    "judged_parts",
    "tolerance",
)


def programme_coverage(programme: Programme) -> Coverage:
    return coverage(
        programme.standard,
        programme.level,
        programme.bank_id,
        programme.theory_rules,
        programme.practical_tasks,
        programme.judged_parts,
        programme.scenario,
        programme.seed,
    )


def create_programme(
    organisation: Organisation,
    standard: Standard,
    level: StandardLevel,
    title: str,
    actor: User | None = None,
    **blueprint: Any,
) -> Programme:
    """Create a draft programme for a level of one of the association's standards."""
    if standard.organisation_id != organisation.id or level.standard_id != standard.id:
        raise OperationError(
            _l("Choose a level of one of your standards."), field="level", code="unknown_level"
        )
    if not title.strip():
        raise OperationError(_l("Give the programme a title."), field="title", code="title_missing")
    programme = Programme(
        organisation=organisation,
        standard=standard,
        level=level,
        title=title.strip(),
        status=ProgrammeStatus.DRAFT,
    )
    db.session.add(programme)
    update_blueprint(programme, **blueprint)
    logger.info("programme %s created by %s", programme.id, actor.email if actor else "-")
    return programme


def update_blueprint(programme: Programme, **blueprint: Any) -> Programme:
    """Change a draft's blueprint (a published programme never changes)."""
    if programme.is_published:
        raise OperationError(
            _l("A published programme cannot change; create a new one."), code="programme_published"
        )
    unknown = set(blueprint) - set(BLUEPRINT_FIELDS)
    if unknown:
        raise ValueError(f"unknown blueprint fields: {sorted(unknown)}")
    if "bank_id" in blueprint and blueprint["bank_id"] is not None:
        bank = db.session.get(QuestionBank, blueprint["bank_id"])
        if bank is None or bank.organisation_id != programme.organisation.id:
            raise OperationError(
                _l("Choose one of your question banks."), field="bank_id", code="unknown_bank"
            )
    for name, value in blueprint.items():
        setattr(programme, name, value)
    db.session.flush()
    return programme


def publish_programme(programme: Programme, actor: User | None = None) -> Programme:
    """Publish a draft whose coverage has no problem; make its theory quiz.

    Raises:
        OperationError: Already published, or the coverage has problems (the first is
            the message; ``field`` is the part of the form at fault).
    """
    if programme.is_published:
        raise OperationError(_l("This programme is already published."), code="programme_published")
    matrix = programme_coverage(programme)
    for field, problems in matrix.problems.items():
        if problems:
            raise OperationError(problems[0], field=field, code="blueprint_invalid")
    rules = [rule for rule in programme.theory_rules if rule["count"] > 0]
    if rules:
        quiz = Quiz(
            bank_id=programme.bank_id,
            title=programme.title,
            question_keys=[],
            draw=[
                {"topic": rule["unit"], "difficulty": rule["difficulty"], "count": rule["count"]}
                for rule in rules
            ],
            pass_mark=0.0,
            time_limit_minutes=programme.theory_minutes,
            max_attempts=1,
            is_shuffling_questions=True,
            is_shuffling_options=True,
            review=ReviewPolicy.NEVER,
            is_anonymous_marking=True,
            weight=0.0,
        )
        db.session.add(quiz)
        db.session.flush()
        programme.quiz_id = quiz.id
    programme.status = ProgrammeStatus.PUBLISHED
    programme.published_dt = utcnow()
    db.session.flush()
    logger.info("programme %s published by %s", programme.id, actor.email if actor else "-")
    return programme
