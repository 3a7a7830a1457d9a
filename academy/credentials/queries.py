"""Reads of the credentials domain: lookups, the talent-pool search, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from academy.auth.models import Organisation
from academy.credentials.models import (
    Availability,
    Certificate,
    CertificateStatus,
    ContactRequest,
    ContactStatus,
    CredentialIssuer,
    TalentProfile,
    TalentUnit,
    VerificationLookup,
)
from academy.credentials.signing import STATUS_LIST_SIZE
from academy.db import db

PAGE_SIZE = 20


def find_certificate(serial: str, surname_key: str | None = None) -> Certificate | None:
    """The certificate with ``serial`` (and that holder surname, when one is given)."""
    query = sa.select(Certificate).where(Certificate.serial == serial)
    if surname_key is not None:
        query = query.where(Certificate.holder_surname_key == surname_key)
    return db.session.scalar(query)


def certificates_of_holder(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.holder_id == user_id)
            .order_by(Certificate.issued_date.desc(), Certificate.id.desc())
        )
    )


def certificates_of_association(organisation: Organisation, limit: int = 200) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .join(CredentialIssuer)
            .where(CredentialIssuer.organisation_id == organisation.id)
            .order_by(Certificate.id.desc())
            .limit(limit)
        )
    )


def issuer_of(organisation: Organisation) -> CredentialIssuer | None:
    return db.session.scalar(
        sa.select(CredentialIssuer).where(CredentialIssuer.organisation_id == organisation.id)
    )


def revoked_bits(issuer: CredentialIssuer, list_number: int) -> list[int]:
    """Positions set in one status list: certificates revoked or superseded."""
    start = list_number * STATUS_LIST_SIZE
    indexes = db.session.scalars(
        sa.select(Certificate.status_index).where(
            Certificate.issuer_id == issuer.id,
            Certificate.status != CertificateStatus.ISSUED,
            Certificate.status_index >= start,
            Certificate.status_index < start + STATUS_LIST_SIZE,
        )
    )
    return [index - start for index in indexes]


def lookups_since(ip_address: str, since: datetime) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(VerificationLookup)
            .where(
                VerificationLookup.ip_address == ip_address,
                VerificationLookup.looked_up_dt >= since,
            )
        )
        or 0
    )


# --- graded highlights -----------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """One lab's graded record: checks met out of the checks run, best attempt."""

    title: str
    title_zh: str
    criteria_met: int
    criteria_total: int
    passed: bool


def highlights(user_id: int) -> list[Highlight]:
    """The holder's lab records, from the graded lab checks (never typed by them)."""
    from academy.catalog.models import Lesson
    from academy.labs.models import LabResult

    results = db.session.scalars(
        sa.select(LabResult).where(LabResult.user_id == user_id).order_by(LabResult.id)
    ).all()
    best: dict[int, LabResult] = {}
    for result in results:
        met = sum(1 for criterion in result.criteria if criterion.get("met"))
        current = best.get(result.lesson_id)
        if current is None or met > sum(1 for c in current.criteria if c.get("met")):
            best[result.lesson_id] = result
    items = []
    for lesson_id, result in best.items():
        lesson = db.session.get(Lesson, lesson_id)
        revision = lesson.published_revision if lesson else None
        title = revision.title if revision else (lesson.slug if lesson else "")
        title_zh = revision.title_zh if revision and revision.title_zh else title
        met = sum(1 for criterion in result.criteria if criterion.get("met"))
        items.append(Highlight(title, title_zh, met, len(result.criteria), result.passed))
    return sorted(items, key=lambda item: (not item.passed, -item.criteria_met, item.title))


def highlight_score(user_id: int) -> int:
    """Ranking weight of the holder's graded labs: passed labs count most."""
    return sum((5 if item.passed else 0) + item.criteria_met for item in highlights(user_id))


def completed_courses(user_id: int) -> list[tuple[str, str]]:
    from academy.catalog.models import Course
    from academy.learning.models import CourseCompletion

    rows = db.session.execute(
        sa.select(Course.title, Course.title_zh)
        .join(CourseCompletion, CourseCompletion.course_id == Course.id)
        .where(CourseCompletion.user_id == user_id)
        .order_by(CourseCompletion.completed_dt)
    )
    return [(title, title_zh or title) for title, title_zh in rows]


# --- the talent pool ------------------------------------------------------------


@dataclass(frozen=True)
class SearchCriteria:
    level_code: str = ""
    unit_codes: tuple[str, ...] = ()
    province: str = ""
    language: str = ""
    availability: tuple[Availability, ...] = ()
    page: int = 1


