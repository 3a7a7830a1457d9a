"""The practical part's only door into the sandbox shells (``academy.labs``).

Every use of labs by certification goes through the functions here, so a change in the
labs package (restructured today) touches one small module. A candidate's practical is
a private market of kind ``exam``: the programme's scenario and seed, its bot rivals and
the candidate's firm, so every candidate meets the same world. The candidate moves the
market's clock at their own pace; it stops for good at the candidate's deadline.
Tasks are graded from the market's event log by the lab-check registry, each task's
points shared out evenly over its check's criteria.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from academy.auth.models import User
from academy.db import db
from academy.labs import checks
from academy.labs import markets as lab_markets
from academy.labs import queries as lab_queries
from academy.labs.lab_text import check_text
from academy.labs.lessons import LAB_BUYERS, lab_products
from academy.labs.models import MarketKind, MarketRejection, MarketStatus, SandboxMarket
from academy.labs.store import DatabaseEventStore

__all__ = [
    "DEFAULT_BOTS",
    "advance_practical",
    "check_problems",
    "criterion_text",
    "finish_practical",
    "grade_practical",
    "open_practical",
    "play_scripted",
    "practical_day",
    "scenario_problem",
]

DEFAULT_BOTS = ("cautious",)


def scenario_problem(scenario: str, seed: int | None) -> str | None:
    """What is wrong with a scenario name (``None``: the sandbox knows it)."""
    from sandbox import ScenarioError, load_scenario

    try:
        load_scenario(scenario, seed=seed)
    except ScenarioError as error:
        return str(error)
    return None


def check_problems(check_spec: Mapping[str, Any]) -> list[str]:
    """The problems of a task's ``check`` table, in English (empty: usable)."""
    return checks.validate_params(check_spec)


def open_practical(
    user: User, scenario: str, seed: int | None, bots: list[str], tasks: list[dict[str, Any]]
) -> int:
    """Open the candidate's exam market with their firm; returns the market's id."""
    market = lab_markets.create_market(
        kind=MarketKind.EXAM,
        scenario=scenario,
        seed=seed,
        buyers=LAB_BUYERS,
        owner=user,
        bots=bots or list(DEFAULT_BOTS),
        name="Practical exam",
    )
    hs_codes = [task["check"]["hs_code"] for task in tasks if task["check"].get("hs_code")]
    lab_markets.add_firm(
        market,
        display_name=f"{user.display_name} Trading",
        user=user,
        products=_listed_products(scenario, seed, hs_codes[0] if hs_codes else None),
    )
    return market.id


@lru_cache(maxsize=32)
def _listed_products(scenario: str, seed: int | None, hs_code: str | None) -> tuple[str, ...]:
    # The same for every candidate of a programme; reading the scenario once saves a
    # TOML parse per market opened (a third of the time of opening one).
    settings = {
        "scenario": scenario,
        "seed": seed,
        "check": {"hs_code": hs_code} if hs_code else {},
    }
    return tuple(lab_products(settings))


def _market(market_id: int) -> SandboxMarket:
    market = db.session.get(SandboxMarket, market_id)
    if market is None:
        raise LookupError(f"no market {market_id}")
    return market


def practical_day(market_id: int) -> tuple[int, bool]:
    """The market's sim-day and whether it still runs."""
    market = _market(market_id)
    return market.sim_day, market.status != MarketStatus.FINISHED


def advance_practical(market_id: int, days: int) -> int:
    """Move the candidate's clock; returns the new sim-day (OperationError when finished)."""
    return lab_markets.advance_market(_market(market_id), days)["sim_day"]


def finish_practical(market_id: int) -> None:
    """Stop the market for good (idempotent); its log stays for grading."""
    market = _market(market_id)
    if market.status != MarketStatus.FINISHED:
        lab_markets.finish_market(market)


def _rejections(market_id: int, firm_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(MarketRejection)
        .where(MarketRejection.market_id == market_id, MarketRejection.firm_id == firm_id)
        .order_by(MarketRejection.id)
    )
    return [
        {"command": row.command, "code": row.code, "field": row.field, "day": row.sim_day}
        for row in rows
    ]


def _share(points: int, met: int, total: int) -> float:
    if total == 0:
        return 0.0
    value = (Decimal(points) * met / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(value)


def grade_practical(
    market_id: int, user: User, tasks: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Grade every task from the market's log: one verdict per task, criteria included."""
    market = _market(market_id)
    firm = lab_queries.firm_for_user(market, user)
    events = list(DatabaseEventStore(db.session, market).read(1))
    rejections = _rejections(market.id, firm.firm_id) if firm else []
    verdicts = []
    for task in tasks:
        criteria: list[dict[str, Any]] = []
        if firm is not None:
            result = checks.evaluate(task["check"], events, firm.firm_id, rejections=rejections)
            criteria = [
                {"key": c.key, "met": c.passed, "message": c.message, "params": dict(c.params)}
                for c in result.criteria
            ]
        met = sum(1 for criterion in criteria if criterion["met"])
        verdicts.append(
            {
                "key": task["key"],
                "unit": task["unit"],
                "points": _share(task["points"], met, len(criteria)),
                "max_points": task["points"],
                "criteria": criteria,
            }
        )
    return verdicts


def criterion_text(criterion: Mapping[str, Any]) -> str:
    """A stored criterion in the reader's language."""
    return check_text(criterion["message"], criterion.get("params") or {})


def firm_endpoint() -> str:
    """The endpoint of the candidate's firm page (``market_id`` argument)."""
    return "labs.firm_dashboard"


# --- scripted candidates (demo data, tests, benchmark) ----------------------------------


def _scripted(careful: bool):
    from decimal import Decimal as D

    from sandbox import Cautious, Sloppy

    class CarefulCandidate(Cautious):
        """Prices with a healthy margin and declares exactly what it ships."""

        name = "careful-candidate"
        margin = D("0.14")
        error_rate = 0.0

    class CarelessCandidate(Sloppy):
        """Quotes at cost and slips in every declaration."""

        name = "careless-candidate"
        margin = D("0.0")
        error_rate = 1.0

    return CarefulCandidate() if careful else CarelessCandidate()


def play_scripted(market_id: int, user: User, *, careful: bool, days: int) -> int:
    """Play the candidate's firm with a scripted strategy for ``days`` sim-days.

    Each day the candidate acts, then the rivals act and the clock steps, as when a
    candidate works on their firm's pages and then advances the market.

    Returns:
        The market's sim-day afterwards.
    """
    market = _market(market_id)
    firm = lab_queries.firm_for_user(market, user)
    if firm is None:
        raise LookupError("the candidate has no firm in this market")
    strategy = _scripted(careful)
    for _ in range(days):
        lab_markets.operate(market, lambda engine: strategy.act(engine, firm.firm_id))
        lab_markets.advance_market(market, 1)
    return market.sim_day
