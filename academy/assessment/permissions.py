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
    """Release marks and regrade: quiz-wide acts, for those who see every attempt."""
    from academy.assessment.scope import attempt_scope

    return attempt_scope(user, quiz).everyone


@rule("quiz.mark")
def _can_mark_quiz(user, quiz) -> bool:
    """Open the quiz's staff pages: anyone with a scope of students on it (see scope.py)."""
    from academy.assessment.scope import attempt_scope

    return attempt_scope(user, quiz).has_place


@rule("attempt.view")
def _can_view_attempt(user, attempt) -> bool:
    from academy.assessment.scope import attempt_scope

    return attempt.user_id == user.id or attempt_scope(user, attempt.quiz).covers(attempt.user_id)
