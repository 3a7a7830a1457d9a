"""Every write about enrolling, classes, progress and completion."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.questions.base import ResponseError
from academy.assessment.rubric import rubric_points
from academy.auth.models import Organisation, User
from academy.catalog.models import Course, Lesson, LessonKind
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.learning import queries
from academy.learning.grades import assignment_max_points
from academy.learning.models import (
    AssignmentSubmission,
    CourseCompletion,
    Enrollment,
    LessonProgress,
    ProgressStatus,
    SchoolClass,
)

logger = logging.getLogger("academy.learning")

# Unambiguous characters only: no 0/O or 1/I/L for codes read aloud in a classroom.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8

#: The longest gap between two lesson views that still counts as time on the lesson.
MAX_COUNTED_GAP = timedelta(minutes=30)
#: Views of the lesson last recorded closer together than this are not written again.
VIEW_RECORD_INTERVAL = timedelta(minutes=1)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


def create_class(
    course: Course,
    owner: User,
    name: str,
    term: str = "",
    organisation: Organisation | None = None,
) -> SchoolClass:
    name = name.strip()
    if not name:
        raise OperationError(_l("Enter a name for the class."), field="name", code="name_missing")
    code = new_join_code()
    while queries.get_class_by_code(code) is not None:
        code = new_join_code()
    school_class = SchoolClass(
        course=course,
        owner=owner,
        name=name,
        term=term.strip(),
        organisation=organisation,
        join_code=code,
    )
    db.session.add(school_class)
    db.session.flush()
    logger.info("class %s created for %s", school_class.id, course.slug)
    return school_class


def set_class_archived(school_class: SchoolClass, archived: bool) -> None:
    """Archive a class (its join code stops working, its records stay) or restore it."""
    school_class.is_archived = archived
    db.session.flush()
    logger.info("class %s %s", school_class.id, "archived" if archived else "restored")


def enroll(user: User, course: Course, school_class: SchoolClass | None = None) -> Enrollment:
    """Enrol ``user`` (idempotent); joining a class moves an existing enrollment into it."""
    enrollment = queries.get_enrollment(user, course)
    if enrollment is None:
        enrollment = Enrollment(user=user, course=course, school_class=school_class)
        db.session.add(enrollment)
    elif school_class is not None:
        enrollment.school_class = school_class
    db.session.flush()
    return enrollment


def self_enroll(user: User, course: Course) -> Enrollment:
    if not course.is_open or not course.is_listed:
        raise OperationError(
            _l("This course is open only to the classes that teach it."), code="course_closed"
        )
    return enroll(user, course)


def join_class(user: User, code: str) -> SchoolClass:
    """Join the class whose join code is ``code``, enrolling in its course."""
    school_class = queries.get_class_by_code(normalise_join_code(code))
    if school_class is None or school_class.is_archived:
        raise OperationError(
            _l("No class has this join code. Check it with your teacher."),
            field="join_code",
            code="unknown_join_code",
        )
    enroll(user, school_class.course, school_class)
    if school_class.organisation is not None:
        from academy.auth.models import Role
        from academy.auth.operations import add_membership

        add_membership(user, school_class.organisation, Role.STUDENT)
    logger.info("user %s joined class %s", user.id, school_class.id)
    return school_class


def join_class_at_registration(user: User, code: str) -> bool:
    """The registration form's join-code handler (see auth.operations)."""
    try:
        join_class(user, code)
    except OperationError:
        return False
    return True


def _progress(user: User, lesson: Lesson) -> LessonProgress:
    progress = queries.get_progress(user, lesson)
    if progress is None:
        progress = LessonProgress(user_id=user.id, lesson=lesson)
        db.session.add(progress)
    return progress


