"""Operations on sandbox markets: create, open, execute commands, advance, pause, snapshot.

Every write runs inside the caller's unit of work and only ``flush()``-es. Writes to one
market are serialised by locking its row first (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` and so
already runs alone). After the lock the operation rebuilds the engine market from the
latest snapshot plus the tail of the log, lets the engine act, and appends the events
it produced in the same transaction. A rejected command writes nothing.

Rebuilding is the slow part of a command on a long market, so the engine markets of
recently used markets stay in memory (``academy.labs.cache``): a writer takes its
market out of the cache under the lock and the market goes back only once the
transaction has committed; readers get a private copy.

Refusals by the platform (market paused, firm not the user's...) raise
``OperationError`` with a stable ``code`` and, where one applies, a ``field``; the
messages are English and the pages translate by code, as they do for the engine's
rejection codes (``docs/labs-persistence.md`` lists them).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, has_app_context

from academy.auth.models import User
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.labs import cache
from academy.labs.models import (
    CommandReceipt,
    FirmMember,
    MarketEvent,
    MarketFirm,
    MarketKind,
    MarketRejection,
    MarketSnapshot,
    MarketStatus,
    SandboxMarket,
)
from academy.labs.queries import firm_for_user
from academy.labs.store import DatabaseEventStore
from academy.learning.models import SchoolClass
from sandbox import (
    BOTS,
    CommandRejected,
    Market,
    RegisterFirm,
    ScenarioError,
    command_from_dict,
    load_scenario,
    replay,
    run_bots,
)

__all__ = [
    "DEFAULT_SNAPSHOT_EVERY",
    "CommandResult",
    "add_firm",
    "add_member",
    "advance_market",
    "create_market",
    "execute_command",
    "finish_market",
    "lock_market",
    "open_market",
    "operate",
    "pause_market",
    "resume_market",
    "take_market_snapshot",
    "verify_market",
]

logger = logging.getLogger("academy.labs")

T = TypeVar("T")

#: Events between snapshots unless ``LABS_SNAPSHOT_EVERY`` says otherwise.
DEFAULT_SNAPSHOT_EVERY = 2000
#: Snapshots kept per market unless ``LABS_SNAPSHOTS_KEPT`` says otherwise.
DEFAULT_SNAPSHOTS_KEPT = 2
#: Longest idempotency key accepted (the column's length).
KEY_MAX_LENGTH = 80
#: Longest clock advance in one operation (one transaction).
MAX_ADVANCE_DAYS = 60

# Commands a student may not send: firms are founded by create_market/add_firm, and
# events are injected by the class's teacher (academy.labs.shocks).
_OPERATOR_COMMANDS = frozenset({"RegisterFirm", "InjectShock"})


@dataclass
class CommandResult:
    """What became of a command.

    Attributes:
        ok: True when the engine accepted it and its events are written.
        events: The produced events as ``{"seq", "day", "type", "v", "data"}`` dicts.
        error: The engine's rejection (``code``, ``rule``, ``field``, ``message``).
        replayed: True when an earlier submit with the same idempotency key had
            already applied it; ``events`` are then that submit's events.
    """

    ok: bool
    events: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    replayed: bool = False

    @property
    def first_seq(self) -> int | None:
        return self.events[0]["seq"] if self.events else None

    @property
    def last_seq(self) -> int | None:
        return self.events[-1]["seq"] if self.events else None


def _setting(name: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(name, default))
    return default


# --- locking and opening ------------------------------------------------------------


def lock_market(market: SandboxMarket | int) -> SandboxMarket:
    """Lock a market row for the rest of the transaction and return it fresh.

    On PostgreSQL this is ``SELECT ... FOR UPDATE``: a second writer waits here until
    the first commits, then reads the row (``last_seq``, ``status``) as committed.
    SQLite ignores ``FOR UPDATE``; its ``BEGIN IMMEDIATE`` already took the database
    write lock when the transaction began.
    """
    market_id = market if isinstance(market, int) else market.id
    locked = db.session.scalar(
        sa.select(SandboxMarket)
        .where(SandboxMarket.id == market_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise OperationError("This market does not exist.", code="market_not_found")
    return locked


def _latest_snapshot(market: SandboxMarket) -> MarketSnapshot | None:
    return db.session.scalar(
        sa.select(MarketSnapshot)
        .where(MarketSnapshot.market_id == market.id, MarketSnapshot.seq <= market.last_seq)
        .order_by(MarketSnapshot.seq.desc())
        .limit(1)
    )


def _decode_snapshot(row: MarketSnapshot) -> dict[str, Any]:
    return json.loads(zlib.decompress(row.state))


def open_market(market: SandboxMarket, *, use_snapshot: bool = True) -> Market:
    """The engine market at ``market.last_seq``, for reading: pages and reports.

    A private copy of the cached market when the cache holds this market at exactly
    this row's state (or of the one this transaction has just written); otherwise a
    rebuild from the latest snapshot plus the events after it. Without a snapshot (or
    with ``use_snapshot=False``, which also bypasses the cache) the whole log is
    replayed. Nothing done to the returned market reaches the cache; do not call
    ``execute`` or ``step`` on it (the operations below open markets for writing).

    Args:
        market: The market row.
        use_snapshot: Start from the cache or the latest snapshot when there is one.

    Returns:
        The engine market at ``market.last_seq``.
    """
    if use_snapshot:
        parked = cache.peek_parked(db.session, market)
        if parked is not None:
            return cache.copy_market(parked)
        market_cache = cache.current_cache()
        if market_cache is not None:
            copied = market_cache.copy_for_reading(market.id, cache.fingerprint(market))
            if copied is not None:
                return copied
    return _rebuild(market, use_snapshot=use_snapshot)


def _rebuild(market: SandboxMarket, *, use_snapshot: bool = True) -> Market:
    # The latest snapshot plus the tail, or the whole log; appends to the database.
    store = DatabaseEventStore(db.session, market)
    snapshot_row = _latest_snapshot(market) if use_snapshot else None
    if snapshot_row is None:
        return replay(store.read(1), store=store)
    snapshot = _decode_snapshot(snapshot_row)
    return replay(store.read(snapshot_row.seq + 1), store=store, snapshot=snapshot)


def _open_for_writing(market: SandboxMarket) -> Market:
    """The engine market to change, taken out of the cache or rebuilt.

    The caller holds the market's lock (``lock_market``) and, once it has written,
    hands the market to ``_keep`` so it goes back into the cache on commit.
    """
    engine_market = cache.unpark(db.session, market)
    if engine_market is None:
        market_cache = cache.current_cache()
        if market_cache is not None:
            engine_market = market_cache.take(market.id, cache.fingerprint(market))
    if engine_market is None:
        return _rebuild(market)
    engine_market.store = DatabaseEventStore(db.session, market)
    return engine_market


def _keep(market: SandboxMarket, engine_market: Market) -> None:
    # Back into the cache if (and only if) this transaction commits.
    cache.hold(db.session, market, engine_market)


# --- creation ----------------------------------------------------------------------


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
    _after_write(market, engine_market)
    _keep(market, engine_market)
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
    engine_market = _open_for_writing(market)
    firm = _register_firm(
        market,
        engine_market,
        display_name=display_name,
        user=user,
        bot=bot,
        firm_id=firm_id,
        products=products,
    )
    _after_write(market, engine_market)
    _keep(market, engine_market)
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


# --- commands ---------------------------------------------------------------------


def _check_running(market: SandboxMarket) -> None:
    if market.status == MarketStatus.PAUSED:
        raise OperationError(
            "The market is paused; wait for your teacher to resume it.", code="market_paused"
        )
    if market.status == MarketStatus.FINISHED:
        raise OperationError("This market has finished.", code="market_finished")


def _events_between(market: SandboxMarket, first: int, last: int) -> list[dict[str, Any]]:
    store = DatabaseEventStore(db.session, market)
    return [event.to_dict() for event in store.read(first, last)]


def execute_command(
    market: SandboxMarket,
    user: User,
    firm_id: str,
    command: dict[str, Any],
    idempotency_key: str | None = None,
) -> CommandResult:
    """Run a student's command on their firm, at most once per idempotency key.

    The market row is locked first, so commands and clock steps on one market run one
    after another and each sees the other's events. A submit whose key already has a
    receipt returns the first submit's result (``replayed=True``) and changes nothing.

    Args:
        market: The market row.
        user: The acting student; must run ``firm_id``.
        firm_id: The engine firm id the student acts for.
        command: ``{"command": "SubmitQuote", ...fields}``; a ``firm_id`` in it must
            equal ``firm_id`` (a forged form naming another firm is refused).
        idempotency_key: A token the form carries; the same token is applied once.

    Returns:
        The result: events written, or the engine's rejection with nothing written
        but a ``MarketRejection`` row (kept even if the caller rolls back).

    Raises:
        OperationError: Market paused or finished, firm not the user's, forged firm id,
            a command students may not send, or a key reused for another firm.
    """
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= KEY_MAX_LENGTH:
        raise OperationError(
            "This form has expired; reload the page and try again.",
            field="idempotency_key",
            code="idempotency_key_invalid",
        )
    market = lock_market(market)
    if idempotency_key:
        receipt = db.session.scalar(
            sa.select(CommandReceipt).where(
                CommandReceipt.market_id == market.id,
                CommandReceipt.idempotency_key == idempotency_key,
            )
        )
        if receipt is not None:
            if receipt.user_id != user.id or receipt.firm_id != firm_id:
                raise OperationError(
                    "This form was already used by someone else.", code="idempotency_conflict"
                )
            events = _events_between(market, receipt.first_seq, receipt.last_seq)
            return CommandResult(ok=True, events=events, replayed=True)
    _check_running(market)
    firm = firm_for_user(market, user)
    if firm is None or firm.firm_id != firm_id:
        raise OperationError(
            "You can only act for your own firm.", field="firm_id", code="firm_not_yours"
        )
    payload = dict(command)
    claimed = payload.get("firm_id", firm_id)
    if claimed != firm_id:
        raise OperationError(
            "You can only act for your own firm.", field="firm_id", code="firm_not_yours"
        )
    if payload.get("command") in _OPERATOR_COMMANDS:
        raise OperationError(
            "This action is not available to firms.", field="command", code="command_refused"
        )
    payload["firm_id"] = firm_id
    try:
        engine_command = command_from_dict(payload)
    except CommandRejected as rejection:
        _record_rejection(market, user, firm_id, payload, rejection)
        return CommandResult(ok=False, error=rejection.as_dict())
    engine_market = _open_for_writing(market)
    try:
        events = engine_market.execute(engine_command)
    except CommandRejected as rejection:
        # The engine validates before it emits: the market is unchanged, keep it.
        _keep(market, engine_market)
        _record_rejection(market, user, firm_id, payload, rejection)
        return CommandResult(ok=False, error=rejection.as_dict())
    result = CommandResult(ok=True, events=[event.to_dict() for event in events])
    if idempotency_key and events:
        db.session.add(
            CommandReceipt(
                market_id=market.id,
                idempotency_key=idempotency_key,
                user_id=user.id,
                firm_id=firm_id,
                command=str(payload["command"]),
                first_seq=events[0].seq,
                last_seq=events[-1].seq,
                result={"ok": True, "events": len(events)},
            )
        )
        db.session.flush()
    _after_write(market, engine_market)
    _keep(market, engine_market)
    return result


def _record_rejection(
    market: SandboxMarket,
    user: User,
    firm_id: str,
    payload: dict[str, Any],
    rejection: CommandRejected,
) -> MarketRejection:
    # The engine changed nothing, but the refusal belongs to the student's record
    # (checks count refused declarations). Pages answer a refusal with an error status,
    # which rolls the request back, so the row is also kept after a rollback.
    values = {
        "market_id": market.id,
        "firm_id": firm_id,
        "user_id": user.id,
        "command": str(payload.get("command") or "")[:40],
        "code": str(rejection.code)[:60],
        "field": str(rejection.field)[:60] if rejection.field else None,
        "message": str(rejection.message),
        "sim_day": market.sim_day,
    }
    row = MarketRejection(**values)
    db.session.add(row)
    db.session.flush()
    db.keep_after_rollback(MarketRejection, values)
    return row


# --- the clock and the status ---------------------------------------------------------


def advance_market(market: SandboxMarket, days: int = 1) -> dict[str, int]:
    """Play ``days`` sim-days: bot firms act, then the clock steps, day after day.

    Holds the market's lock for the whole advance, so a student's command lands
    entirely before or entirely after it.

    Args:
        market: The market row (must be running).
        days: 1 to ``MAX_ADVANCE_DAYS``.

    Returns:
        ``{"days": ..., "sim_day": ..., "events": ...}`` for the advance.

    Raises:
        OperationError: Market not running, or days out of range.
    """
    if not 1 <= days <= MAX_ADVANCE_DAYS:
        raise OperationError(
            f"Advance between 1 and {MAX_ADVANCE_DAYS} days.",
            field="days",
            code="days_invalid",
        )
    market = lock_market(market)
    _check_running(market)
    engine_market = _open_for_writing(market)
    before = market.last_seq
    has_bots = any(firm.get("bot") for firm in engine_market.state.firms.values())
    for _ in range(days):
        if has_bots:
            run_bots(engine_market)
        engine_market.step()
        _after_write(market, engine_market)
    _keep(market, engine_market)
    return {"days": days, "sim_day": market.sim_day, "events": market.last_seq - before}


def operate(market: SandboxMarket, action: Callable[[Market], T]) -> T:
    """Run an operator's change on a market (running or paused, not finished).

    Takes the market's lock and its engine market for writing, runs ``action`` on it,
    keeps the row in step and hands the market back to the cache on commit; an
    exception from ``action`` propagates and the transaction's rollback discards
    whatever it did. Teachers' injected events go through here.

    Raises:
        OperationError: The market has finished.
    """
    market = lock_market(market)
    if market.status == MarketStatus.FINISHED:
        raise OperationError("This market has finished.", code="market_finished")
    engine_market = _open_for_writing(market)
    result = action(engine_market)
    _after_write(market, engine_market)
    _keep(market, engine_market)
    return result


def _set_status(
    market: SandboxMarket, status: MarketStatus, allowed: set[MarketStatus]
) -> SandboxMarket:
    market = lock_market(market)
    if market.status not in allowed:
        raise OperationError(
            f"The market cannot go from {market.status} to {status}.",
            code="status_invalid",
        )
    market.status = status
    db.session.flush()
    return market


def pause_market(market: SandboxMarket) -> None:
    """Freeze a running market: no commands, no clock steps until resumed.

    A scheduled clock stops too; it keeps its interval for when the market resumes.
    """
    market = _set_status(market, MarketStatus.PAUSED, {MarketStatus.RUNNING, MarketStatus.PAUSED})
    market.next_tick_dt = None
    db.session.flush()


def resume_market(market: SandboxMarket, now: datetime | None = None) -> None:
    """Let a paused market run again; a scheduled clock's next day is an interval from now."""
    was_paused = lock_market(market).status == MarketStatus.PAUSED
    market = _set_status(market, MarketStatus.RUNNING, {MarketStatus.PAUSED, MarketStatus.RUNNING})
    if was_paused and market.tick_minutes:
        market.next_tick_dt = (now or utcnow()) + timedelta(minutes=market.tick_minutes)
        db.session.flush()


