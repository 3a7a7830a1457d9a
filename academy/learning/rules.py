"""Who may teach a class and see its roster."""

from __future__ import annotations

from typing import Any

from academy.auth.models import Role
from academy.auth.permissions import rule
from academy.learning.models import SchoolClass


@rule("class.teach")
def can_teach_class(user: Any, school_class: SchoolClass) -> bool:
    """The class's teacher, and the admins of the school it belongs to."""
    if school_class.owner_id == user.id:
        return True
    return school_class.organisation is not None and user.has_role(
        Role.ORG_ADMIN, organisation=school_class.organisation
    )


@rule("class.create")
def can_create_class(user: Any, _obj: Any = None) -> bool:
    return user.has_role(Role.TEACHER)
