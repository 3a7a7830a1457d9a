"""Attempts: start (draw once), save answers, submit (once), and the grade kept.

The server holds the deadline: ``started + time limit``, capped by the quiz's close
date. A save after it is refused and changes nothing; the attempt counts as submitted
at its deadline with what was saved, which ``close_expired_attempts`` (or the next look
at the attempt) records. Submitting is a conditional update, so two submits count once.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    GradeKept,
    MarkChange,
    Question,
    QuestionVersion,
    Quiz,
    ReviewPolicy,
)
from academy.assessment.questions import ResponseError, question_type
from academy.auth.models import User
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.assessment")
FIELD_NAME = re.compile(r"^q(\d+)(?:-|$)")


class DeadlinePassed(OperationError):
    """A save or submit after the server-held deadline; nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            _l(
                "The time for this attempt is over. Your answer was not saved; the answers "
                "saved before the deadline have been submitted."
            ),
            code="deadline_passed",
        )


class AttemptClosed(OperationError):
    def __init__(self) -> None:
        super().__init__(_l("This attempt has already been submitted."), code="attempt_submitted")


# --- drawing ---------------------------------------------------------------------------


def _latest_versions(quiz: Quiz) -> list[tuple[Question, QuestionVersion]]:
    """Every live question of the quiz's bank with its newest version (one query)."""
    rows = db.session.execute(
        sa.select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            sa.and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.number == Question.version_count,
            ),
        )
        .where(Question.bank_id == quiz.bank_id, Question.is_retired.is_(False))
        .order_by(Question.key)
    ).all()
    return [(row[0], row[1]) for row in rows]


def draw_questions(
    quiz: Quiz, rng: random.Random, pool: list[tuple[Question, QuestionVersion]] | None = None
) -> list[QuestionVersion]:
    """The fixed questions, then each draw's picks, shuffled if the quiz says so."""
    pool = pool if pool is not None else _latest_versions(quiz)
    by_key = {question.key: version for question, version in pool}
    chosen: list[QuestionVersion] = []
    taken: set[str] = set()
    for key in quiz.question_keys:
        if key not in by_key:
            raise OperationError(
                _l("A question of this quiz is missing from its bank."), code="question_missing"
            )
        chosen.append(by_key[key])
        taken.add(key)
    for rule in quiz.draw:
        candidates = [
            (question.key, version)
            for question, version in pool
            if question.topic == rule["topic"]
            and question.key not in taken
            and ("difficulty" not in rule or question.difficulty == rule["difficulty"])
        ]
        if len(candidates) < rule["count"]:
            raise OperationError(
                _l("The question bank has too few questions for this quiz."), code="bank_too_small"
            )
        for key, version in rng.sample(candidates, rule["count"]):
            chosen.append(version)
            taken.add(key)
    if quiz.is_shuffling_questions:
        rng.shuffle(chosen)
    return chosen


# --- starting --------------------------------------------------------------------------


def attempts_of(quiz: Quiz, user: User) -> list[Attempt]:
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
            .order_by(Attempt.number)
        )
    )


def quiz_is_open(quiz: Quiz, now: datetime) -> bool:
    return (quiz.open_dt is None or quiz.open_dt <= now) and (
        quiz.close_dt is None or now < quiz.close_dt
    )


