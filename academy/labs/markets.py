"""Operations on sandbox markets: students' commands, the clock, the market's status.

Every write runs inside the caller's unit of work and only ``flush()``-es. Writes to one
market are serialised by locking its row first (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` and so
already runs alone). After the lock the operation takes the engine market from the
repository (``academy.labs.repository``: the cache, or the latest snapshot plus the
tail of the log), lets the engine act, and the events it produced are appended in the
same transaction. A rejected command writes nothing. Founding markets and firms lives
in ``academy.labs.founding``; its functions stay importable from here.

Refusals by the platform (market paused, firm not the user's...) raise
``OperationError`` with a stable ``code`` and, where one applies, a ``field``; the
messages are English and the pages translate by code, as they do for the engine's
rejection codes (``docs/labs-persistence.md`` lists them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth.models import User
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.labs.founding import add_firm, add_member, create_market
from academy.labs.models import (
    CommandReceipt,
    MarketRejection,
    MarketStatus,
    SandboxMarket,
)
from academy.labs.queries import firm_for_user
from academy.labs.repository import (
    DEFAULT_SNAPSHOT_EVERY,
    after_write,
    keep,
    lock_market,
    open_for_writing,
    open_market,
    take_market_snapshot,
    verify_market,
    writing,
)
from academy.labs.store import DatabaseEventStore
from sandbox import (
    CommandRejected,
    Market,
    command_from_dict,
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
        """The sequence number of the first event written, or None."""
        return self.events[0]["seq"] if self.events else None

    @property
    def last_seq(self) -> int | None:
        """The sequence number of the last event written, or None."""
        return self.events[-1]["seq"] if self.events else None


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


def _check_key(idempotency_key: str | None) -> None:
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= KEY_MAX_LENGTH:
        raise OperationError(
            "This form has expired; reload the page and try again.",
            field="idempotency_key",
            code="idempotency_key_invalid",
        )


def _replayed(
    market: SandboxMarket, user: User, firm_id: str, idempotency_key: str | None
) -> CommandResult | None:
    # The result of an earlier submit with this key, or None when there was none.
    if not idempotency_key:
        return None
    receipt = db.session.scalar(
        sa.select(CommandReceipt).where(
            CommandReceipt.market_id == market.id,
            CommandReceipt.idempotency_key == idempotency_key,
        )
    )
    if receipt is None:
        return None
    if receipt.user_id != user.id or receipt.firm_id != firm_id:
        raise OperationError(
            "This form was already used by someone else.", code="idempotency_conflict"
        )
    events = _events_between(market, receipt.first_seq, receipt.last_seq)
    return CommandResult(ok=True, events=events, replayed=True)


def _firm_payload(
    market: SandboxMarket, user: User, firm_id: str, command: dict[str, Any]
) -> dict[str, Any]:
    # The command as the engine gets it, once the user may send it for this firm.
    _check_running(market)
    firm = firm_for_user(market, user)
    claimed = command.get("firm_id", firm_id)
    if firm is None or firm.firm_id != firm_id or claimed != firm_id:
        raise OperationError(
            "You can only act for your own firm.", field="firm_id", code="firm_not_yours"
        )
    if command.get("command") in _OPERATOR_COMMANDS:
        raise OperationError(
            "This action is not available to firms.", field="command", code="command_refused"
        )
    return {**command, "firm_id": firm_id}


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
    Every command is logged: who, which market and firm, which command, the outcome.

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
    _check_key(idempotency_key)
    market = lock_market(market)
    replayed = _replayed(market, user, firm_id, idempotency_key)
    if replayed is not None:
        return replayed
    payload = _firm_payload(market, user, firm_id, command)
    try:
        engine_command = command_from_dict(payload)
    except CommandRejected as rejection:
        return _rejected(market, user, firm_id, payload, rejection)
    with writing(market) as engine_market:
        try:
            events = engine_market.execute(engine_command)
        except CommandRejected as rejection:
            # The engine validates before it emits: the market is unchanged, keep it.
            return _rejected(market, user, firm_id, payload, rejection)
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
    logger.info(
        "labs command %s by user %s for firm %s in market %s: accepted, %d events",
        payload["command"],
        user.id,
        firm_id,
        market.id,
        len(events),
    )
    return CommandResult(ok=True, events=[event.to_dict() for event in events])


def _rejected(
    market: SandboxMarket,
    user: User,
    firm_id: str,
    payload: dict[str, Any],
    rejection: CommandRejected,
) -> CommandResult:
    _record_rejection(market, user, firm_id, payload, rejection)
    logger.info(
        "labs command %s by user %s for firm %s in market %s: rejected, %s",
        payload.get("command"),
        user.id,
        firm_id,
        market.id,
        rejection.code,
    )
    return CommandResult(ok=False, error=rejection.as_dict())


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


def advance_market(market: SandboxMarket, days: int = 1, *, by: Any = None) -> dict[str, int]:
    """Play ``days`` sim-days: bot firms act, then the clock steps, day after day.

    Holds the market's lock for the whole advance, so a student's command lands
    entirely before or entirely after it.

    Args:
        market: The market row (must be running).
        days: 1 to ``MAX_ADVANCE_DAYS``.
        by: The teacher moving the clock by hand (recorded in the audit log); the
            scheduled clock and the labs' own advances leave it empty.

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
    engine_market = open_for_writing(market)
    before = market.last_seq
    has_bots = any(firm.get("bot") for firm in engine_market.state.firms.values())
    for _ in range(days):
        if has_bots:
            run_bots(engine_market)
        engine_market.step()
        after_write(market, engine_market)
    keep(market, engine_market)
    if by is not None:
        record_event(
            AuditAction.MARKET_ADVANCED, actor=by, subject=market, days=days, day=market.sim_day
        )
    logger.info("labs market %s advanced %d days to day %d", market.id, days, market.sim_day)
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
    with writing(market) as engine_market:
        return action(engine_market)


def _set_status(
    market: SandboxMarket, status: MarketStatus, allowed: set[MarketStatus]
) -> SandboxMarket:
    market = lock_market(market)
    if market.status not in allowed:
        raise OperationError(
            f"The market cannot go from {market.status} to {status}.",
            code="status_invalid",
        )
    if market.status != status:
        record_event(
            AuditAction.MARKET_STATUS_CHANGED,
            subject=market,
            old=str(market.status),
            new=str(status),
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
