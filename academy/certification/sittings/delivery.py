"""Running a sitting: accommodations, check-in, incidents, start, answers, finish.

The server holds every clock. A candidate's deadline is the sitting's end plus their
extra time; the theory attempt's deadline is the theory time (plus extra time) from
the start, capped by that. Starting and checking in lock the candidate's row, so a
check-in racing a start is either before it (the start goes ahead) or after it (the
start is refused as "not checked in" and the candidate tries again). A second start
returns the first one's exam: one active attempt per candidate.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment import attempts
from academy.assessment.models import AttemptStatus
from academy.auth.models import User
from academy.certification import practical
from academy.certification.marking.models import JudgedResponse
from academy.certification.sittings.models import Candidate, CandidateStatus, Incident, Sitting
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")
MAX_EXTRA_MINUTES = 240


def lock_candidate(candidate: Candidate) -> Candidate:
    """Reload the candidate's row under a write lock (serialises check-in and start)."""
    db.session.execute(
        sa.select(Candidate.id).where(Candidate.id == candidate.id).with_for_update()
    )
    db.session.refresh(candidate)
    return candidate


def set_accommodation(
    candidate: Candidate, extra_minutes: int, now: datetime | None = None
) -> None:
    """Give a candidate extra time; only before the sitting starts."""
    now = now or utcnow()
    if candidate.sitting.has_started(now):
        raise OperationError(
            _l("Accommodations must be set before the sitting starts."),
            field="extra_minutes",
            code="sitting_started",
        )
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise OperationError(
            _l("Extra time is between 0 and %(most)s minutes.", most=MAX_EXTRA_MINUTES),
            field="extra_minutes",
            code="invalid_extra_time",
        )
    candidate.extra_minutes = extra_minutes
    db.session.flush()


def check_in(
    candidate: Candidate,
    invigilator: User,
    seat_number: str,
    identity_confirmed: bool,
    now: datetime | None = None,
) -> None:
    """Record that an invigilator confirmed the candidate's identity and seated them."""
    now = now or utcnow()
    if not identity_confirmed:
        raise OperationError(
            _l("Confirm the candidate's identity before checking them in."),
            field="identity_confirmed",
            code="identity_not_confirmed",
        )
    candidate = lock_candidate(candidate)
    if candidate.status != CandidateStatus.REGISTERED:
        raise OperationError(_l("This candidate is already checked in."), code="already_checked_in")
    if now > candidate.sitting.ends_dt:
        raise OperationError(_l("This sitting is over."), code="sitting_over")
    candidate.status = CandidateStatus.CHECKED_IN
    candidate.checked_in_dt = now
    candidate.checked_in_by_id = invigilator.id
    candidate.seat_number = seat_number.strip()[:16]
    prepare_practical(candidate)
    db.session.flush()
    logger.info("candidate %s checked in by %s", candidate.number, invigilator.email)


def record_incident(
    sitting: Sitting, description: str, actor: User, candidate: Candidate | None = None
) -> Incident:
    if not description.strip():
        raise OperationError(
            _l("Describe what happened."), field="description", code="description_missing"
        )
    incident = Incident(
        sitting=sitting,
        candidate=candidate,
        recorded_by=actor,
        description=description.strip(),
    )
    db.session.add(incident)
    db.session.flush()
    return incident


def prepare_practical(candidate: Candidate) -> None:
    """Open the candidate's practical market now, so that starting the exam is quick.

    Every candidate's market is the same world on sim-day 0 until its candidate moves
    the clock, so opening it at check-in changes nothing for the candidate; it spreads
    the cost of opening hundreds of markets over the check-in instead of the start.
    """
    programme = candidate.sitting.programme
    if programme.practical_tasks and candidate.market_id is None:
        candidate.market_id = practical.open_practical(
            candidate.user,
            programme.scenario,
            programme.seed,
            programme.bots,
            programme.practical_tasks,
        )


def _refuse_start(candidate: Candidate, now: datetime) -> None:
    sitting = candidate.sitting
    if candidate.status == CandidateStatus.REGISTERED:
        raise OperationError(
            _l("An invigilator must check you in before you start."), code="not_checked_in"
        )
    if candidate.status == CandidateStatus.FINISHED:
        raise OperationError(_l("You have finished this exam."), code="exam_finished")
    if now < sitting.starts_dt:
        raise OperationError(_l("The sitting has not started yet."), code="not_started")
    if now > sitting.starts_dt + timedelta(minutes=sitting.late_start_minutes):
        raise OperationError(
            _l(
                "The time to start has passed (%(minutes)s minutes after the start).",
                minutes=sitting.late_start_minutes,
            ),
            code="too_late",
        )


