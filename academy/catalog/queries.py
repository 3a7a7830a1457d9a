"""Reads about courses, lessons and revisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import selectinload

from academy.auth.models import Membership, Organisation, User
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


def all_tags() -> list[tuple[str, str]]:
    """Every tag of a listed course, sorted, with a Chinese name one of the courses gives."""
    names: dict[str, str] = {}
    for tags, tags_zh in db.session.execute(
        sa.select(Course.tags, Course.tags_zh).where(Course.is_listed.is_(True))
    ):
        for index, tag in enumerate(tags):
            chinese = tags_zh[index] if index < len(tags_zh or []) else ""
            names[tag] = names.get(tag) or chinese
    return sorted(names.items())


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


# --- the lesson page: a fixed number of statements whatever the course's size ----------


def get_lesson_for_page(course_slug: str, lesson_slug: str) -> Lesson | None:
    """The lesson with its course, module and published revision, in one statement."""
    return db.session.scalar(
        sa.select(Lesson)
        .join(Lesson.course)
        .where(Course.slug == course_slug, Lesson.slug == lesson_slug)
        .options(
            orm.contains_eager(Lesson.course),
            orm.joinedload(Lesson.module),
            orm.joinedload(Lesson.published_revision),
        )
    )


@dataclass(frozen=True)
class LessonLink:
    """A published lesson as a link: its slug and its published titles."""

    slug: str
    title: str
    title_zh: str

    @property
    def published_revision(self) -> LessonLink:
        return self  # templates name a lesson's title as lesson.published_revision.title


def published_lesson_links(course: Course) -> list[LessonLink]:
    """The course's published lessons in reading order, titles only (no bodies)."""
    rows = db.session.execute(
        sa.select(Lesson.slug, LessonRevision.title, LessonRevision.title_zh)
        .join(Lesson.published_revision)
        .where(Lesson.course_id == course.id)
        .order_by(Lesson.position)
    )
    return [LessonLink(*row) for row in rows]


def lesson_credits(lesson: Lesson) -> list[tuple[str, str]]:
    """(name, organisation) of everyone who wrote a published revision of the lesson.

    Package credits name a partner organisation by slug; a web author is shown with the
    organisation of their first membership. Three statements, however many revisions.
    """
    partners = dict(
        db.session.execute(
            sa.select(Organisation.slug, Organisation.name)
            .join(CoursePartner, CoursePartner.organisation_id == Organisation.id)
            .where(CoursePartner.course_id == lesson.course_id)
        ).all()
    )
    revisions = db.session.execute(
        sa.select(LessonRevision.credits, LessonRevision.author_id, User.display_name)
        .outerjoin(User, User.id == LessonRevision.author_id)
        .where(
            LessonRevision.lesson_id == lesson.id,
            LessonRevision.status == RevisionStatus.PUBLISHED,
        )
        .order_by(LessonRevision.number)
    ).all()
    authors = {row.author_id for row in revisions if row.author_id is not None}
    organisations: dict[int, str] = {}
    for user_id, name in db.session.execute(
        sa.select(Membership.user_id, Organisation.name)
        .join(Membership.organisation)
        .where(Membership.user_id.in_(authors))
        .order_by(Membership.id.desc())
    ):
        organisations[user_id] = name  # the first membership is written last
    seen: list[tuple[str, str]] = []
    for row in revisions:
        people = [
            (credit.get("name", ""), partners.get(credit.get("organisation", ""), ""))
            for credit in row.credits
        ]
        if row.author_id is not None:
            people.append((row.display_name, organisations.get(row.author_id, "")))
        for person in people:
            if person[0] and person not in seen:
                seen.append(person)
    return seen


def published_lessons_with_titles(course: Course) -> list[Lesson]:
    """The course's published lessons in order, their published titles loaded with them.

    Also loads the organisations of the course's partners, so ``course.partners`` and each
    partner's organisation cost one statement between them, whatever their number.
    """
    db.session.scalars(
        sa.select(Organisation)
        .join(CoursePartner, CoursePartner.organisation_id == Organisation.id)
        .where(CoursePartner.course_id == course.id)
    ).all()
    return list(
        db.session.scalars(
            sa.select(Lesson)
            .where(Lesson.course_id == course.id, Lesson.published_revision_id.is_not(None))
            .options(
                orm.joinedload(Lesson.published_revision).load_only(
                    LessonRevision.title, LessonRevision.title_zh
                )
            )
            .order_by(Lesson.position)
        )
    )
