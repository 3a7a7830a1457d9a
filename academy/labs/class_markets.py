"""Class markets: a teacher creates one for a class, with a firm for every student or team.

The writes call the operations of ``academy.labs.markets`` and only ``flush()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from academy.auth.models import User
from academy.db import db
from academy.errors import OperationError
from academy.labs import markets
from academy.labs.models import FirmMember, MarketFirm, MarketKind, SandboxMarket
from academy.learning.models import Enrollment, SchoolClass
from sandbox import BOTS, list_scenarios

__all__ = [
    "MAX_BOTS",
    "MAX_TEAM_SIZE",
    "add_missing_firms",
    "class_students",
    "create_class_market",
    "market_of_creation_key",
    "scenario_choices",
    "students_without_firm",
]

#: Most bot rivals a teacher may add when creating a market.
MAX_BOTS = 9
#: Students in one firm when a class plays in teams.
MAX_TEAM_SIZE = 5


def scenario_choices() -> list[dict[str, str]]:
    """The shipped scenarios (``name``, ``title``, ``description``), by name."""
    return list_scenarios()


def class_students(school_class: SchoolClass) -> list[User]:
    """The students enrolled through ``school_class``, by display name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.class_id == school_class.id)
            .order_by(User.display_name, User.id)
        )
    )


def create_class_market(
    school_class: SchoolClass,
    teacher: User,
    *,
    scenario: str,
    seed: int | None = None,
    name: str = "",
    buyers: int | None = None,
    bot_count: int = 0,
    bot_strategies: Sequence[str] = (),
    team_size: int = 1,
    creation_key: str | None = None,
) -> SandboxMarket:
    """Create a class market and found a firm for every student (or team) of the class.

    Bots are added first (``B001``...), playing ``bot_strategies`` in turn; then the
    enrolled students get firms (``F001``...): one each, named after the student, or
    one per team of ``team_size`` students in class-list order, named "Team N".

    With a ``creation_key`` the market is made once per key: if a market of this class
    already carries the key (a double-clicked or reloaded form), that market is
    returned and nothing is created, also when two submits race (the second one's
    insert violates the key's unique constraint and finds the first one's market).

    Args:
        school_class: The class whose students take part.
        teacher: Who runs the market (its owner).
        scenario: A scenario name from ``scenario_choices()``.
        seed: The world's seed; the scenario's own when None.
        name: What pages call the market; the scenario title when empty.
        buyers: Synthetic buyers; the scenario's population when None.
        bot_count: Bot rivals to add, 0 to ``MAX_BOTS``.
        bot_strategies: Strategies the bots play in turn (all of them when empty).
        team_size: Students per firm, 1 to ``MAX_TEAM_SIZE``; the last team may be smaller.
        creation_key: The token of the form that asked for the market.

    Returns:
        The new market, running on sim-day 0 (or the market already made with the key).

    Raises:
        OperationError: Bad scenario, buyers, bot count or strategy (with its field),
            or a key already used by a market of another class.
    """
    if creation_key:
        existing = market_of_creation_key(school_class, creation_key)
        if existing is not None:
            return existing
    bots = _bots_of(bot_count, bot_strategies, team_size)
    try:
        with db.session.begin_nested():
            market = markets.create_market(
                kind=MarketKind.CLASS_MARKET,
                scenario=scenario,
                seed=seed,
                buyers=buyers,
                name=name,
                school_class=school_class,
                owner=teacher,
                bots=bots,
                creation_key=creation_key or None,
            )
    except sa.exc.IntegrityError:
        # Another submit of the same form committed its market while this one waited.
        existing = market_of_creation_key(school_class, creation_key) if creation_key else None
        if existing is None:
            raise
        return existing
    _found_student_firms(market, class_students(school_class), team_size)
    return market


def _bots_of(bot_count: int, bot_strategies: Sequence[str], team_size: int) -> list[str]:
    # The bots' strategies in turn, once the settings of a class market are checked.
    if not 0 <= bot_count <= MAX_BOTS:
        raise OperationError(
            f"Add between 0 and {MAX_BOTS} bot firms.", field="bot_count", code="bot_count_invalid"
        )
    if not 1 <= team_size <= MAX_TEAM_SIZE:
        raise OperationError(
            f"Put between 1 and {MAX_TEAM_SIZE} students in a firm.",
            field="team_size",
            code="team_size_invalid",
        )
    strategies = list(bot_strategies) or list(BOTS)
    unknown = [strategy for strategy in strategies if strategy not in BOTS]
    if unknown:
        raise OperationError(
            f"Unknown bot strategy: {unknown[0]}", field="bot_strategies", code="bot_unknown"
        )
    return [strategies[number % len(strategies)] for number in range(bot_count)]


def _found_student_firms(market: SandboxMarket, students: list[User], team_size: int) -> None:
    # One firm per student, or per team of ``team_size`` students in class-list order.
    if team_size == 1:
        for student in students:
            markets.add_firm(market, display_name=f"{student.display_name} Trading", user=student)
        return
    for number, start in enumerate(range(0, len(students), team_size), start=1):
        team = students[start : start + team_size]
        firm = markets.add_firm(market, display_name=f"Team {number} Trading", user=team[0])
        for student in team[1:]:
            markets.add_member(market, firm, student)


def market_of_creation_key(school_class: SchoolClass, creation_key: str) -> SandboxMarket | None:
    """The market made by the form carrying ``creation_key``, if it was this class's.

    Raises:
        OperationError: The key belongs to a market of another class.
    """
    market = db.session.scalar(
        sa.select(SandboxMarket).where(SandboxMarket.creation_key == creation_key)
    )
    if market is not None and market.class_id != school_class.id:
        raise OperationError(
            "This form was already used for another class.", code="creation_key_used"
        )
    return market


def students_without_firm(market: SandboxMarket) -> list[User]:
    """Students of the market's class who act for no firm in it (they joined later)."""
    if market.class_id is None:
        return []
    has_firm = sa.exists().where(FirmMember.market_id == market.id, FirmMember.user_id == User.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.class_id == market.class_id, ~has_firm)
            .order_by(User.display_name, User.id)
        )
    )


def add_missing_firms(market: SandboxMarket) -> list[MarketFirm]:
    """Found a firm for every student of the class who has none yet (late joiners).

    Locks the market first, so two teachers pressing the button at once add each
    student once; pressing it again adds nobody.

    Returns:
        The new firms (empty when every student already has one).

    Raises:
        OperationError: The market has finished.
    """
    market = markets.lock_market(market)
    return [
        markets.add_firm(market, display_name=f"{student.display_name} Trading", user=student)
        for student in students_without_firm(market)
    ]