def record_lesson_view(
    user: User, lesson: Lesson, enrollment: Enrollment | None = None
) -> LessonProgress | None:
    """Note that ``user`` opened ``lesson``; time since the last view counts to the last lesson.

    Returns the learner's progress on ``lesson`` (None when not enrolled). ``enrollment``
    saves a query when the caller has read it already.

    Reading the same lesson again within ``VIEW_RECORD_INTERVAL`` writes nothing. The
    lesson page is the most opened page and a write serialises requests (on SQLite the
    whole database); a reload or a jump back to the same lesson changes nothing worth
    recording yet: the time it adds is counted at the next recorded view, measured from
    the last recorded one, so the time spent comes out the same within a minute.
    """
    enrollment = enrollment or queries.get_enrollment(user, lesson.course)
    if enrollment is None:
        return None
    now = utcnow()
    last_dt = enrollment.last_activity_dt
    if (
        enrollment.last_lesson_id == lesson.id
        and last_dt is not None
        and now - last_dt < VIEW_RECORD_INTERVAL
    ):
        return queries.get_progress(user, lesson)
    if enrollment.last_lesson_id is not None and last_dt is not None:
        gap = now - last_dt
        if gap <= MAX_COUNTED_GAP:
            previous = enrollment.last_lesson
            if previous is not None:
                _progress(user, previous).seconds_spent += int(gap.total_seconds())
    progress = _progress(user, lesson)
    enrollment.last_lesson = lesson
    enrollment.last_activity_dt = now
    db.session.flush()
    return progress


def complete_lesson(user: User, lesson: Lesson) -> LessonProgress:
    """Mark a reading (or a lab without a check) complete by the learner's own word."""
    if lesson.kind not in (LessonKind.READING, LessonKind.LAB):
        raise OperationError(
            _l("This lesson is completed by its quiz or assignment."),
            code="completed_by_assessment",
        )
    if lesson.kind == LessonKind.LAB and (lesson.settings or {}).get("check"):
        raise OperationError(
            _l("This lab is completed by its check: run “Check my lab” on the lesson page."),
            code="completed_by_check",
        )
    return _mark_completed(user, lesson, None)


def _mark_completed(user: User, lesson: Lesson, score_percent: float | None) -> LessonProgress:
    if queries.get_enrollment(user, lesson.course) is None:
        raise OperationError(_l("Enrol in the course first."), code="not_enrolled")
    progress = _progress(user, lesson)
    if score_percent is not None:
        progress.score_percent = max(progress.score_percent or 0.0, score_percent)
    if progress.status != ProgressStatus.COMPLETED:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_dt = utcnow()
    db.session.flush()
    check_course_completion(user, lesson.course)
    return progress


def record_lesson_outcome(
    user: User, lesson: Lesson, *, passed: bool, score_percent: float | None
) -> None:
    """A quiz or checked task finished: completes the lesson if passed, keeps the best score."""
    if passed:
        _mark_completed(user, lesson, score_percent)
        return
    progress = _progress(user, lesson)
    if score_percent is not None:
        progress.score_percent = max(progress.score_percent or 0.0, score_percent)
    db.session.flush()


def check_course_completion(user: User, course: Course) -> CourseCompletion | None:
    """Issue the completion record once every required lesson is completed."""
    existing = db.session.scalar(
        sa.select(CourseCompletion).where(
            CourseCompletion.user_id == user.id, CourseCompletion.course_id == course.id
        )
    )
    if existing is not None:
        return existing
    required = queries.required_lesson_ids(course)
    done = queries.completed_lesson_ids(user, course)
    if not required or not required <= done:
        return None
    completion = CourseCompletion(user_id=user.id, course_id=course.id, code=secrets.token_hex(8))
    db.session.add(completion)
    enrollment = queries.get_enrollment(user, course)
    if enrollment is not None:
        enrollment.completed_dt = completion.completed_dt = utcnow()
    db.session.flush()
    logger.info("user %s completed course %s", user.id, course.slug)
    return completion


MAX_SUBMISSION_BYTES = 5 * 1024 * 1024
#: The longest written answer (as the form allows); longer work is handed in as a file.
MAX_SUBMISSION_CHARS = 50_000
SUBMISSION_TYPES = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "text/plain": b"",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK\x03\x04",
}


