"""Reads of the assessment domain."""

from __future__ import annotations

import sqlalchemy as sa

from academy.assessment.models import Question, QuestionBank, QuestionVersion
from academy.assessment.permissions import BANK_ROLES
from academy.auth.models import Membership, Role, User
from academy.db import db


def banks_for(user: User) -> list[QuestionBank]:
    """The banks of the organisations where ``user`` holds a staff role."""
    query = sa.select(QuestionBank).order_by(QuestionBank.name)
    if not user.is_site_admin:
        roles = [*BANK_ROLES, Role.MENTOR]
        organisations = sa.select(Membership.organisation_id).where(
            Membership.user_id == user.id, Membership.role.in_(roles)
        )
        query = query.where(QuestionBank.organisation_id.in_(organisations))
    return list(db.session.scalars(query))


def bank_questions(
    bank: QuestionBank,
    topic: str | None = None,
    kind: str | None = None,
    difficulty: int | None = None,
) -> list[Question]:
    query = sa.select(Question).where(Question.bank_id == bank.id).order_by(Question.key)
    if topic:
        query = query.where(Question.topic == topic)
    if kind:
        query = query.where(Question.type == kind)
    if difficulty:
        query = query.where(Question.difficulty == difficulty)
    return list(db.session.scalars(query))


def bank_topics(bank: QuestionBank) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Question.topic)
            .where(Question.bank_id == bank.id)
            .distinct()
            .order_by(Question.topic)
        )
    )


def question_version(question: Question, number: int | None) -> QuestionVersion | None:
    if number is None:
        return question.latest if question.versions else None
    return next((v for v in question.versions if v.number == number), None)
