"""Whose attempts a member of staff may see and mark: the tenant rule of assessment.

A listed course is taught by many schools, so being staff of a course's quiz says
nothing about which students' work one may read. The rule:

- **Everyone's attempts** (and the quiz-wide actions, releasing marks and regrading):
  site admins; the teachers, examiners and admins of the organisation that owns the
  course (its lead partner), which decides who that is by whom it employs in those
  roles; the course's owner when the course has no owning organisation; for a quiz
  that belongs to no lesson, the staff of the question bank's organisation.
- **Their own classes' students**: a teacher, for the students enrolled through a
  class they run on the course; an organisation admin, for the classes of their
  organisation. Co-authors and reviewers from another organisation (enterprise
  mentors, partner schools' teachers) edit the course but see no student's work
  unless they run a class on it themselves.
- **Other domains** add scopes through :func:`register_scope_provider` (certification
  gives an association's examiners the candidates of their sittings).

Anything else sees nothing, whatever pages their role lets them reach.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db

#: Roles that, in the course's owning organisation, see every student's attempts.
FULL_SCOPE_ROLES = (Role.TEACHER, Role.EXAMINER, Role.ORG_ADMIN)


@dataclass(frozen=True)
class AttemptScope:
    """The students whose attempts at one quiz a user may see and mark."""

    everyone: bool = False
    user_ids: frozenset[int] = frozenset()
    #: Whether the user has a place of their own on the quiz (a class on the course, a
    #: sitting): they may open its staff pages even while no student is in scope yet.
    has_place: bool = False

    def covers(self, user_id: int) -> bool:
        return self.everyone or user_id in self.user_ids

    def filter(self, user_id_column: Any) -> Any:
        """A WHERE clause keeping rows whose ``user_id_column`` is in scope."""
        if self.everyone:
            return sa.true()
        return user_id_column.in_(sorted(self.user_ids))

    def __or__(self, other: AttemptScope) -> AttemptScope:
        return AttemptScope(
            everyone=self.everyone or other.everyone,
            user_ids=self.user_ids | other.user_ids,
            has_place=self.has_place or other.has_place,
        )


NOTHING = AttemptScope()
EVERYONE = AttemptScope(everyone=True, has_place=True)

ScopeProvider = Callable[[Any, Any], AttemptScope | None]
_PROVIDERS: list[ScopeProvider] = []


def register_scope_provider(provider: ScopeProvider) -> ScopeProvider:
    """Add ``provider(user, quiz) -> AttemptScope | None`` to every scope question.

    The hook for other domains: a provider widens a user's scope (it can never
    narrow it) and returns ``None`` when it has nothing to say about the quiz.
    """
    _PROVIDERS.append(provider)
    return provider


def attempt_scope(user: Any, quiz: Any) -> AttemptScope:
    """The scope of ``user`` over the attempts at ``quiz`` (see the module's rule)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_site_admin or _owns_quiz(user, quiz):
        return EVERYONE
    scope = _own_classes_scope(user, quiz)
    for provider in _PROVIDERS:
        extra = provider(user, quiz)
        if extra is not None:
            scope = scope | extra
    return scope


def _owns_quiz(user: Any, quiz: Any) -> bool:
    """Staff of the organisation that owns the quiz's course (or bank, without a lesson)."""
    from academy.catalog.models import TeamRole

    if quiz.lesson is None:
        return user.has_role(*FULL_SCOPE_ROLES, organisation=quiz.bank.organisation)
    course = quiz.lesson.course
    owner_org = course.lead_organisation
    if owner_org is None:
        return course.team_role(user) == TeamRole.OWNER
    return user.has_role(*FULL_SCOPE_ROLES, organisation=owner_org)


def _own_classes_scope(user: Any, quiz: Any) -> AttemptScope:
    """The students of the classes on the quiz's course that ``user`` runs."""
    from academy.learning.models import Enrollment, SchoolClass

    if quiz.lesson is None:
        return NOTHING
    admin_of = [m.organisation_id for m in user.memberships if m.role == Role.ORG_ADMIN]
    class_ids = db.session.scalars(
        sa.select(SchoolClass.id).where(
            SchoolClass.course_id == quiz.lesson.course_id,
            sa.or_(SchoolClass.owner_id == user.id, SchoolClass.organisation_id.in_(admin_of)),
        )
    ).all()
    if not class_ids:
        return NOTHING
    students = db.session.scalars(
        sa.select(Enrollment.user_id).where(
            Enrollment.course_id == quiz.lesson.course_id, Enrollment.class_id.in_(class_ids)
        )
    ).all()
    return AttemptScope(user_ids=frozenset(students), has_place=True)
