"""Reads of the certification domain: who runs what, results for others, statistics.

``released_achievements`` is the one function the credentials domain needs: the
candidates of a released sitting who reached the level, with the standard, the level,
the units achieved and the holder, so it can issue certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import mean
from typing import Any, NamedTuple

import sqlalchemy as sa

from academy.auth.models import Membership, Organisation, OrganisationKind, Role, User
from academy.certification.marking.models import JudgedResponse, Mark, MarkRound
from academy.certification.models import (
    Candidate,
    CandidateResult,
    Programme,
    Sitting,
    Standard,
)
from academy.db import db

ASSOCIATION_ROLES = (Role.ORG_ADMIN, Role.EXAMINER, Role.CHIEF_EXAMINER, Role.INVIGILATOR)


def associations_of(user: User, *roles: Role) -> list[Organisation]:
    """Associations in which ``user`` holds one of ``roles`` (any association role if none)."""
    wanted = set(roles or ASSOCIATION_ROLES)
    found = {
        m.organisation.id: m.organisation
        for m in user.memberships
        if m.role in wanted and m.organisation.kind == OrganisationKind.ASSOCIATION
    }
    return sorted(found.values(), key=lambda org: org.name)


def standards_of(organisations: list[Organisation]) -> list[Standard]:
    ids = [org.id for org in organisations]
    return list(
        db.session.scalars(
            sa.select(Standard)
            .where(Standard.organisation_id.in_(ids))
            .order_by(Standard.code, Standard.version.desc())
        )
    )


def programmes_of(organisations: list[Organisation]) -> list[Programme]:
    ids = [org.id for org in organisations]
    return list(
        db.session.scalars(
            sa.select(Programme)
            .where(Programme.organisation_id.in_(ids))
            .order_by(Programme.id.desc())
        )
    )


def sittings_of(organisations: list[Organisation]) -> list[Sitting]:
    ids = [org.id for org in organisations]
    return list(
        db.session.scalars(
            sa.select(Sitting)
            .join(Programme, Programme.id == Sitting.programme_id)
            .where(Programme.organisation_id.in_(ids))
            .order_by(Sitting.starts_dt.desc())
        )
    )


def open_sittings() -> list[Sitting]:
    """Sittings that take self-registrations, soonest first."""
    return list(
        db.session.scalars(
            sa.select(Sitting)
            .where(Sitting.is_self_registration.is_(True), Sitting.released_dt.is_(None))
            .order_by(Sitting.starts_dt)
        )
    )


def candidacies_of(user: User) -> list[Candidate]:
    return list(
        db.session.scalars(
            sa.select(Candidate).where(Candidate.user_id == user.id).order_by(Candidate.id.desc())
        )
    )


def candidate_for(sitting: Sitting, user: User) -> Candidate | None:
    return db.session.scalar(
        sa.select(Candidate).where(Candidate.sitting_id == sitting.id, Candidate.user_id == user.id)
    )


def result_of(candidate: Candidate) -> CandidateResult | None:
    return db.session.scalar(
        sa.select(CandidateResult).where(CandidateResult.candidate_id == candidate.id)
    )


def schools_taught_by(user: User) -> list[Organisation]:
    return [
        m.organisation
        for m in user.memberships
        if m.role in (Role.TEACHER, Role.ORG_ADMIN)
        and m.organisation.kind == OrganisationKind.SCHOOL
    ]


def students_of(school: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == school.id, Membership.role == Role.STUDENT)
            .order_by(User.display_name)
        )
    )


def results_for(
    sitting: Sitting, school: Organisation | None = None
) -> list[tuple[Candidate, CandidateResult | None]]:
    """Candidates with their results; only ``school``'s candidates when it is given."""
    query = (
        sa.select(Candidate, CandidateResult)
        .outerjoin(CandidateResult, CandidateResult.candidate_id == Candidate.id)
        .where(Candidate.sitting_id == sitting.id)
        .order_by(Candidate.number)
    )
    if school is not None:
        query = query.where(Candidate.school_id == school.id)
    return [(row[0], row[1]) for row in db.session.execute(query)]


# --- for the credentials domain ------------------------------------------------------


@dataclass(frozen=True)
class Achievement:
    """A candidate who reached a level in a released sitting: what a certificate states."""

    holder: User
    candidate_number: str
    result_id: int
    sitting_id: int
    standard_code: str
    standard_version: int
    standard_title: str
    standard_title_zh: str
    level_code: str
    level_name: str
    level_name_zh: str
    units: tuple[tuple[str, str, str], ...]  # (code, title, title_zh) of every unit met
    total_percent: Decimal
    released_dt: Any


