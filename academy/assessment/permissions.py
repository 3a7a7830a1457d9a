"""Object rules of the assessment domain, registered with ``academy.auth.permissions``."""

from __future__ import annotations

from academy.assessment.models import QuestionBank
from academy.auth.models import Role
from academy.auth.permissions import rule

#: Roles that work with the banks of their organisation.
BANK_ROLES = (Role.TEACHER, Role.EXAMINER, Role.ORG_ADMIN)


@rule("bank.view")
def _can_view_bank(user, bank: QuestionBank) -> bool:
    return user.has_role(*BANK_ROLES, Role.MENTOR, organisation=bank.organisation)


@rule("bank.edit")
def _can_edit_bank(user, bank: QuestionBank) -> bool:
    return user.has_role(*BANK_ROLES, organisation=bank.organisation)


#: Roles that may reach the marking and quiz-management pages (object rules decide).
MARKER_ROLES = (Role.TEACHER, Role.EXAMINER, Role.ORG_ADMIN)


@rule("quiz.take")
def _can_take_quiz(user, quiz) -> bool:
    from academy.auth.permissions import can
    from academy.learning.queries import get_enrollment

    lesson = quiz.lesson
    return (
        lesson is not None
        and can(user, "lesson.view", lesson)
        and get_enrollment(user, lesson.course) is not None
    )


@rule("quiz.manage")
def _can_manage_quiz(user, quiz) -> bool:
    """Mark, release, regrade: the bank's staff, the course team, the course's teachers."""
    import sqlalchemy as sa

    from academy.auth.permissions import can
    from academy.db import db
    from academy.learning.models import SchoolClass

    if user.has_role(*MARKER_ROLES, organisation=quiz.bank.organisation):
        return True
    if quiz.lesson is None:
        return False
    if can(user, "course.edit", quiz.lesson.course):
        return True
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SchoolClass)
            .where(SchoolClass.course_id == quiz.lesson.course_id, SchoolClass.owner_id == user.id)
        )
    )


@rule("attempt.view")
def _can_view_attempt(user, attempt) -> bool:
    return attempt.user_id == user.id or _can_manage_quiz(user, attempt.quiz)