def submit_assignment(
    user: User,
    lesson: Lesson,
    *,
    text: str = "",
    file_name: str | None = None,
    file_type: str | None = None,
    file_data: bytes | None = None,
) -> AssignmentSubmission:
    """Store (or replace, until graded) a learner's assignment; submitting completes it."""
    if lesson.kind != LessonKind.ASSIGNMENT:
        raise OperationError(_l("This lesson takes no submissions."), code="no_submissions")
    mode = lesson.settings.get("submission", "text")
    if mode == "file":
        if not file_data:
            raise OperationError(_l("Choose a file to upload."), field="file", code="file_missing")
        if len(file_data) > MAX_SUBMISSION_BYTES:
            raise OperationError(
                _l("The file is larger than 5 MB."), field="file", code="file_too_large"
            )
        signature = SUBMISSION_TYPES.get(file_type or "")
        if signature is None or not file_data.startswith(signature):
            raise OperationError(
                _l("Upload a PDF, Word, Excel, PNG, JPEG or plain-text file."),
                field="file",
                code="unsupported_file",
            )
    else:
        # A written answer: a file sent along (by a crafted form) is not stored.
        file_name = file_type = file_data = None
        if not text.strip():
            raise OperationError(
                _l("Write your answer before submitting."), field="text", code="answer_missing"
            )
    if len(text) > MAX_SUBMISSION_CHARS:
        raise OperationError(
            _l(
                "The answer is longer than %(count)s characters.", count=f"{MAX_SUBMISSION_CHARS:,}"
            ),
            field="text",
            code="answer_too_long",
        )
    submission = db.session.scalar(
        sa.select(AssignmentSubmission).where(
            AssignmentSubmission.lesson_id == lesson.id, AssignmentSubmission.user_id == user.id
        )
    )
    if submission is not None and submission.graded_dt is not None:
        raise OperationError(
            _l("Your work has been graded and can no longer be changed."), code="already_graded"
        )
    if submission is None:
        try:
            # A savepoint: of two parallel first submissions, the second fails cleanly.
            with db.session.begin_nested():
                submission = AssignmentSubmission(lesson=lesson, user_id=user.id)
                db.session.add(submission)
        except sa.exc.IntegrityError:
            raise OperationError(
                _l("Your work was just handed in from another window. Reload the page."),
                code="submitted_elsewhere",
            ) from None
    submission.text = text.strip()
    submission.file_name = file_name
    submission.file_type = file_type
    submission.file_data = file_data
    submission.submitted_dt = utcnow()
    db.session.flush()
    _mark_completed(user, lesson, None)
    _tell_the_teacher(user, lesson)
    return submission


def _tell_the_teacher(student: User, lesson: Lesson) -> None:
    """The teacher of the student's class gets a notification of work to grade."""
    from academy.learning.queries import get_enrollment
    from academy.notifications import operations as notifications

    enrollment = get_enrollment(student, lesson.course)
    school_class = enrollment.school_class if enrollment is not None else None
    if school_class is None or school_class.owner is None:
        return
    title = lesson.published_revision.title if lesson.published_revision else lesson.slug
    notifications.notify(
        school_class.owner,
        notifications.NotificationKind.SUBMISSION_TO_GRADE,
        url=notifications.link("learning.list_submissions", class_id=school_class.id),
        student=student.display_name,
        title=title,
    )


def grade_submission(
    submission: AssignmentSubmission,
    points: float | None,
    feedback: str,
    grader: User,
    rubric_levels: list[int | None] | None = None,
) -> None:
    """Grade ``submission``: points from the rubric's levels when it has one, else given.

    Raises:
        OperationError: a criterion without a level (field ``rubric``), or points outside
            0 to the assignment's maximum (field ``points``).
    """
    rubric = submission.lesson.settings.get("rubric") or []
    if rubric:
        chosen = [level for level in rubric_levels or [] if level is not None]
        if len(chosen) != len(rubric) or len(chosen) != len(rubric_levels or []):
            raise OperationError(
                _l("Choose a level for every criterion."),
                field="rubric",
                code="rubric_level_missing",
            )
        try:
            points = rubric_points(rubric, dict(enumerate(chosen)))
        except ResponseError as error:
            raise OperationError(
                error.message, field="rubric", code="invalid_rubric_levels"
            ) from None
        submission.rubric_levels = list(chosen)
    max_points = assignment_max_points(submission.lesson.settings)
    if points is None or not 0 <= points <= max_points:
        maximum = f"{max_points:g}"
        raise OperationError(
            _l("Give between 0 and %(max)s points.", max=maximum),
            field="points",
            code="points_out_of_range",
        )
    submission.points = points
    submission.feedback = feedback.strip()
    submission.graded_by_id = grader.id
    submission.graded_dt = utcnow()
    db.session.flush()
