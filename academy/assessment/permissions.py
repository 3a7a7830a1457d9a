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
