"""Reads about enrollments, classes and progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, joinedload

from academy.auth.models import Role, User
from academy.catalog.models import Course, Lesson, LessonKind, LessonRevision, Module
from academy.db import db, utcnow
from academy.learning.models import (
    AssignmentSubmission,
    CourseCompletion,
    Enrollment,
    LessonProgress,
    ProgressStatus,
    SchoolClass,
)


def get_enrollment(user: User, course: Course) -> Enrollment | None:
    return db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == course.id
        )
    )


def enrolled_course_ids(user: User) -> set[int]:
    """Every course ``user`` is enrolled in, in one query (the catalogue marks them)."""
    return set(
        db.session.scalars(sa.select(Enrollment.course_id).where(Enrollment.user_id == user.id))
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


# --- the student's dashboard ----------------------------------------------------------


@dataclass(frozen=True)
class CourseProgress:
    """One enrolled course as its learner sees it on the dashboard."""

    enrollment: Enrollment
    required: int
    completed: int
    completion: CourseCompletion | None

    @property
    def course(self) -> Course:
        return self.enrollment.course

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.required) if self.required else 0


def _required_lessons_clause() -> list[sa.ColumnElement[bool]]:
    return [
        Lesson.is_required.is_(True),
        Module.is_required.is_(True),
        Lesson.published_revision_id.is_not(None),
    ]


def learner_courses(user: User) -> list[CourseProgress]:
    """Every course ``user`` is enrolled in, with progress, in four queries."""
    enrollments = list(
        db.session.scalars(
            sa.select(Enrollment)
            .where(Enrollment.user_id == user.id)
            .options(
                joinedload(Enrollment.course),
                joinedload(Enrollment.school_class),
                joinedload(Enrollment.last_lesson)
                .joinedload(Lesson.published_revision)
                .load_only(LessonRevision.title, LessonRevision.title_zh),
            )
            .order_by(Enrollment.last_activity_dt.desc().nulls_last(), Enrollment.id.desc())
        ).unique()
    )
    course_ids = [enrollment.course_id for enrollment in enrollments]
    if not course_ids:
        return []
    required = dict(
        db.session.execute(
            sa.select(Lesson.course_id, sa.func.count(Lesson.id))
            .join(Lesson.module)
            .where(Lesson.course_id.in_(course_ids), *_required_lessons_clause())
            .group_by(Lesson.course_id)
        ).all()
    )
    completed = dict(
        db.session.execute(
            sa.select(Lesson.course_id, sa.func.count(Lesson.id))
            .join(Lesson.module)
            .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(
                Lesson.course_id.in_(course_ids),
                LessonProgress.user_id == user.id,
                LessonProgress.status == ProgressStatus.COMPLETED,
                *_required_lessons_clause(),
            )
            .group_by(Lesson.course_id)
        ).all()
    )
    completions = {
        completion.course_id: completion
        for completion in db.session.scalars(
            sa.select(CourseCompletion).where(CourseCompletion.user_id == user.id)
        )
    }
    return [
        CourseProgress(
            enrollment=enrollment,
            required=required.get(enrollment.course_id, 0),
            completed=completed.get(enrollment.course_id, 0),
            completion=completions.get(enrollment.course_id),
        )
        for enrollment in enrollments
    ]


# --- classes for their teachers ---------------------------------------------------------


def get_class(class_id: int) -> SchoolClass | None:
    return db.session.get(SchoolClass, class_id, options=[joinedload(SchoolClass.course)])


def teacher_classes(user: User) -> list[tuple[SchoolClass, int]]:
    """Classes ``user`` may teach (own classes, their schools' classes as org admin; all
    for site admins), each with its number of students, newest first."""
    query = sa.select(SchoolClass).options(
        joinedload(SchoolClass.course), joinedload(SchoolClass.owner)
    )
    if not user.is_site_admin:
        admin_of = [m.organisation_id for m in user.memberships if m.role == Role.ORG_ADMIN]
        query = query.where(
            sa.or_(SchoolClass.owner_id == user.id, SchoolClass.organisation_id.in_(admin_of))
        )
    classes = list(db.session.scalars(query.order_by(SchoolClass.created_dt.desc())).unique())
    counts = dict(
        db.session.execute(
            sa.select(Enrollment.class_id, sa.func.count(Enrollment.id))
            .where(Enrollment.class_id.in_([c.id for c in classes]))
            .group_by(Enrollment.class_id)
        ).all()
    )
    return [(school_class, counts.get(school_class.id, 0)) for school_class in classes]


def courses_for_new_class() -> list[Course]:
    return list(
        db.session.scalars(
            sa.select(Course).where(Course.is_listed.is_(True)).order_by(Course.title)
        )
    )


#: A lesson started this long ago and still not completed marks its learner as stuck.
STUCK_AFTER = timedelta(days=7)
#: No activity for this long marks a learner as inactive.
INACTIVE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class ClassLesson:
    id: int
    slug: str
    position: int
    title: str
    title_zh: str
    kind: LessonKind
    is_required: bool
    module_title: str
    module_title_zh: str


@dataclass
class StudentRow:
    """One student of a class and their state in each lesson."""

    enrollment: Enrollment
    statuses: dict[int, ProgressStatus] = field(default_factory=dict)
    last_activity_dt: datetime | None = None
    stuck_lesson_ids: list[int] = field(default_factory=list)
    completed_required: int = 0

    @property
    def user(self) -> User:
        return self.enrollment.user

    def status(self, lesson_id: int) -> ProgressStatus | None:
        return self.statuses.get(lesson_id)


@dataclass
class ClassProgress:
    """Everything the class dashboard shows, read in a fixed number of queries."""

    school_class: SchoolClass
    lessons: list[ClassLesson]
    students: list[StudentRow]
    required_count: int
    now: datetime

    @property
    def stuck(self) -> list[StudentRow]:
        return [row for row in self.students if row.stuck_lesson_ids]

    @property
    def inactive(self) -> list[StudentRow]:
        cutoff = self.now - INACTIVE_AFTER
        return [
            row
            for row in self.students
            if row.last_activity_dt is None or row.last_activity_dt < cutoff
        ]

    def lesson(self, lesson_id: int) -> ClassLesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def completed_count(self, lesson_id: int) -> int:
        return sum(
            1 for row in self.students if row.statuses.get(lesson_id) == ProgressStatus.COMPLETED
        )


def class_lessons(course_id: int) -> list[ClassLesson]:
    """The published lessons of a course in syllabus order, with their current titles."""
    rows = db.session.execute(
        sa.select(
            Lesson.id,
            Lesson.slug,
            Lesson.position,
            LessonRevision.title,
            LessonRevision.title_zh,
            Lesson.kind,
            sa.and_(Lesson.is_required, Module.is_required),
            Module.title,
            Module.title_zh,
        )
        .join(Lesson.module)
        .join(LessonRevision, LessonRevision.id == Lesson.published_revision_id)
        .where(Lesson.course_id == course_id)
        .order_by(Module.position, Lesson.position, Lesson.id)
    ).all()
    return [ClassLesson(*row) for row in rows]


def class_progress(school_class: SchoolClass, now: datetime | None = None) -> ClassProgress:
    """The roster of ``school_class`` with every student's state in every lesson.

    Three queries whatever the size of the class: the lessons, the enrollments with
    their users, and the progress rows (as plain tuples) of the class's students.
    """
    now = now or utcnow()
    lessons = class_lessons(school_class.course_id)
    lesson_ids = {lesson.id for lesson in lessons}
    required_ids = {lesson.id for lesson in lessons if lesson.is_required}
    enrollments = db.session.scalars(
        sa.select(Enrollment)
        .join(Enrollment.user)
        .where(Enrollment.class_id == school_class.id)
        .options(contains_eager(Enrollment.user))
        .order_by(User.display_name, User.id)
    ).all()
    rows = {
        enrollment.user_id: StudentRow(
            enrollment=enrollment, last_activity_dt=enrollment.last_activity_dt
        )
        for enrollment in enrollments
    }
    class_students = sa.select(Enrollment.user_id).where(Enrollment.class_id == school_class.id)
    progress = db.session.execute(
        sa.select(
            LessonProgress.user_id,
            LessonProgress.lesson_id,
            LessonProgress.status,
            LessonProgress.started_dt,
            LessonProgress.completed_dt,
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(
            Lesson.course_id == school_class.course_id,
            LessonProgress.user_id.in_(class_students),
        )
    )
    stuck_before = now - STUCK_AFTER
    for user_id, lesson_id, status, started_dt, completed_dt in progress:
        row = rows.get(user_id)
        if row is None:
            continue
        row.statuses[lesson_id] = status
        latest = completed_dt or started_dt
        if row.last_activity_dt is None or latest > row.last_activity_dt:
            row.last_activity_dt = latest
        if status == ProgressStatus.COMPLETED:
            if lesson_id in required_ids:
                row.completed_required += 1
        elif started_dt < stuck_before and lesson_id in lesson_ids:
            row.stuck_lesson_ids.append(lesson_id)
    return ClassProgress(
        school_class=school_class,
        lessons=lessons,
        students=list(rows.values()),
        required_count=len(required_ids),
        now=now,
    )


# --- assignment submissions of a class ------------------------------------------------


def class_submissions(
    school_class: SchoolClass, lesson_id: int | None = None
) -> list[AssignmentSubmission]:
    """Submissions by the class's students to its course, ungraded first (no file data)."""
    query = (
        sa.select(AssignmentSubmission)
        .join(AssignmentSubmission.lesson)
        .join(
            Enrollment,
            sa.and_(
                Enrollment.user_id == AssignmentSubmission.user_id,
                Enrollment.class_id == school_class.id,
            ),
        )
        .where(Lesson.course_id == school_class.course_id)
        .options(
            defer(AssignmentSubmission.file_data),
            contains_eager(AssignmentSubmission.lesson),
            joinedload(AssignmentSubmission.user),
        )
        .order_by(
            AssignmentSubmission.graded_dt.is_not(None),
            AssignmentSubmission.submitted_dt,
            AssignmentSubmission.id,
        )
    )
    if lesson_id is not None:
        query = query.where(AssignmentSubmission.lesson_id == lesson_id)
    return list(db.session.scalars(query).unique())


def get_class_submission(
    school_class: SchoolClass, submission_id: int
) -> AssignmentSubmission | None:
    """The submission if it was made by a student of the class for its course."""
    submission = db.session.get(AssignmentSubmission, submission_id)
    if submission is None or submission.lesson.course_id != school_class.course_id:
        return None
    in_class = db.session.scalar(
        sa.select(Enrollment.id).where(
            Enrollment.user_id == submission.user_id, Enrollment.class_id == school_class.id
        )
    )
    return submission if in_class is not None else None


def class_size(school_class: SchoolClass) -> int:
    """How many students are enrolled in the class (one COUNT query)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Enrollment.id)).where(Enrollment.class_id == school_class.id)
        )
        or 0
    )