def start_exam(candidate: Candidate, now: datetime | None = None) -> Candidate:
    """Start (or resume) the candidate's exam: theory attempt, practical market, answers."""
    now = now or utcnow()
    candidate = lock_candidate(candidate)
    if candidate.status == CandidateStatus.SITTING:
        return candidate
    _refuse_start(candidate, now)
    sitting = candidate.sitting
    programme = sitting.programme
    deadline = sitting.ends_dt + timedelta(minutes=candidate.extra_minutes)
    user = candidate.user
    if programme.quiz is not None:
        attempt = attempts.start_attempt(programme.quiz, user, now)
        theory_end = now + timedelta(minutes=programme.theory_minutes + candidate.extra_minutes)
        attempt.deadline_dt = min(theory_end, deadline)
        candidate.attempt_id = attempt.id
    prepare_practical(candidate)
    for part in programme.judged_parts:
        db.session.add(
            JudgedResponse(
                candidate_id=candidate.id,
                part_key=part["key"],
                unit_code=part["unit"],
                max_marks=part["max_marks"],
                text="",
            )
        )
    candidate.status = CandidateStatus.SITTING
    candidate.started_dt = now
    candidate.deadline_dt = deadline
    db.session.flush()
    logger.info("candidate %s started sitting %s", candidate.number, sitting.id)
    return candidate


def is_over(candidate: Candidate, now: datetime) -> bool:
    return candidate.deadline_dt is not None and now >= candidate.deadline_dt


def _require_sitting(candidate: Candidate, now: datetime) -> None:
    if candidate.status != CandidateStatus.SITTING:
        raise OperationError(_l("You are not sitting this exam now."), code="not_sitting")
    if is_over(candidate, now):
        finish_exam(candidate, now, forced=True)
        raise OperationError(
            _l("The time for this exam is over; it was handed in with what you saved."),
            code="deadline_passed",
        )


def save_response(
    candidate: Candidate, part_key: str, text: str, now: datetime | None = None
) -> None:
    now = now or utcnow()
    _require_sitting(candidate, now)
    response = db.session.scalar(
        sa.select(JudgedResponse).where(
            JudgedResponse.candidate_id == candidate.id, JudgedResponse.part_key == part_key
        )
    )
    if response is None:
        raise OperationError(
            _l("There is no such part in this exam."), field="part", code="unknown_part"
        )
    response.text = text[:20000]
    response.saved_dt = now
    db.session.flush()


def advance_practical(candidate: Candidate, days: int, now: datetime | None = None) -> int:
    """Move the candidate's own market clock (never past their deadline)."""
    now = now or utcnow()
    _require_sitting(candidate, now)
    if candidate.market_id is None:
        raise OperationError(_l("This exam has no practical part."), code="no_practical")
    return practical.advance_practical(candidate.market_id, days)


def finish_exam(candidate: Candidate, now: datetime | None = None, *, forced: bool = False) -> bool:
    """Hand the exam in: submit the theory, stop and grade the practical. Once only."""
    now = now or utcnow()
    candidate = lock_candidate(candidate)
    if candidate.status != CandidateStatus.SITTING:
        return False
    sitting = candidate.sitting
    earliest = sitting.starts_dt + timedelta(minutes=sitting.earliest_finish_minutes)
    if not forced and now < earliest:
        raise OperationError(
            _l(
                "You may hand in from %(minutes)s minutes after the start.",
                minutes=sitting.earliest_finish_minutes,
            ),
            code="too_early",
        )
    attempt = candidate.attempt
    if attempt is not None and attempt.status == AttemptStatus.IN_PROGRESS:
        attempts.submit_attempt(attempt, now)
    if candidate.market_id is not None:
        practical.finish_practical(candidate.market_id)
        candidate.practical = practical.grade_practical(
            candidate.market_id, candidate.user, sitting.programme.practical_tasks
        )
    candidate.status = CandidateStatus.FINISHED
    candidate.finished_dt = min(now, candidate.deadline_dt) if candidate.deadline_dt else now
    db.session.flush()
    logger.info("candidate %s finished sitting %s", candidate.number, sitting.id)
    return True


def close_expired(sitting: Sitting, now: datetime | None = None) -> int:
    """Hand in every exam of the sitting whose deadline has passed."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Candidate).where(
            Candidate.sitting_id == sitting.id,
            Candidate.status == CandidateStatus.SITTING,
            Candidate.deadline_dt <= now,
        )
    ).all()
    return sum(1 for candidate in due if finish_exam(candidate, now, forced=True))


def claim_session(candidate: Candidate, held_key: str | None) -> str | None:
    """The exam's session key for this browser, or ``None`` if another session holds it.

    A login elsewhere clears the key (see ``end_other_sessions``); the first browser to
    open the exam afterwards claims a fresh one, and the older session is refused.
    """
    if candidate.session_key is None and held_key is None:
        candidate.session_key = secrets.token_urlsafe(24)
        db.session.flush()
        return candidate.session_key
    if held_key is not None and held_key == candidate.session_key:
        return held_key
    return None


def end_other_sessions(user: User) -> None:
    """On a login, release the exam of a candidate sitting now to the new session."""
    db.session.execute(
        sa.update(Candidate)
        .where(Candidate.user_id == user.id, Candidate.status == CandidateStatus.SITTING)
        .values(session_key=None)
    )