def start_attempt(quiz: Quiz, user: User, now: datetime | None = None) -> Attempt:
    """Resume the open attempt, or start a new one: draw and store everything once."""
    now = now or utcnow()
    previous = attempts_of(quiz, user)
    for attempt in previous:
        if attempt.status == AttemptStatus.IN_PROGRESS:
            if not is_expired(attempt, now):
                return attempt
            submit_attempt(attempt, now)
    if not quiz_is_open(quiz, now):
        raise OperationError(_l("This quiz is not open."), code="quiz_closed")
    if quiz.max_attempts is not None and len(previous) >= quiz.max_attempts:
        raise OperationError(_l("You have used every attempt at this quiz."), code="no_attempts")
    seed = secrets.token_hex(8)
    versions = draw_questions(quiz, random.Random(f"{seed}:draw"))
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.close_dt is not None:
        deadline = min(deadline, quiz.close_dt) if deadline else quiz.close_dt
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user.id,
        number=len(previous) + 1,
        seed=seed,
        anonymous_code=secrets.token_hex(4).upper(),
        status=AttemptStatus.IN_PROGRESS,
        started_dt=now,
        deadline_dt=deadline,
        max_points=0.0,
    )
    db.session.add(attempt)
    db.session.flush()
    rows: list[dict[str, Any]] = []
    for position, version in enumerate(versions, start=1):
        spec = version.spec
        qtype = question_type(spec["type"])
        rng = random.Random(f"{seed}:{spec['id']}")
        rows.append(
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_version_id": version.id,
                "instance": qtype.instantiate(spec, rng, quiz.is_shuffling_options),
                "max_points": qtype.max_points(spec),
                "is_manual": qtype.is_manual,
                "is_disputed": False,
                "is_flagged": False,
                "dispute_note": "",
                "feedback": "",
            }
        )
    if rows:
        db.session.execute(sa.insert(AttemptItem), rows)
    attempt.max_points = sum(row["max_points"] for row in rows)
    attempt.has_manual_items = any(row["is_manual"] for row in rows)
    db.session.flush()
    logger.info("attempt %s started: quiz %s, user %s", attempt.id, quiz.id, user.id)
    return attempt


# --- saving ----------------------------------------------------------------------------


def is_expired(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_dt is not None and now >= attempt.deadline_dt


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int | None:
    if attempt.deadline_dt is None:
        return None
    return max(0, int((attempt.deadline_dt - (now or utcnow())).total_seconds()))


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)  # positions whose answer changed
    errors: dict[int, Any] = field(default_factory=dict)  # position → message


def save_answers(
    attempt: Attempt,
    form: Mapping[str, Any],
    positions: list[int] | None = None,
    now: datetime | None = None,
) -> SaveResult:
    """Store the answers posted for ``positions`` (all if None); refuse wrong shapes.

    Each question's fields are named ``q<position>`` (and ``q<position>-<part>``). A
    question whose answer has the wrong shape keeps its previous answer and is
    reported in ``errors``; the others are saved.
    """
    now = now or utcnow()
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed()
    if is_expired(attempt, now):
        raise DeadlinePassed()
    if positions is None:  # only the questions the form carries fields for
        positions = [int(match.group(1)) for name in form if (match := FIELD_NAME.match(name))]
    result = SaveResult()
    flags_changed = False
    for item in attempt.items:
        if item.position not in positions:
            continue
        # A flag box left unticked sends nothing: the questions posted say which to read.
        flagged = f"flag-{item.position}" in form
        if flagged != item.is_flagged:
            item.is_flagged = flagged
            flags_changed = True
        question = item.question
        try:
            response = question_type(question["type"]).parse_form(
                question, form, f"q{item.position}"
            )
        except ResponseError as error:
            result.errors[item.position] = error.message
            continue
        if response != item.response:
            item.response = response
            item.saved_dt = now
            result.saved.append(item.position)
    if result.saved:
        attempt.saved_dt = now
    if result.saved or flags_changed:
        db.session.flush()
    return result


# --- submitting and marking ------------------------------------------------------------