def finish_market(market: SandboxMarket) -> None:
    """End a market for good; its log stays for debriefs and checks."""
    market = _set_status(market, MarketStatus.FINISHED, {MarketStatus.RUNNING, MarketStatus.PAUSED})
    market.next_tick_dt = None
    db.session.flush()


# --- snapshots --------------------------------------------------------------------


def take_market_snapshot(market: SandboxMarket, engine_market: Market) -> MarketSnapshot:
    """Store the engine state at ``market.last_seq`` and drop snapshots beyond the kept few.

    ``engine_market`` must be the state of ``market`` at its last sequence number
    (the caller holds the lock).
    """
    if engine_market.state.seq != market.last_seq:
        raise RuntimeError(
            f"market {market.id}: engine at seq {engine_market.state.seq}, log at {market.last_seq}"
        )
    state = engine_market.snapshot()
    row = MarketSnapshot(
        market_id=market.id,
        seq=market.last_seq,
        day=engine_market.state.day,
        state=zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6),
        state_hash=engine_market.state_hash(),
    )
    db.session.add(row)
    market.snapshot_seq = market.last_seq
    db.session.flush()
    kept = _setting("LABS_SNAPSHOTS_KEPT", DEFAULT_SNAPSHOTS_KEPT)
    stale = db.session.scalars(
        sa.select(MarketSnapshot.id)
        .where(MarketSnapshot.market_id == market.id)
        .order_by(MarketSnapshot.seq.desc())
        .offset(max(kept, 1))
    ).all()
    if stale:
        db.session.execute(sa.delete(MarketSnapshot).where(MarketSnapshot.id.in_(stale)))
    return row


