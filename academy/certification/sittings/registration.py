"""Scheduling sittings and registering candidates (self, by a teacher, from a CSV list).

Every refusal is an ``OperationError`` naming the form field, and nothing is written:
a CSV upload with one bad line registers nobody and reports every bad line.
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.auth.models import Organisation, OrganisationKind, Role, User
from academy.certification.programmes.models import Programme
from academy.certification.sittings.models import Candidate, Sitting
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")


def create_sitting(
    programme: Programme,
    *,
    title: str,
    starts_dt: datetime,
    ends_dt: datetime,
    seats: int,
    room: str = "",
    late_start_minutes: int = 30,
    earliest_finish_minutes: int = 0,
    is_self_registration: bool = False,
    eligibility: dict[str, Any] | None = None,
    appeal_days: int = 14,
) -> Sitting:
    """Schedule a sitting of a published programme."""
    if not programme.is_published:
        raise OperationError(
            _l("Publish the programme first."), field="programme", code="programme_not_published"
        )
    if ends_dt <= starts_dt:
        raise OperationError(
            _l("The sitting must end after it starts."), field="ends_dt", code="ends_before_start"
        )
    if seats < 1:
        raise OperationError(
            _l("A sitting needs at least one seat."), field="seats", code="no_seats"
        )
    sitting = Sitting(
        programme=programme,
        title=title.strip() or programme.title,
        starts_dt=starts_dt,
        ends_dt=ends_dt,
        room=room.strip(),
        seats=seats,
        late_start_minutes=late_start_minutes,
        earliest_finish_minutes=earliest_finish_minutes,
        is_self_registration=is_self_registration,
        eligibility=eligibility or {},
        appeal_days=appeal_days,
    )
    db.session.add(sitting)
    db.session.flush()
    logger.info("sitting %s scheduled for programme %s", sitting.id, programme.id)
    return sitting


def registered_count(sitting: Sitting) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Candidate).where(Candidate.sitting_id == sitting.id)
    ).scalar_one()


def change_seats(sitting: Sitting, seats: int) -> None:
    """Change the number of seats; never below the candidates already registered."""
    taken = registered_count(sitting)
    if seats < max(1, taken):
        raise OperationError(
            _l(
                "%(taken)s candidates are registered; the sitting needs at least that many seats.",
                taken=taken,
            ),
            field="seats",
            code="seats_below_registrations",
        )
    sitting.seats = seats
    db.session.flush()


def _lock_sitting(sitting: Sitting) -> None:
    # Serialises registrations, so two at once cannot both take the last seat.
    db.session.execute(sa.select(Sitting.id).where(Sitting.id == sitting.id).with_for_update())


def _candidate_number() -> str:
    return "C" + secrets.token_hex(4).upper()


def _school_of(user: User) -> Organisation | None:
    for membership in user.memberships:
        if (
            membership.role == Role.STUDENT
            and membership.organisation.kind == OrganisationKind.SCHOOL
        ):
            return membership.organisation
    return None


def register_candidate(
    sitting: Sitting,
    user: User,
    registered_by: User | None,
    school: Organisation | None = None,
    now: datetime | None = None,
) -> Candidate:
    """Register one person; refused once the sitting started, when full, or twice."""
    now = now or utcnow()
    if sitting.has_started(now):
        raise OperationError(
            _l("This sitting has started; registration is closed."),
            field="email",
            code="registration_closed",
        )
    _lock_sitting(sitting)
    existing = db.session.scalar(
        sa.select(Candidate).where(Candidate.sitting_id == sitting.id, Candidate.user_id == user.id)
    )
    if existing is not None:
        raise OperationError(
            _l("%(name)s is already registered for this sitting.", name=user.display_name),
            field="email",
            code="already_registered",
        )
    if registered_count(sitting) >= sitting.seats:
        raise OperationError(
            _l("Every seat of this sitting is taken."), field="email", code="sitting_full"
        )
    candidate = Candidate(
        sitting=sitting,
        user=user,
        school=school or _school_of(user),
        number=_candidate_number(),
        registered_by_id=registered_by.id if registered_by else None,
        registered_dt=now,
    )
    db.session.add(candidate)
    db.session.flush()
    logger.info("candidate %s registered for sitting %s", candidate.number, sitting.id)
    return candidate


def eligibility_problem(sitting: Sitting, user: User) -> str | None:
    """Why ``user`` may not register themselves (``None``: they may)."""
    from academy.catalog.models import Course
    from academy.learning.models import Enrollment

    rules = sitting.eligibility or {}
    if not sitting.is_self_registration:
        return str(
            _l("Candidates of this sitting are registered by their school or the association.")
        )
    course_slug = rules.get("completed_course")
    if course_slug:
        completed = db.session.scalar(
            sa.select(Enrollment.id)
            .join(Course, Course.id == Enrollment.course_id)
            .where(
                Enrollment.user_id == user.id,
                Course.slug == course_slug,
                Enrollment.completed_dt.is_not(None),
            )
        )
        if completed is None:
            return str(
                _l(
                    "Only candidates who completed the course %(course)s may register.",
                    course=course_slug,
                )
            )
    org_slug = rules.get("member_of")
    if org_slug and not any(m.organisation.slug == org_slug for m in user.memberships):
        return str(_l("Only members of %(organisation)s may register.", organisation=org_slug))
    return None


def self_register(sitting: Sitting, user: User, now: datetime | None = None) -> Candidate:
    problem = eligibility_problem(sitting, user)
    if problem:
        raise OperationError(problem, code="not_eligible")
    return register_candidate(sitting, user, user, now=now)


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


class CandidateListError(OperationError):
    """A candidate list with bad lines: nobody was registered."""

    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__(
            _l("No candidate was registered: fix the lines listed and upload again."),
            field="candidates",
            code="candidate_list_invalid",
        )
        self.problems = problems


def register_from_csv(
    sitting: Sitting, text: str, registered_by: User, school: Organisation | None = None
) -> list[Candidate]:
    """Register everyone in a CSV (column ``email``, optional ``extra_minutes``), or nobody."""
    from academy.auth.queries import get_user_by_email

    rows = list(csv.DictReader(io.StringIO(text)))
    problems: list[LineProblem] = []
    wanted: list[tuple[User, int]] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        email = (row.get("email") or "").strip().lower()
        user = get_user_by_email(email) if email else None
        extra = (row.get("extra_minutes") or "0").strip()
        if not email:
            problems.append(LineProblem(line, str(_l("no e-mail address"))))
        elif user is None:
            problems.append(
                LineProblem(line, str(_l("no account has the e-mail %(email)s", email=email)))
            )
        elif email in seen:
            problems.append(LineProblem(line, str(_l("%(email)s is listed twice", email=email))))
        elif not extra.isdigit():
            problems.append(LineProblem(line, str(_l("extra_minutes must be a whole number"))))
        else:
            wanted.append((user, int(extra)))
        seen.add(email)
    if not rows and not problems:
        problems.append(LineProblem(1, str(_l("the list has a header line but no candidates"))))
    if problems:
        raise CandidateListError(problems)
    candidates = []
    with db.session.begin_nested():
        for number, (user, extra) in enumerate(wanted, start=2):
            try:
                candidate = register_candidate(sitting, user, registered_by, school)
            except OperationError as error:
                problems.append(LineProblem(number, str(error.message)))
                continue
            candidate.extra_minutes = extra
            candidates.append(candidate)
        if problems:
            raise CandidateListError(problems)
    return candidates
