"""Reads about enrollments, classes and progress."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import User
from academy.catalog.models import Course, Lesson, Module
from academy.db import db
from academy.learning.models import Enrollment, LessonProgress, ProgressStatus, SchoolClass


def get_enrollment(user: User, course: Course) -> Enrollment | None:
    return db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == course.id
        )
    )


def get_class_by_code(code: str) -> SchoolClass | None:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.join_code == code))


def get_progress(user: User, lesson: Lesson) -> LessonProgress | None:
    return db.session.scalar(
        sa.select(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id
        )
    )


def required_lesson_ids(course: Course) -> set[int]:
    """Lessons a learner must complete: required lessons of required modules."""
    return set(
        db.session.scalars(
            sa.select(Lesson.id)
            .join(Lesson.module)
            .where(
                Lesson.course_id == course.id,
                Lesson.is_required.is_(True),
                Module.is_required.is_(True),
                Lesson.published_revision_id.is_not(None),
            )
        )
    )


def completed_lesson_ids(user: User, course: Course) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(LessonProgress.lesson_id)
            .join(LessonProgress.lesson)
            .where(
                LessonProgress.user_id == user.id,
                Lesson.course_id == course.id,
                LessonProgress.status == ProgressStatus.COMPLETED,
            )
        )
    )