def submit_attempt(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit with what was saved and mark what can be marked automatically.

    Returns False (and changes nothing) if the attempt was already submitted.
    """
    now = now or utcnow()
    submitted_at = min(now, attempt.deadline_dt) if attempt.deadline_dt else now
    claimed = db.execute_dml(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=AttemptStatus.SUBMITTED, submitted_dt=submitted_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if not claimed:
        return False
    for item in attempt.items:
        mark_automatically(item, reason="auto")
    finish_if_marked(attempt)
    logger.info("attempt %s submitted", attempt.id)
    return True


def mark_automatically(item: AttemptItem, reason: str, actor: User | None = None) -> None:
    question = item.question
    qtype = question_type(question["type"])
    try:
        score = qtype.grade(question, item.response)
    except ResponseError:
        score = qtype.grade(question, None)
    item.detail = score.as_dict()
    if score.needs_manual:
        return
    old = item.points
    item.auto_points = score.points
    if old != score.points or reason == "auto":
        item.points = score.points
        db.session.add(
            MarkChange(
                attempt_item_id=item.id,
                changed_by=actor,
                old_points=old,
                new_points=score.points,
                reason=reason,
            )
        )


def finish_if_marked(attempt: Attempt) -> None:
    """Total the attempt once every item has a mark; report the lesson outcome."""
    if any(item.points is None for item in attempt.items):
        attempt.is_fully_marked = False
        attempt.points = None
        db.session.flush()
        return
    attempt.points = round(sum(item.points or 0.0 for item in attempt.items), 4)
    attempt.is_fully_marked = True
    db.session.flush()
    report_outcome(attempt.quiz, attempt.user)


def marks_visible(attempt: Attempt) -> bool:
    """Whether the student may see the attempt's total (manual marks wait for release)."""
    if attempt.status != AttemptStatus.SUBMITTED or not attempt.is_fully_marked:
        return False
    return not attempt.has_manual_items or attempt.quiz.marks_released_dt is not None


def kept_percent(quiz: Quiz, attempts: list[Attempt]) -> float | None:
    """The grade kept across attempts whose marks are final."""
    percents = [a.percent for a in attempts if a.is_fully_marked and a.percent is not None]
    if not percents:
        return None
    if quiz.grade_kept == GradeKept.LAST:
        return percents[-1]
    if quiz.grade_kept == GradeKept.AVERAGE:
        return sum(percents) / len(percents)
    return max(percents)


def report_outcome(quiz: Quiz, user: User) -> None:
    """Tell the learning domain how the student stands on the quiz lesson."""
    if quiz.lesson is None:
        return
    attempts = [a for a in attempts_of(quiz, user) if marks_visible(a)]
    percent = kept_percent(quiz, attempts)
    if percent is None:
        return
    from academy.learning import operations as learning
    from academy.learning import queries as learning_queries

    if learning_queries.get_enrollment(user, quiz.lesson.course) is None:
        return
    learning.record_lesson_outcome(
        user, quiz.lesson, passed=percent >= quiz.pass_mark, score_percent=round(percent, 2)
    )


def can_attempt_again(quiz: Quiz, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` has an attempt in progress or may still start one at ``quiz``.

    A quiz that has not opened yet counts as attemptable: it will open.
    """
    if quiz.close_dt is not None and (now or utcnow()) >= quiz.close_dt:
        return False
    previous = attempts_of(quiz, user)
    if any(attempt.status == AttemptStatus.IN_PROGRESS for attempt in previous):
        return True
    return quiz.max_attempts is None or len(previous) < quiz.max_attempts


def review_allowed(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the student may see answers, keys and feedback of a submitted attempt.

    Whatever the review setting, keys stay hidden while the student can still attempt
    the quiz (an attempt left, the quiz not closed) and until the attempt's marks are
    final and released: a key seen before a retake, or before an essay's mark is out,
    would let the student rewrite the answer.
    """
    if attempt.status != AttemptStatus.SUBMITTED:
        return False
    quiz = attempt.quiz
    if quiz.review == ReviewPolicy.NEVER or not marks_visible(attempt):
        return False
    if can_attempt_again(quiz, attempt.user, now):
        return False
    if quiz.review == ReviewPolicy.AFTER_CLOSE:
        return quiz.close_dt is not None and (now or utcnow()) >= quiz.close_dt
    return True


def close_expired_attempts(now: datetime | None = None) -> int:
    """Submit every attempt whose deadline has passed, with its saved answers."""
    now = now or utcnow()
    expired = db.session.scalars(
        sa.select(Attempt).where(
            Attempt.status == AttemptStatus.IN_PROGRESS,
            Attempt.deadline_dt.is_not(None),
            Attempt.deadline_dt <= now,
        )
    ).all()
    return sum(1 for attempt in expired if submit_attempt(attempt, now))
