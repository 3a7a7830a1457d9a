"""Results: per unit and part, the level reached and the plain-word reasons; release.

A unit's result pools what the exam asked of it: the theory items drawn for it, the
practical tasks mapped to it and its judged parts, as points over the most possible.
The weighted total uses the unit weights of the programme's level. A candidate reaches
the level with the level's pass share of the weighted total and at least the level's
unit share in every weighted unit. Percentages are Decimals with two places.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.certification.marking.models import JudgedResponse
from academy.certification.results.models import CandidateResult
from academy.certification.sittings.delivery import close_expired
from academy.certification.sittings.models import Candidate, CandidateStatus, Sitting
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")
TWO_PLACES = Decimal("0.01")


def percent(points: Decimal, most: Decimal) -> Decimal:
    if not most:
        return Decimal(0)
    return (points * 100 / most).quantize(TWO_PLACES, ROUND_HALF_UP)


def _theory_by_unit(candidate: Candidate) -> dict[str, list[Decimal]]:
    totals: dict[str, list[Decimal]] = {}
    attempt = candidate.attempt
    if attempt is None:
        return totals
    for item in attempt.items:
        unit = item.question_version.question.topic
        row = totals.setdefault(unit, [Decimal(0), Decimal(0)])
        row[0] += Decimal(str(item.points or 0))
        row[1] += Decimal(str(item.max_points))
    return totals


def _responses(candidate: Candidate) -> list[JudgedResponse]:
    return list(
        db.session.scalars(
            sa.select(JudgedResponse)
            .where(JudgedResponse.candidate_id == candidate.id)
            .order_by(JudgedResponse.part_key)
        )
    )


def _points(candidate: Candidate) -> tuple[dict[str, dict[str, Decimal]], dict[str, list[Decimal]]]:
    """Points and most possible per part, and per unit, from every part of the exam."""
    parts: dict[str, dict[str, Decimal]] = {
        name: {"points": Decimal(0), "max_points": Decimal(0)}
        for name in ("theory", "practical", "judged")
    }
    by_unit: dict[str, list[Decimal]] = {}

    def add(part: str, unit: str, points: Decimal, most: Decimal) -> None:
        parts[part]["points"] += points
        parts[part]["max_points"] += most
        row = by_unit.setdefault(unit, [Decimal(0), Decimal(0)])
        row[0] += points
        row[1] += most

    for unit, (points, most) in _theory_by_unit(candidate).items():
        add("theory", unit, points, most)
    for task in candidate.practical or []:
        add("practical", task["unit"], Decimal(str(task["points"])), Decimal(task["max_points"]))
    for response in _responses(candidate):
        add(
            "judged",
            response.unit_code,
            Decimal(response.final_marks or 0),
            Decimal(response.max_marks),
        )
    return parts, by_unit


def _units(
    candidate: Candidate, by_unit: dict[str, list[Decimal]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Decimal]:
    """Each unit's result, the reasons a unit fell short, and the weighted total."""
    level = candidate.sitting.programme.level
    units: list[dict[str, Any]] = []
    reasons: list[dict[str, Any]] = []
    weighted = Decimal(0)
    weights = 0
    for unit in candidate.sitting.programme.standard.units:
        weight = unit.weights.get(level.code, 0)
        points, most = by_unit.get(unit.code, [Decimal(0), Decimal(0)])
        share = percent(points, most)
        met = not weight or share >= level.unit_pass_percent
        if weight:
            weighted += share * weight
            weights += weight
        if not met:
            params = {"unit": unit.code, "percent": str(share), "needed": level.unit_pass_percent}
            reasons.append({"key": "unit_below", "params": params})
        units.append(
            {
                "code": unit.code,
                "title": unit.title,
                "title_zh": unit.title_zh,
                "weight": weight,
                "points": str(points),
                "max_points": str(most),
                "percent": str(share),
                "met": met,
            }
        )
    total = (weighted / weights).quantize(TWO_PLACES, ROUND_HALF_UP) if weights else Decimal(0)
    return units, reasons, total


def compute_result(candidate: Candidate) -> CandidateResult:
    """Compute (or recompute after a re-mark) the candidate's result."""
    level = candidate.sitting.programme.level
    parts, by_unit = _points(candidate)
    units, reasons, total = _units(candidate, by_unit)
    if total < level.pass_percent:
        reasons.insert(
            0,
            {"key": "total_below", "params": {"percent": str(total), "needed": level.pass_percent}},
        )
    for task in candidate.practical or []:
        for criterion in task["criteria"]:
            if not criterion["met"]:
                reasons.append(
                    {"key": "criterion", "params": {"task": task["key"]}, "criterion": criterion}
                )
    if candidate.status != CandidateStatus.FINISHED:
        reasons.insert(0, {"key": "absent", "params": {}})
    result = db.session.scalar(
        sa.select(CandidateResult).where(CandidateResult.candidate_id == candidate.id)
    )
    if result is None:
        result = CandidateResult(
            candidate_id=candidate.id,
            parts={},
            units=[],
            total_percent="0",
            is_level_achieved=False,
        )
        db.session.add(result)
    result.parts = {name: {k: str(v) for k, v in values.items()} for name, values in parts.items()}
    result.units = units
    result.total_percent = str(total)
    result.is_level_achieved = (
        candidate.status == CandidateStatus.FINISHED
        and total >= level.pass_percent
        and all(u["met"] for u in units)
    )
    result.reasons = reasons
    result.computed_dt = utcnow()
    db.session.flush()
    return result


def marking_outstanding(sitting: Sitting) -> int:
    """Judged responses of the sitting that have no final mark yet."""
    return db.session.execute(
        sa.select(sa.func.count())
        .select_from(JudgedResponse)
        .join(Candidate, Candidate.id == JudgedResponse.candidate_id)
        .where(Candidate.sitting_id == sitting.id, JudgedResponse.final_marks.is_(None))
    ).scalar_one()


#: Called with each sitting whose results were just released. The credentials domain,
#: which builds on certification, issues certificates here; certification never imports it.
_RELEASE_LISTENERS: list[Callable[[Sitting], Any]] = []


def on_results_released(listener: Callable[[Sitting], Any]) -> Callable[[Sitting], Any]:
    """Register ``listener(sitting)`` to run inside the release's unit of work."""
    if listener not in _RELEASE_LISTENERS:
        _RELEASE_LISTENERS.append(listener)
    return listener


def release_results(sitting: Sitting, actor: Any = None) -> int:
    """Compute every candidate's result and release them; refused while marking is open."""
    now = utcnow()
    if sitting.is_released:
        raise OperationError(
            _l("The results of this sitting are released already."), code="released"
        )
    if now < sitting.ends_dt:
        raise OperationError(
            _l("Results can be released after the sitting ends."), code="sitting_running"
        )
    close_expired(sitting, now)
    outstanding = marking_outstanding(sitting)
    if outstanding:
        raise OperationError(
            _l("%(count)s judged responses still need a final mark.", count=outstanding),
            code="marking_incomplete",
        )
    candidates = db.session.scalars(
        sa.select(Candidate).where(Candidate.sitting_id == sitting.id)
    ).all()
    for candidate in candidates:
        compute_result(candidate)
    sitting.released_dt = now
    db.session.flush()
    for listener in _RELEASE_LISTENERS:
        listener(sitting)
    record_event(
        AuditAction.RESULTS_RELEASED,
        actor=actor,
        subject=sitting,
        organisation=getattr(sitting, "organisation", None),
        candidates=len(candidates),
    )
    logger.info("results of sitting %s released (%s candidates)", sitting.id, len(candidates))
    return len(candidates)
