"""Lab checks: a registry of small pure classes that judge a firm from the event log.

A lab lesson's ``[check]`` table names a check and its parameters::

    [check]
    name = "win_rfq"
    incoterm = "CIF"
    min_gross_margin_percent = 10

:func:`evaluate` runs it on a market's events for one firm and returns a
:class:`CheckResult` with one :class:`Criterion` per condition, each with a stable key
and an English message a student can read. :func:`validate_params` lists what is wrong
with a table, for the course package validator. Nothing here imports Flask, SQLAlchemy
or the rest of ``academy``: checks run the same in tests, the web app and exams.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from academy.labs.checks.base import Check, CheckResult, Criterion, FirmLog, Param
from academy.labs.checks.customs import DeclarationCleared, RebateReceived
from academy.labs.checks.finance import LcPresentationComplies, PositiveCash
from academy.labs.checks.negotiation import NegotiatedContract
from academy.labs.checks.origin import OriginCertificate
from academy.labs.checks.trade import ShipmentDelivered, WinRfq

__all__ = [
    "CHECKS",
    "UNSUPPORTED_PARAMS",
    "Check",
    "CheckResult",
    "Criterion",
    "FirmLog",
    "Param",
    "evaluate",
    "unsupported_params",
    "validate_params",
]

#: Every check by the name a course's ``[check]`` table uses.
CHECKS: dict[str, type[Check]] = {
    check.name: check
    for check in (
        WinRfq,
        DeclarationCleared,
        LcPresentationComplies,
        PositiveCash,
        ShipmentDelivered,
        RebateReceived,
        NegotiatedContract,
        OriginCertificate,
    )
}

#: Parameters course authors have used that the sandbox cannot judge, and why. They are
#: accepted (so a shipped course still validates) but ignored, and listed by
#: :func:`unsupported_params` so the validator can warn.
UNSUPPORTED_PARAMS: dict[tuple[str, str], str] = {
    ("win_rfq", "max_validity_days"): (
        "the sandbox's quotes carry no validity period: a quote stands until its RFQ closes"
    ),
}


def validate_params(check_spec: Mapping[str, Any]) -> list[str]:
    """List the problems of a ``[check]`` table: unknown check, parameter or wrong type.

    Args:
        check_spec: The table, ``name`` included.

    Returns:
        English sentences, empty when the table is usable.
    """
    if not isinstance(check_spec, Mapping):
        return ["the check must be a table"]
    name = check_spec.get("name")
    if not isinstance(name, str) or not name:
        return ["the check has no name"]
    check = CHECKS.get(name)
    if check is None:
        return [f"unknown check {name!r} (known: {', '.join(sorted(CHECKS))})"]
    problems = []
    for key, value in check_spec.items():
        if key == "name" or (name, key) in UNSUPPORTED_PARAMS:
            continue
        param = check.params.get(key)
        if param is None:
            problems.append(f"{name} has no parameter {key!r}")
            continue
        problem = param.problem(key, value)
        if problem is not None:
            problems.append(problem)
    return problems


def unsupported_params(check_spec: Mapping[str, Any]) -> list[str]:
    """List the parameters of a table that are accepted but cannot be checked, with why."""
    name: str = check_spec.get("name") or ""
    return [
        f"{key}: {UNSUPPORTED_PARAMS[(name, key)]}"
        for key in check_spec
        if (name, key) in UNSUPPORTED_PARAMS
    ]


def evaluate(
    check_spec: Mapping[str, Any],
    events: Iterable[Any],
    firm_id: str,
    *,
    rejections: Iterable[Mapping[str, Any]] | None = None,
) -> CheckResult:
    """Judge one firm against a lab's check.

    Args:
        check_spec: The lesson's ``[check]`` table (``name`` and parameters).
        events: The market's event log from sequence 1 (``sandbox.events.Event`` or the
            JSON dicts the event stores keep).
        firm_id: The student's firm.
        rejections: The firm's refused commands from the web layer's action log, if any
            (the engine does not log them); only ``max_rejections`` reads them.

    Returns:
        The result with one criterion per condition.

    Raises:
        ValueError: The table is invalid (see :func:`validate_params`).
    """
    problems = validate_params(check_spec)
    if problems:
        raise ValueError("; ".join(problems))
    check = CHECKS[check_spec["name"]]()
    log = FirmLog(events, firm_id, rejections)
    if log.world is None:
        raise ValueError("the event log does not start with MarketOpened")
    return check.evaluate(log, check_spec)
