"""Double-blind marking, reconciliation, third marks and appeals.

Two examiners mark each judged response without seeing each other's mark (rounds 1
and 2; the unique (response, round) lets exactly one of two simultaneous second marks
in). Within the programme's tolerance the final mark is their mean, rounded half up;
beyond it the response waits for round 3: a third marker's mark is averaged with the
closer blind mark, a chief examiner's mark stands alone. Every final mark is a
``MarkDecision`` row naming the rule; a re-mark on appeal adds a mark and a decision and
changes nothing that came before.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.auth.models import Role, User
from academy.certification.marking.models import (
    Appeal,
    AppealStatus,
    DecisionRule,
    JudgedResponse,
    Mark,
    MarkDecision,
    MarkRound,
)
from academy.certification.sittings.models import Candidate
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


def _decide(response: JudgedResponse, marks: int, rule: DecisionRule, actor: User | None) -> None:
    db.session.add(
        MarkDecision(
            response_id=response.id,
            marks=marks,
            rule=rule,
            decided_by_id=actor.id if actor else None,
        )
    )
    response.final_marks = marks
    response.needs_third_mark = False


def next_round_for(response: JudgedResponse, marker: User) -> int | None:
    """The blind round this marker may mark, or ``None`` (marked it already, or done)."""
    marks = response.marks
    if any(mark.marker_id == marker.id for mark in marks if mark.round <= MarkRound.SECOND):
        return None
    taken = {mark.round for mark in marks}
    for round_ in (MarkRound.FIRST, MarkRound.SECOND):
        if round_ not in taken:
            return int(round_)
    return None


def _add_mark(
    response: JudgedResponse, round_: int, marker: User, marks: int, comment: str
) -> Mark:
    """Insert a mark; of two markers racing for the same round, the loser is refused."""
    mark = Mark(
        response_id=response.id,
        round=round_,
        marker_id=marker.id,
        marks=marks,
        comment=comment.strip(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(mark)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise OperationError(
            _l("Another examiner has just given this mark; nothing was saved."), code="round_taken"
        ) from None
    return mark


def _check_marks(response: JudgedResponse, marks: int) -> None:
    if not 0 <= marks <= response.max_marks:
        raise OperationError(
            _l(
                "The mark must be between 0 and %(most)s (the rubric's range).",
                most=response.max_marks,
            ),
            field="marks",
            code="mark_out_of_range",
        )


def submit_blind_mark(
    response: JudgedResponse, marker: User, marks: int, comment: str = "", round_: int | None = None
) -> Mark:
    """Record a first or second blind mark; the second one reconciles the two.

    Raises:
        OperationError: A mark outside the rubric's range, the marker has marked this
            response already, or both blind marks are in (``round_taken``).
    """
    _check_marks(response, marks)
    expected = next_round_for(response, marker)
    if round_ is None:
        round_ = expected
    if round_ is None or round_ != expected:
        raise OperationError(
            _l("This response already has its blind marks, or you marked it already."),
            code="round_taken",
        )
    mark = _add_mark(response, round_, marker, marks, comment)
    db.session.refresh(response)
    if round_ == MarkRound.SECOND:
        _reconcile(response)
    db.session.flush()
    return mark


def _reconcile(response: JudgedResponse) -> None:
    first = response.mark_of_round(MarkRound.FIRST)
    second = response.mark_of_round(MarkRound.SECOND)
    assert first is not None and second is not None
    tolerance = response.candidate.sitting.programme.tolerance
    if abs(first.marks - second.marks) <= tolerance:
        _decide(
            response,
            _half_up(Decimal(first.marks + second.marks) / 2),
            DecisionRule.MEAN_WITHIN_TOLERANCE,
            None,
        )
    else:
        response.needs_third_mark = True
        logger.info(
            "response %s goes to a third marker (%s vs %s)", response.id, first.marks, second.marks
        )


def submit_third_mark(
    response: JudgedResponse, marker: User, marks: int, comment: str = ""
) -> Mark:
    """Resolve a discrepancy: a chief examiner's mark stands; a third marker's is averaged."""
    _check_marks(response, marks)
    if not response.needs_third_mark:
        raise OperationError(_l("This response does not need a third mark."), code="no_discrepancy")
    blind = [response.mark_of_round(MarkRound.FIRST), response.mark_of_round(MarkRound.SECOND)]
    if any(mark is not None and mark.marker_id == marker.id for mark in blind):
        raise OperationError(
            _l("A third mark must come from someone who has not marked it."), code="own_response"
        )
    mark = _add_mark(response, MarkRound.THIRD, marker, marks, comment)
    organisation = response.candidate.sitting.programme.organisation
    if marker.has_role(Role.CHIEF_EXAMINER, organisation=organisation) or marker.is_site_admin:
        _decide(response, marks, DecisionRule.CHIEF_EXAMINER, marker)
    else:
        closer = min(
            (m for m in blind if m is not None), key=lambda m: (abs(m.marks - marks), m.round)
        )
        _decide(
            response,
            _half_up(Decimal(marks + closer.marks) / 2),
            DecisionRule.THIRD_MARKER_CLOSEST,
            marker,
        )
    db.session.flush()
    return mark


def lodge_appeal(candidate: Candidate, reason: str, now: datetime | None = None) -> Appeal:
    """A candidate appeals a released result within the sitting's appeal window."""
    now = now or utcnow()
    closes = candidate.sitting.appeals_close_dt()
    if closes is None:
        raise OperationError(_l("Results are not released yet."), code="not_released")
    if now > closes:
        raise OperationError(_l("The time to appeal has passed."), code="appeal_window_closed")
    if not reason.strip():
        raise OperationError(_l("Say why you appeal."), field="reason", code="reason_missing")
    appeal = Appeal(
        candidate=candidate, reason=reason.strip(), status=AppealStatus.OPEN, lodged_dt=now
    )
    db.session.add(appeal)
    db.session.flush()
    return appeal


def decide_appeal(
    appeal: Appeal,
    chief: User,
    outcome: str,
    remarks: dict[int, int] | None = None,
    now: datetime | None = None,
) -> None:
    """Dismiss an appeal, or re-mark responses (response id -> marks) and recompute the result."""
    from academy.certification.results.operations import compute_result

    if appeal.status != AppealStatus.OPEN:
        raise OperationError(_l("This appeal is decided already."), code="appeal_decided")
    responses = {
        response.id: response
        for response in db.session.scalars(
            sa.select(JudgedResponse).where(JudgedResponse.candidate_id == appeal.candidate_id)
        )
    }
    for response_id, marks in (remarks or {}).items():
        response = responses.get(response_id)
        if response is None:
            raise OperationError(
                _l("There is no such part in this exam."), field="remarks", code="unknown_part"
            )
        _check_marks(response, marks)
    for response_id, marks in (remarks or {}).items():
        response = responses[response_id]
        next_round = max([MarkRound.THIRD, *(mark.round for mark in response.marks)]) + 1
        db.session.add(
            Mark(
                response_id=response.id,
                round=next_round,
                marker_id=chief.id,
                marks=marks,
                comment=outcome,
            )
        )
        _decide(response, marks, DecisionRule.APPEAL_REMARK, chief)
    appeal.status = AppealStatus.REMARKED if remarks else AppealStatus.DISMISSED
    appeal.decided_by_id = chief.id
    appeal.decided_dt = now or utcnow()
    appeal.outcome = outcome.strip()
    db.session.flush()
    if remarks:
        compute_result(appeal.candidate)