def search_pool(criteria: SearchCriteria) -> tuple[list[TalentProfile], bool]:
    """One page of opted-in holders matching every criterion, best ranked first.

    Returns the page and whether another page follows. There is no total: counting
    every match of a broad search cost more than finding the best twenty.

    Ranking: units held (ten points each) plus graded lab highlights, then the most
    recently updated profile.
    """
    query = sa.select(TalentProfile).where(TalentProfile.is_opted_in.is_(True))
    if criteria.province:
        query = query.where(TalentProfile.province == criteria.province)
    if criteria.language:
        query = query.where(TalentProfile.languages.contains(f",{criteria.language},"))
    if criteria.availability:
        query = query.where(TalentProfile.availability.in_(criteria.availability))
    if criteria.level_code:
        query = query.where(
            sa.exists().where(
                TalentUnit.profile_id == TalentProfile.id,
                TalentUnit.level_code == criteria.level_code,
            )
        )
    for unit_code in criteria.unit_codes:
        query = query.where(
            sa.exists().where(
                TalentUnit.profile_id == TalentProfile.id, TalentUnit.unit_code == unit_code
            )
        )
    page = max(criteria.page, 1)
    profiles = db.session.scalars(
        query.options(joinedload(TalentProfile.user))
        .order_by(TalentProfile.score.desc(), TalentProfile.updated_dt.desc(), TalentProfile.id)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return list(profiles[:PAGE_SIZE]), len(profiles) > PAGE_SIZE


def pool_choices() -> tuple[list[str], list[str]]:
    """The level codes and unit codes held by anyone in the pool (the search's options)."""
    levels = db.session.scalars(sa.select(TalentUnit.level_code).distinct().order_by("level_code"))
    units = db.session.scalars(sa.select(TalentUnit.unit_code).distinct().order_by("unit_code"))
    return list(levels), list(units)


def units_of_profile(profile: TalentProfile) -> list[TalentUnit]:
    return list(
        db.session.scalars(
            sa.select(TalentUnit)
            .where(TalentUnit.profile_id == profile.id)
            .order_by(TalentUnit.level_code, TalentUnit.unit_code)
        )
    )


def requests_to_holder(profile: TalentProfile) -> list[ContactRequest]:
    return list(
        db.session.scalars(
            sa.select(ContactRequest)
            .where(ContactRequest.profile_id == profile.id)
            .order_by(ContactRequest.id.desc())
        )
    )


def requests_by_recruiter(user_id: int) -> list[ContactRequest]:
    return list(
        db.session.scalars(
            sa.select(ContactRequest)
            .where(ContactRequest.recruiter_id == user_id)
            .order_by(ContactRequest.id.desc())
        )
    )


def pending_request(recruiter_id: int, profile_id: int) -> ContactRequest | None:
    return db.session.scalar(
        sa.select(ContactRequest).where(
            ContactRequest.recruiter_id == recruiter_id,
            ContactRequest.profile_id == profile_id,
            ContactRequest.status == ContactStatus.PENDING,
        )
    )


# --- association statistics (aggregates only) -------------------------------------


@dataclass(frozen=True)
class PoolStatistics:
    holders_by_level: list[tuple[str, int]]
    pooled_by_province: list[tuple[str, int]]
    requests_by_month: list[tuple[str, int]]


def association_statistics(organisation: Organisation, now: datetime) -> PoolStatistics:
    """Counts only: holders per level, pooled holders per province, requests per month."""
    in_force = (
        sa.select(Certificate.holder_id, Certificate.level_code)
        .join(CredentialIssuer)
        .where(
            CredentialIssuer.organisation_id == organisation.id,
            Certificate.status == CertificateStatus.ISSUED,
        )
        .distinct()
        .subquery()
    )
    by_level = db.session.execute(
        sa.select(in_force.c.level_code, sa.func.count())
        .group_by(in_force.c.level_code)
        .order_by(in_force.c.level_code)
    ).all()
    holders = sa.select(in_force.c.holder_id)
    by_province = db.session.execute(
        sa.select(TalentProfile.province, sa.func.count())
        .where(TalentProfile.is_opted_in.is_(True), TalentProfile.user_id.in_(holders))
        .group_by(TalentProfile.province)
        .order_by(TalentProfile.province)
    ).all()
    since = now - timedelta(days=366)
    dates = db.session.scalars(
        sa.select(ContactRequest.created_dt)
        .join(TalentProfile)
        .where(TalentProfile.user_id.in_(holders), ContactRequest.created_dt >= since)
    )
    months: dict[str, int] = {}
    for moment in dates:
        key = moment.strftime("%Y-%m")
        months[key] = months.get(key, 0) + 1
    return PoolStatistics(
        holders_by_level=[(level, count) for level, count in by_level],
        pooled_by_province=[(province, count) for province, count in by_province],
        requests_by_month=sorted(months.items()),
    )