def _after_write(market: SandboxMarket, engine_market: Market) -> None:
    # After every write: keep the row's clock in step and snapshot when one is due.
    market.sim_day = engine_market.state.day
    every = _setting("LABS_SNAPSHOT_EVERY", DEFAULT_SNAPSHOT_EVERY)
    if every > 0 and market.last_seq - market.snapshot_seq >= every:
        take_market_snapshot(market, engine_market)


def verify_market(market: SandboxMarket) -> dict[str, Any]:
    """Check a market's log and snapshots against a full replay.

    Four checks: the stored log is gap-free and ends at ``market.last_seq``; the
    latest snapshot's stored hash equals the hash of a replay up to its sequence
    number; opening from that snapshot plus the tail reaches the same hash as
    replaying everything; and so does the cached market, when the cache holds one.

    Returns:
        ``{"ok", "events", "snapshot_seq", "snapshot_matches", "replay_hash",
        "snapshot_hash", "cache_hash"}`` (``cache_hash`` None when nothing is cached
        for this state); ``ok`` is True when all the checks pass.
    """
    store = DatabaseEventStore(db.session, market)
    full = _rebuild(market, use_snapshot=False)
    fast = _rebuild(market)
    market_cache = cache.current_cache()
    cached = (
        market_cache.copy_for_reading(market.id, cache.fingerprint(market))
        if market_cache is not None
        else None
    )
    cache_hash = cached.state_hash() if cached is not None else None
    count, highest = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(MarketEvent.seq)).where(
            MarketEvent.market_id == market.id
        )
    ).one()
    snapshot_row = _latest_snapshot(market)
    snapshot_matches = True
    if snapshot_row is not None:
        upto = replay(store.read(1, snapshot_row.seq), store=store)
        snapshot_matches = upto.state_hash() == snapshot_row.state_hash
    replay_hash = full.state_hash()
    snapshot_hash = fast.state_hash()
    gap_free = count == (highest or 0) == market.last_seq == full.state.seq
    cache_matches = cache_hash is None or cache_hash == replay_hash
    return {
        "ok": gap_free and snapshot_matches and replay_hash == snapshot_hash and cache_matches,
        "events": count,
        "snapshot_seq": snapshot_row.seq if snapshot_row else 0,
        "snapshot_matches": snapshot_matches,
        "replay_hash": replay_hash,
        "snapshot_hash": snapshot_hash,
        "cache_hash": cache_hash,
    }
