"""Founding markets and firms: a market from a scenario and a seed, firms and team members.

Every write runs inside the caller's unit of work, under the market row's lock, and
changes the engine market through the repository (``academy.labs.repository``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa

from academy.auth.models import User
from academy.db import db
from academy.errors import OperationError
from academy.labs.models import FirmMember, MarketFirm, MarketKind, MarketStatus, SandboxMarket
from academy.labs.queries import firm_for_user
from academy.labs.repository import after_write, keep, lock_market, writing
from academy.labs.store import DatabaseEventStore
from academy.learning.models import SchoolClass
from sandbox import BOTS, CommandRejected, Market, RegisterFirm, ScenarioError, load_scenario

__all__ = ["add_firm", "add_member", "create_market"]

logger = logging.getLogger("academy.labs")


def create_market(
    *,
    kind: MarketKind,
    scenario: str,
    seed: int | None = None,
    buyers: int | None = None,
    name: str = "",
    school_class: SchoolClass | None = None,
    owner: User | None = None,
    bots: Sequence[str] = (),
    creation_key: str | None = None,
) -> SandboxMarket:
    """Create a market from a scenario and a seed and write its opening events.

    Args:
        kind: Class market, private lab or exam.
        scenario: A scenario name (``python -m sandbox scenarios``).
        seed: The world's seed (the scenario's own seed when omitted).
        buyers: Number of synthetic buyers (the scenario's population by default).
        name: What pages call the market.
        school_class: The class of a class market.
        owner: The teacher (class market, exam) or student (private lab).
        bots: Bot strategies to add as rival firms, one firm each.
        creation_key: The token of the form that asked for the market; a second
            market with the same token violates a unique constraint.

    Returns:
        The new market row, running on sim-day 0.

    Raises:
        OperationError: Unknown scenario or bot, or a negative number of buyers.
    """
    try:
        world = load_scenario(scenario, seed=seed)
    except ScenarioError as error:
        raise OperationError(str(error), field="scenario", code="scenario_invalid") from None
    count = int(buyers if buyers is not None else world.population.get("buyers", 200))
    if count < 0:
        raise OperationError(
            "The number of buyers cannot be negative.", field="buyers", code="buyers_invalid"
        )
    unknown = [bot for bot in bots if bot not in BOTS]
    if unknown:
        raise OperationError(
            f"Unknown bot strategy: {unknown[0]}", field="bots", code="bot_unknown"
        )
    market = SandboxMarket(
        kind=kind,
        name=name or world.title,
        scenario=world.name,
        seed=world.seed,
        buyers=count,
        status=MarketStatus.RUNNING,
        school_class=school_class,
        owner=owner,
        last_seq=0,
        sim_day=0,
        snapshot_seq=0,
        creation_key=creation_key,
    )
    db.session.add(market)
    db.session.flush()
    store = DatabaseEventStore(db.session, market)
    engine_market = Market.open(world, buyers=count, market_id=market.engine_market_id, store=store)
    for bot in bots:
        _register_firm(market, engine_market, bot=bot, display_name="")
    after_write(market, engine_market)
    keep(market, engine_market)
    logger.info("sandbox market %s created (%s, seed %s)", market.id, world.name, world.seed)
    return market


def _next_firm_id(market: SandboxMarket, prefix: str) -> str:
    taken = set(
        db.session.scalars(sa.select(MarketFirm.firm_id).where(MarketFirm.market_id == market.id))
    )
    number = 1
    while f"{prefix}{number:03d}" in taken:
        number += 1
    return f"{prefix}{number:03d}"


def _default_products(engine_market: Market, firm_id: str) -> tuple[str, ...]:
    # Three of the scenario's products, picked from the seed and the firm id so a
    # firm gets the same listing whenever its market is rebuilt.
    from sandbox import rng_for

    products = sorted(engine_market.world.products)
    rng = rng_for(engine_market.state.seed, "firm-products", firm_id)
    return tuple(sorted(rng.sample(products, k=min(3, len(products)))))


def _register_firm(
    market: SandboxMarket,
    engine_market: Market,
    *,
    display_name: str,
    user: User | None = None,
    bot: str | None = None,
    firm_id: str | None = None,
    products: Sequence[str] | None = None,
) -> MarketFirm:
    firm_id = firm_id or _next_firm_id(market, "B" if bot else "F")
    chosen = tuple(products) if products else _default_products(engine_market, firm_id)
    name = display_name or (f"{bot.title()} Trading {firm_id}" if bot else firm_id)
    try:
        engine_market.execute(RegisterFirm(firm_id, name, chosen, bot))
    except CommandRejected as error:
        raise OperationError(error.message, field=error.field, code=error.code) from None
    firm = MarketFirm(market=market, firm_id=firm_id, user=user, bot=bot, display_name=name)
    db.session.add(firm)
    if user is not None:
        db.session.add(FirmMember(market_id=market.id, firm=firm, user=user))
    db.session.flush()
    return firm


def add_firm(
    market: SandboxMarket,
    *,
    display_name: str,
    user: User | None = None,
    bot: str | None = None,
    firm_id: str | None = None,
    products: Sequence[str] | None = None,
) -> MarketFirm:
    """Found a firm in a market for a student or a bot.

    Args:
        market: The market row.
        display_name: The firm's trading name (a default is made for bots).
        user: The student who runs the firm.
        bot: A bot strategy name instead of a student.
        firm_id: The engine id (letters and digits); ``F001``... or ``B001``... by default.
        products: 1 to 6 product ids to list; three of the scenario's otherwise.

    Raises:
        OperationError: Finished market, student already has a firm here, unknown bot,
            or the engine refused the firm (code and field from the engine).
    """
    market = lock_market(market)
    if market.status == MarketStatus.FINISHED:
        raise OperationError("This market has finished.", code="market_finished")
    if bot is not None and bot not in BOTS:
        raise OperationError(f"Unknown bot strategy: {bot}", field="bot", code="bot_unknown")
    if user is not None and firm_for_user(market, user) is not None:
        raise OperationError("This student already runs a firm in this market.", code="firm_exists")
    with writing(market) as engine_market:
        firm = _register_firm(
            market,
            engine_market,
            display_name=display_name,
            user=user,
            bot=bot,
            firm_id=firm_id,
            products=products,
        )
    logger.info("labs firm %s founded in market %s", firm.firm_id, market.id)
    return firm


def add_member(market: SandboxMarket, firm: MarketFirm, user: User) -> FirmMember:
    """Let ``user`` act for ``firm`` too: the firm becomes (or grows) a team.

    Raises:
        OperationError: Finished market, a bot's firm, or the student already acts for
            a firm of this market.
    """
    market = lock_market(market)
    if market.status == MarketStatus.FINISHED:
        raise OperationError("This market has finished.", code="market_finished")
    if firm.is_bot or firm.market_id != market.id:
        raise OperationError(
            "Students can only join a student firm of this market.",
            field="firm_id",
            code="firm_not_student",
        )
    if firm_for_user(market, user) is not None:
        raise OperationError(
            "This student already runs a firm in this market.", field="user_id", code="firm_exists"
        )
    member = FirmMember(market_id=market.id, firm=firm, user=user)
    db.session.add(member)
    db.session.flush()
    return member
