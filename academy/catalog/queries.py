"""Reads about courses, lessons and revisions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.auth.models import User
from academy.catalog.models import (
    Course,
    CourseAsset,
    CoursePartner,
    CourseTeamMember,
    Lesson,
    LessonRevision,
    RevisionStatus,
)
from academy.db import db


def get_course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def get_lesson(course: Course, slug: str) -> Lesson | None:
    return db.session.scalar(
        sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == slug)
    )


def get_asset(course: Course, filename: str) -> CourseAsset | None:
    return db.session.scalar(
        sa.select(CourseAsset).where(
            CourseAsset.course_id == course.id, CourseAsset.filename == filename
        )
    )


def open_draft(lesson: Lesson, author: User) -> LessonRevision | None:
    """The author's revision of ``lesson`` that is still being worked on, if any."""
    return db.session.scalar(
        sa.select(LessonRevision)
        .where(
            LessonRevision.lesson_id == lesson.id,
            LessonRevision.author_id == author.id,
            LessonRevision.status.in_([RevisionStatus.DRAFT, RevisionStatus.RETURNED]),
        )
        .order_by(LessonRevision.number.desc())
        .limit(1)
    )


def get_revision(lesson: Lesson, number: int) -> LessonRevision | None:
    return db.session.scalar(
        sa.select(LessonRevision).where(
            LessonRevision.lesson_id == lesson.id, LessonRevision.number == number
        )
    )


def search_courses(
    text: str = "", level: str = "", tag: str = "", partner: str = ""
) -> list[Course]:
    """Listed courses matching the catalogue's search box and filters."""
    query = (
        sa.select(Course)
        .where(Course.is_listed.is_(True))
        .options(selectinload(Course.partners).selectinload(CoursePartner.organisation))
        .order_by(Course.title)
    )
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Course.title).like(pattern),
                Course.title_zh.like(f"%{text}%"),
                sa.func.lower(Course.summary).like(pattern),
                Course.summary_zh.like(f"%{text}%"),
                sa.func.lower(sa.cast(Course.tags, sa.String)).like(pattern),
            )
        )
    if level:
        query = query.where(Course.level == level)
    courses = list(db.session.scalars(query))
    if tag:
        courses = [course for course in courses if tag in course.tags]
    if partner:
        courses = [c for c in courses if any(p.organisation.slug == partner for p in c.partners)]
    return courses


def all_tags() -> list[str]:
    tags: set[str] = set()
    for course_tags in db.session.scalars(sa.select(Course.tags).where(Course.is_listed.is_(True))):
        tags.update(course_tags)
    return sorted(tags)


def courses_of(user: User) -> list[Course]:
    """Courses ``user`` helps to write."""
    return list(
        db.session.scalars(
            sa.select(Course)
            .join(CourseTeamMember)
            .where(CourseTeamMember.user_id == user.id)
            .order_by(Course.title)
        )
    )


def review_queue(user: User) -> list[LessonRevision]:
    """Proposals waiting in courses where ``user`` may review."""
    from academy.catalog.rules import REVIEWING_ROLES

    query = (
        sa.select(LessonRevision)
        .join(LessonRevision.lesson)
        .where(LessonRevision.status == RevisionStatus.PROPOSED)
        .options(selectinload(LessonRevision.author))
        .order_by(LessonRevision.proposed_dt)
    )
    if not user.is_site_admin:
        query = query.join(CourseTeamMember, CourseTeamMember.course_id == Lesson.course_id).where(
            CourseTeamMember.user_id == user.id, CourseTeamMember.role.in_(list(REVIEWING_ROLES))
        )
    return list(db.session.scalars(query))


def lesson_revisions(lesson: Lesson, statuses: Any = None) -> list[LessonRevision]:
    query = (
        sa.select(LessonRevision)
        .where(LessonRevision.lesson_id == lesson.id)
        .options(selectinload(LessonRevision.author), selectinload(LessonRevision.reviewer))
        .order_by(LessonRevision.number.desc())
    )
    if statuses is not None:
        query = query.where(LessonRevision.status.in_(list(statuses)))
    return list(db.session.scalars(query))


def course_durations(course_ids: list[int]) -> dict[int, int]:
    """Minutes of published lessons per course, for a whole catalogue page in one query."""
    rows = db.session.execute(
        sa.select(Lesson.course_id, sa.func.sum(Lesson.duration_minutes))
        .where(Lesson.course_id.in_(course_ids), Lesson.published_revision_id.is_not(None))
        .group_by(Lesson.course_id)
    )
    return {course_id: int(total or 0) for course_id, total in rows}


def course_duration_minutes(course: Course) -> int:
    return sum(lesson.duration_minutes for lesson in course.lessons if lesson.published_revision_id)
