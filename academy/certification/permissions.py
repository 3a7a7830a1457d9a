"""Object rules of the certification domain, registered with ``academy.auth.permissions``.

The association's people act only on their own association's standards, programmes
and sittings: the org admin runs them, examiners mark, chief examiners moderate and
decide appeals, invigilators check candidates in. A school's teachers register and
follow only their own school's candidates.
"""

from __future__ import annotations

from academy.auth.models import OrganisationKind, Role
from academy.auth.permissions import rule


def _in_association(user, organisation, *roles: Role) -> bool:
    return organisation.kind == OrganisationKind.ASSOCIATION and user.has_role(
        *roles, organisation=organisation
    )


@rule("association.manage")
def _can_manage_association(user, organisation) -> bool:
    return _in_association(user, organisation, Role.ORG_ADMIN)


@rule("sitting.manage")
def _can_manage_sitting(user, sitting) -> bool:
    return _in_association(user, sitting.programme.organisation, Role.ORG_ADMIN)


@rule("sitting.invigilate")
def _can_invigilate(user, sitting) -> bool:
    return _in_association(user, sitting.programme.organisation, Role.INVIGILATOR, Role.ORG_ADMIN)


@rule("sitting.mark")
def _can_mark(user, sitting) -> bool:
    return _in_association(user, sitting.programme.organisation, Role.EXAMINER, Role.CHIEF_EXAMINER)


@rule("sitting.moderate")
def _can_moderate(user, sitting) -> bool:
    return _in_association(
        user, sitting.programme.organisation, Role.CHIEF_EXAMINER, Role.ORG_ADMIN
    )


@rule("school.register")
def _can_register_for_school(user, school) -> bool:
    return school.kind == OrganisationKind.SCHOOL and user.has_role(
        Role.TEACHER, Role.ORG_ADMIN, organisation=school
    )


@rule("sitting.decide_appeals")
def _can_decide_appeals(user, sitting) -> bool:
    return _in_association(user, sitting.programme.organisation, Role.CHIEF_EXAMINER)
