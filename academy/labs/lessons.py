"""Lab lessons in the sandbox: a student's private lab market, its clock and its check.

A lab lesson (``Lesson.kind == LAB``) names a scenario, a seed and a ``[check]`` in its
settings. ``start_lab`` gives the enrolled student a private market of that world with
their firm and the lab's bot rivals; ``advance_lab`` moves its clock at the student's
pace; ``check_lab`` judges the firm from the market's event log (plus the commands the
engine refused), keeps a ``LabResult`` and passes the outcome to the learning domain,
so passing the check is what completes the lesson. ``start_lab`` again finishes the
old market and opens a fresh one.

Operations only ``flush()``; the request commits. Refusals raise ``OperationError``
with a stable ``code``:

======================  ===================================================================
``lab_not_enrolled``    the student is not enrolled in the lesson's course
``lab_not_a_lab``       the lesson is not a lab, or names no scenario
``lab_no_check``        the lab has no ``[check]`` (it is completed by "mark complete")
``lab_not_started``     no running lab market for this lesson
``lab_not_yours``       the market is not the student's private lab
======================  ===================================================================
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from academy.auth.models import User
from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.errors import OperationError
from academy.labs import checks, markets, queries
from academy.labs.models import (
    LabResult,
    MarketKind,
    MarketRejection,
    MarketStatus,
    SandboxMarket,
)
from academy.labs.store import DatabaseEventStore
from academy.learning import operations as learning
from academy.learning import queries as learning_queries
from sandbox import load_scenario

__all__ = [
    "DEFAULT_LAB_BOTS",
    "LAB_BUYERS",
    "advance_lab",
    "check_lab",
    "current_lab_market",
    "lab_products",
    "last_result",
    "start_lab",
]

logger = logging.getLogger("academy.labs")

#: Buyers in a private lab: the population the shipped labs' checks are tuned with
#: (``tests/labs/check_helpers.play``), so a careful student meets the same demand.
LAB_BUYERS = 300
#: Rivals of the student when the lab's settings name no ``bots``.
DEFAULT_LAB_BOTS = ("cautious",)


def _require_lab(lesson: Lesson) -> dict[str, Any]:
    settings = lesson.settings or {}
    if lesson.kind != LessonKind.LAB or not settings.get("scenario"):
        raise OperationError("This lesson is not a sandbox lab.", code="lab_not_a_lab")
    return settings


def _require_enrolled(user: User, lesson: Lesson) -> None:
    if learning_queries.get_enrollment(user, lesson.course) is None:
        raise OperationError("Enrol in the course first.", code="lab_not_enrolled")


def current_lab_market(user: User, lesson: Lesson) -> SandboxMarket | None:
    """The student's latest unfinished private lab market for ``lesson``, if any."""
    return db.session.scalar(
        sa.select(SandboxMarket)
        .where(
            SandboxMarket.kind == MarketKind.PRIVATE_LAB,
            SandboxMarket.lesson_id == lesson.id,
            SandboxMarket.owner_id == user.id,
            SandboxMarket.status != MarketStatus.FINISHED,
        )
        .order_by(SandboxMarket.id.desc())
        .limit(1)
    )


def last_result(user: User, lesson: Lesson) -> LabResult | None:
    """The student's latest check of ``lesson`` (on any of their lab markets)."""
    return db.session.scalar(
        sa.select(LabResult)
        .where(LabResult.lesson_id == lesson.id, LabResult.user_id == user.id)
        .order_by(LabResult.id.desc())
        .limit(1)
    )


def lab_products(settings: dict[str, Any]) -> tuple[str, ...]:
    """The products the student's firm lists in a lab: the same for every student.

    A lab about one HS code lists the scenario's goods under that code (only they can
    pass it); any other lab lists the scenario's first six products, the listing the
    shipped labs' checks are tuned with (``tests/labs/check_helpers.play``).
    """
    world = load_scenario(settings["scenario"], seed=settings.get("seed"))
    hs_code = (settings.get("check") or {}).get("hs_code")
    if hs_code:
        products = sorted(p.id for p in world.products.values() if p.hs_code == hs_code)
        if products:
            return tuple(products[:6])
    return tuple(sorted(world.products)[:6])


def _lock_user(user: User) -> None:
    # Serialises one student's lab starts: of two simultaneous clicks the second waits
    # here and then finds the first one's market by its creation key.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())


