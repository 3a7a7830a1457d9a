"""Marking by people: the queue, rubric marks, disputes, release and regrading.

Every change of a mark adds a ``MarkChange`` row (who, when, old, new, why).
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.attempts import (
    attempts_of,
    finish_if_marked,
    mark_automatically,
    report_outcome,
)
from academy.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    MarkChange,
    Question,
    QuestionVersion,
    Quiz,
)
from academy.assessment.questions import ResponseError, question_type
from academy.assessment.rubric import rubric_points
from academy.assessment.scope import EVERYONE, AttemptScope
from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth.models import User
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.assessment")


def marking_queue(quiz: Quiz, scope: AttemptScope = EVERYONE) -> list[AttemptItem]:
    """Submitted items waiting for a person: unmarked manual items and disputed items.

    Only the attempts of students in ``scope`` (the marker's, see ``scope.py``).
    """
    return list(
        db.session.scalars(
            sa.select(AttemptItem)
            .join(Attempt)
            .where(
                Attempt.quiz_id == quiz.id,
                Attempt.status == AttemptStatus.SUBMITTED,
                scope.filter(Attempt.user_id),
                sa.or_(
                    sa.and_(AttemptItem.is_manual.is_(True), AttemptItem.points.is_(None)),
                    AttemptItem.is_disputed.is_(True),
                ),
            )
            .order_by(Attempt.anonymous_code, AttemptItem.position)
        )
    )


def mark_item(
    item: AttemptItem,
    actor: User,
    *,
    points: float | None = None,
    rubric_levels: list[int] | None = None,
    feedback: str = "",
) -> None:
    """Set a person's mark on an item, from rubric levels or as points."""
    if item.attempt.status != AttemptStatus.SUBMITTED:
        raise OperationError(
            _l("Only submitted attempts can be marked."), code="attempt_not_submitted"
        )
    question = item.question
    if rubric_levels is not None and question.get("rubric"):
        try:
            points = rubric_points(question["rubric"], dict(enumerate(rubric_levels)))
        except ResponseError as error:
            raise OperationError(error.message, "rubric", code="invalid_rubric_levels") from None
    if points is None:
        raise OperationError(_l("Enter the points."), "points", code="points_missing")
    if not 0 <= points <= item.max_points:
        raise OperationError(
            _l("Points must be between 0 and %(max)s.", max=f"{item.max_points:g}"),
            "points",
            code="points_out_of_range",
        )
    old = item.points
    item.points = round(float(points), 4)
    item.rubric_levels = rubric_levels
    item.feedback = feedback.strip()
    item.marked_by = actor
    item.marked_dt = utcnow()
    item.is_disputed = False
    if old != item.points:
        db.session.add(
            MarkChange(
                attempt_item_id=item.id,
                changed_by=actor,
                old_points=old,
                new_points=item.points,
                reason="manual",
            )
        )
        record_event(
            AuditAction.MARK_CHANGED,
            actor=actor,
            subject=item.attempt.user,
            quiz=item.attempt.quiz_id,
            item=item.id,
            old=old,
            new=item.points,
        )
    finish_if_marked(item.attempt)
    logger.info("item %s marked %s by user %s", item.id, item.points, actor.id)


def dispute_item(item: AttemptItem, user: User, note: str) -> None:
    """A student asks for a second look at one marked item."""
    if item.attempt.user_id != user.id or item.attempt.status != AttemptStatus.SUBMITTED:
        raise OperationError(
            _l("You can only query marks of your own submitted attempts."), code="not_your_attempt"
        )
    note = note.strip()
    if not note:
        raise OperationError(
            _l("Say what you think is wrong with the mark."), "note", code="note_missing"
        )
    item.is_disputed = True
    item.dispute_note = note[:2000]
    db.session.flush()


def release_marks(quiz: Quiz, actor: User) -> int:
    """Let students see manual marks; report lesson outcomes that waited for them."""
    quiz.marks_released_dt = utcnow()
    db.session.flush()
    users = db.session.scalars(
        sa.select(User)
        .join(Attempt, Attempt.user_id == User.id)
        .where(Attempt.quiz_id == quiz.id, Attempt.is_fully_marked.is_(True))
        .distinct()
    ).all()
    from academy.notifications import operations as notifications

    for user in users:
        report_outcome(quiz, user)
        notifications.notify(
            user,
            notifications.NotificationKind.MARKS_RELEASED,
            url=notifications.link("assessment.show_quiz", quiz_id=quiz.id),
            title=quiz.title,
        )
    record_event(AuditAction.MARKS_RELEASED, actor=actor, subject=quiz, students=len(users))
    logger.info("marks of quiz %s released by user %s", quiz.id, actor.id)
    return len(users)


def regrade_quiz(quiz: Quiz, actor: User) -> dict[str, int]:
    """Re-mark every submitted attempt with the newest version of each question.

    An item moves to the newest version when the student's answer still fits it
    (same type, answer of a valid shape); manual marks are kept. Every changed mark is
    logged with the reason ``regrade``.
    """
    newest = dict(
        db.session.execute(
            sa.select(Question.id, QuestionVersion)
            .join(
                QuestionVersion,
                sa.and_(
                    QuestionVersion.question_id == Question.id,
                    QuestionVersion.number == Question.version_count,
                ),
            )
            .where(Question.bank_id == quiz.bank_id)
        ).all()
    )
    counts = {"items": 0, "changed": 0, "moved": 0}
    attempts = db.session.scalars(
        sa.select(Attempt).where(
            Attempt.quiz_id == quiz.id, Attempt.status == AttemptStatus.SUBMITTED
        )
    ).all()
    for attempt in attempts:
        for item in attempt.items:
            counts["items"] += 1
            latest = newest.get(item.question_version.question_id)
            if (
                latest is not None
                and latest.id != item.question_version_id
                and _fits(latest.spec, item)
            ):
                item.question_version = latest
                counts["moved"] += 1
            if item.is_manual:
                continue
            before = item.points
            mark_automatically(item, reason="regrade", actor=actor)
            if item.points != before:
                counts["changed"] += 1
        finish_if_marked(attempt)
    logger.info("quiz %s regraded by user %s: %s", quiz.id, actor.id, counts)
    return counts


def _fits(spec: dict[str, Any], item: AttemptItem) -> bool:
    if spec["type"] != item.question_version.spec["type"]:
        return False
    qtype = question_type(spec["type"])
    if item.response is None:
        return True
    try:
        qtype.validate({**spec, **item.instance}, item.response)
        qtype.grade({**spec, **item.instance}, item.response)
    except Exception:  # an answer or a draw that the new version cannot take
        return False
    return True


def mark_history(item: AttemptItem) -> list[MarkChange]:
    return list(
        db.session.scalars(
            sa.select(MarkChange)
            .where(MarkChange.attempt_item_id == item.id)
            .order_by(MarkChange.changed_dt, MarkChange.id)
        )
    )


def student_attempts(quiz: Quiz, user: User) -> list[Attempt]:
    return attempts_of(quiz, user)