def released_achievements(sitting: Sitting) -> list[Achievement]:
    """The candidates of a released sitting who reached its level (empty if not released)."""
    if not sitting.is_released:
        return []
    programme = sitting.programme
    standard, level = programme.standard, programme.level
    found = []
    for candidate, result in results_for(sitting):
        if result is None or not result.is_level_achieved:
            continue
        found.append(
            Achievement(
                holder=candidate.user,
                candidate_number=candidate.number,
                result_id=result.id,
                sitting_id=sitting.id,
                standard_code=standard.code,
                standard_version=standard.version,
                standard_title=standard.title,
                standard_title_zh=standard.title_zh,
                level_code=level.code,
                level_name=level.name,
                level_name_zh=level.name_zh,
                units=tuple(
                    (u["code"], u["title"], u["title_zh"])
                    for u in result.units
                    if u["met"] and u["weight"]
                ),
                total_percent=Decimal(result.total_percent),
                released_dt=sitting.released_dt,
            )
        )
    return found


# --- marking ------------------------------------------------------------------------


def responses_of(sitting: Sitting) -> list[JudgedResponse]:
    return list(
        db.session.scalars(
            sa.select(JudgedResponse)
            .join(Candidate, Candidate.id == JudgedResponse.candidate_id)
            .where(Candidate.sitting_id == sitting.id)
            .order_by(Candidate.number, JudgedResponse.part_key)
        )
    )


@dataclass(frozen=True)
class MarkerStatistics:
    marker: User
    marked: int
    mean_severity: float | None  # mean of (own mark - final mark), in marks: < 0 is severe
    agreement: float | None  # share of double-marked responses within tolerance, percent


def marker_statistics(sitting: Sitting) -> list[MarkerStatistics]:
    """Per marker: responses marked, mean difference from the final mark, agreement."""
    tolerance = sitting.programme.tolerance
    per_marker: dict[int, dict[str, list[float]]] = {}
    users: dict[int, User] = {}
    for response in responses_of(sitting):
        first = response.mark_of_round(MarkRound.FIRST)
        second = response.mark_of_round(MarkRound.SECOND)
        for mark in (first, second):
            if mark is None or mark.marker is None:
                continue
            users[mark.marker.id] = mark.marker
            row = per_marker.setdefault(mark.marker.id, {"diff": [], "agree": [], "count": []})
            row["count"].append(1)
            if response.final_marks is not None:
                row["diff"].append(mark.marks - response.final_marks)
            if first is not None and second is not None:
                row["agree"].append(100.0 if abs(first.marks - second.marks) <= tolerance else 0.0)
    return [
        MarkerStatistics(
            marker=users[marker_id],
            marked=len(row["count"]),
            mean_severity=round(mean(row["diff"]), 2) if row["diff"] else None,
            agreement=round(mean(row["agree"]), 1) if row["agree"] else None,
        )
        for marker_id, row in sorted(
            per_marker.items(), key=lambda item: users[item[0]].display_name
        )
    ]


def marks_by(marker: User, sitting: Sitting) -> list[Mark]:
    return list(
        db.session.scalars(
            sa.select(Mark)
            .join(JudgedResponse, JudgedResponse.id == Mark.response_id)
            .join(Candidate, Candidate.id == JudgedResponse.candidate_id)
            .where(Candidate.sitting_id == sitting.id, Mark.marker_id == marker.id)
        )
    )


class UnitReference(NamedTuple):
    code: str
    title: str
    title_zh: str


def lesson_units() -> dict[str, list[UnitReference]]:
    """``course/lesson`` -> the units (code, title, title_zh) of the newest standards it serves."""
    from academy.certification.standards.models import StandardUnit

    newest = (
        sa.select(
            Standard.organisation_id, Standard.code, sa.func.max(Standard.version).label("version")
        )
        .group_by(Standard.organisation_id, Standard.code)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            StandardUnit.code, StandardUnit.title, StandardUnit.title_zh, StandardUnit.lessons
        )
        .join(Standard, Standard.id == StandardUnit.standard_id)
        .join(
            newest,
            sa.and_(
                newest.c.organisation_id == Standard.organisation_id,
                newest.c.code == Standard.code,
                newest.c.version == Standard.version,
            ),
        )
        .order_by(StandardUnit.position)
    )
    found: dict[str, list[UnitReference]] = {}
    for code, title, title_zh, lessons in rows:
        for reference in lessons:
            found.setdefault(reference, []).append(UnitReference(code, title, title_zh))
    return found