def start_lab(user: User, lesson: Lesson, *, creation_key: str | None = None) -> SandboxMarket:
    """Open a fresh private lab market for the student, finishing any earlier one.

    The market has the lesson's scenario and seed, the lab's bot rivals (its ``bots``
    setting, else one cautious bot) and the student's firm. A submit whose
    ``creation_key`` already made a market returns that market and changes nothing,
    so a double-clicked "Start" makes one market.

    Args:
        user: The enrolled student.
        lesson: A lab lesson.
        creation_key: The token of the form that asked (``None``: always a new market).

    Returns:
        The running lab market, on sim-day 0.

    Raises:
        OperationError: Not a lab, or the student is not enrolled.
    """
    settings = _require_lab(lesson)
    _require_enrolled(user, lesson)
    if creation_key is not None and not 1 <= len(creation_key) <= markets.KEY_MAX_LENGTH:
        raise OperationError(
            "This form has expired; reload the page and try again.",
            field="creation_key",
            code="idempotency_key_invalid",
        )
    _lock_user(user)
    if creation_key:
        existing = db.session.scalar(
            sa.select(SandboxMarket).where(SandboxMarket.creation_key == creation_key)
        )
        if existing is not None:
            if existing.owner_id != user.id or existing.lesson_id != lesson.id:
                raise OperationError(
                    "This form was already used by someone else.", code="idempotency_conflict"
                )
            return existing
    previous = current_lab_market(user, lesson)
    if previous is not None:
        markets.finish_market(previous)
    bots = settings.get("bots")
    if not isinstance(bots, list) or not bots:
        bots = list(DEFAULT_LAB_BOTS)
    market = markets.create_market(
        kind=MarketKind.PRIVATE_LAB,
        scenario=settings["scenario"],
        seed=settings.get("seed"),
        buyers=LAB_BUYERS,
        owner=user,
        bots=bots,
    )
    market.lesson_id = lesson.id
    market.creation_key = creation_key or None
    db.session.flush()
    markets.add_firm(
        market,
        display_name=f"{user.display_name} Trading",
        user=user,
        products=lab_products(settings),
    )
    logger.info("lab market %s started for lesson %s by user %s", market.id, lesson.id, user.id)
    return market


def _require_own_lab(user: User, market: SandboxMarket) -> None:
    if market.kind != MarketKind.PRIVATE_LAB or market.owner_id != user.id:
        raise OperationError("This is not your lab.", code="lab_not_yours")


def advance_lab(user: User, market: SandboxMarket, days: int) -> dict[str, int]:
    """Move the student's own lab clock by ``days`` sim-days (bots act, then the day ends).

    Raises:
        OperationError: Not the student's private lab, the market has finished
            (``market_finished``) or ``days`` out of range (``days_invalid``).
    """
    _require_own_lab(user, market)
    return markets.advance_market(market, days)


def _rejections(market: SandboxMarket, firm_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(MarketRejection)
        .where(MarketRejection.market_id == market.id, MarketRejection.firm_id == firm_id)
        .order_by(MarketRejection.id)
    )
    return [
        {"command": row.command, "code": row.code, "field": row.field, "day": row.sim_day}
        for row in rows
    ]


def score_percent(result: checks.CheckResult) -> float:
    """The share of the check's criteria that are met, in percent."""
    if not result.criteria:
        return 0.0
    met = sum(1 for criterion in result.criteria if criterion.passed)
    return round(met * 100 / len(result.criteria), 2)


def check_lab(user: User, lesson: Lesson) -> LabResult:
    """Judge the student's current lab market with the lesson's check and keep the verdict.

    The check reads the market's whole event log for the student's firm, with the
    commands the engine refused; the outcome goes to the learning domain (passing
    completes the lesson; the best score is kept).

    Returns:
        The stored result; ``criteria`` holds ``{"key", "met", "message", "details"}``
        per criterion, ``message`` English with ``%(name)s`` placeholders filled from
        ``details``.

    Raises:
        OperationError: Not a lab, no check, not enrolled, or no running lab market.
    """
    settings = _require_lab(lesson)
    spec = settings.get("check")
    if not spec:
        raise OperationError(
            "This lab has no automatic check; mark it complete.", code="lab_no_check"
        )
    _require_enrolled(user, lesson)
    market = current_lab_market(user, lesson)
    if market is None:
        raise OperationError("Start the lab first.", code="lab_not_started")
    market = markets.lock_market(market)
    firm = queries.firm_for_user(market, user)
    if firm is None:
        raise OperationError("This is not your lab.", code="lab_not_yours")
    events = DatabaseEventStore(db.session, market).read(1)
    result = checks.evaluate(
        spec, events, firm.firm_id, rejections=_rejections(market, firm.firm_id)
    )
    row = LabResult(
        market_id=market.id,
        lesson_id=lesson.id,
        user_id=user.id,
        passed=result.passed,
        at_seq=market.last_seq,
        sim_day=market.sim_day,
        criteria=[
            {
                "key": criterion.key,
                "met": criterion.passed,
                "message": criterion.message,
                "details": dict(criterion.params),
            }
            for criterion in result.criteria
        ],
    )
    db.session.add(row)
    db.session.flush()
    learning.record_lesson_outcome(
        user, lesson, passed=result.passed, score_percent=score_percent(result)
    )
    return row
