"""The scheduled clock: a sim-day every N minutes for markets whose teacher asked for it.

A market with ``tick_minutes`` set plays one sim-day each time ``next_tick_dt`` passes.
``run_due_ticks(now)`` is one pass of the clock: it finds the running markets that are
due and advances each by one day (several if several intervals were missed, at most
``MAX_CATCH_UP_DAYS``), each market in its own transaction and under its lock, so two
runners (the web process's thread and a cron job, or two web workers) can race without
playing an interval twice: the second finds ``next_tick_dt`` already moved on.

Runners: ``academy sandbox tick`` (one pass, for cron), ``academy sandbox clock`` (a
pass every 30 seconds) and, in the embedded default, a daemon thread of the web process
(``ACADEMY_SANDBOX_CLOCK=thread``) started with the first request it serves.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import Flask

from academy.db import db, utcnow
from academy.errors import OperationError
from academy.labs import markets
from academy.labs.models import MarketStatus, SandboxMarket

__all__ = [
    "CLOCK_INTERVAL_SECONDS",
    "MAX_CATCH_UP_DAYS",
    "MAX_TICK_MINUTES",
    "ClockPass",
    "due_markets",
    "init_app",
    "run_due_ticks",
    "set_market_schedule",
    "tick_market",
]

logger = logging.getLogger("academy.labs.clock")

#: Most sim-days one pass plays for a market that missed several intervals; the rest
#: are skipped, so a server that was down for a night does not replay a month at once.
MAX_CATCH_UP_DAYS = 5
#: The longest interval a teacher may choose (one sim-day a real day).
MAX_TICK_MINUTES = 1440
#: Seconds between two passes of the looping runners (thread and ``sandbox clock``).
CLOCK_INTERVAL_SECONDS = 30


@dataclass
class ClockPass:
    """What one pass of the clock did.

    Attributes:
        due: Markets that were due when the pass began.
        advanced: ``{market_id: days played}`` for the markets it moved.
        failed: Ids of markets whose tick raised (logged, rolled back).
    """

    due: int = 0
    advanced: dict[int, int] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)

    @property
    def days(self) -> int:
        return sum(self.advanced.values())

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"clock: {self.due} markets due, {len(self.advanced)} advanced "
            f"({self.days} sim-days), {len(self.failed)} failed"
        )


def set_market_schedule(
    market: SandboxMarket, tick_minutes: int | None, now: datetime | None = None
) -> SandboxMarket:
    """Play a sim-day every ``tick_minutes`` minutes, or stop the schedule (None).

    The first scheduled day comes one interval after ``now``. A paused market keeps its
    interval and starts counting when resumed.

    Raises:
        OperationError: The market has finished, or the interval is outside 1 to 1440.
    """
    if tick_minutes is not None and not 1 <= tick_minutes <= MAX_TICK_MINUTES:
        raise OperationError(
            f"Choose between 1 and {MAX_TICK_MINUTES} minutes.",
            field="tick_minutes",
            code="tick_minutes_invalid",
        )
    market = markets.lock_market(market)
    if market.status == MarketStatus.FINISHED:
        raise OperationError("This market has finished.", code="market_finished")
    market.tick_minutes = tick_minutes
    if tick_minutes is None or market.status != MarketStatus.RUNNING:
        market.next_tick_dt = None
    else:
        market.next_tick_dt = (now or utcnow()) + timedelta(minutes=tick_minutes)
    db.session.flush()
    return market


def due_markets(now: datetime) -> list[SandboxMarket]:
    """Running markets on a schedule whose next sim-day is due at ``now``, oldest first."""
    return list(
        db.session.scalars(
            sa.select(SandboxMarket)
            .where(
                SandboxMarket.status == MarketStatus.RUNNING,
                SandboxMarket.tick_minutes.is_not(None),
                SandboxMarket.next_tick_dt.is_not(None),
                SandboxMarket.next_tick_dt <= now,
            )
            .order_by(SandboxMarket.next_tick_dt, SandboxMarket.id)
        )
    )


def tick_market(market_id: int, now: datetime) -> int:
    """Play the sim-days a market owes at ``now`` and schedule its next one.

    Locks the market first and decides from the locked row, so a runner that lost the
    race to another finds the market no longer due and plays nothing.

    Returns:
        The sim-days played (0 when the market is not due, paused or finished).
    """
    market = markets.lock_market(market_id)
    due_dt = market.next_tick_dt
    if (
        market.status != MarketStatus.RUNNING
        or market.tick_minutes is None
        or due_dt is None
        or due_dt > now
    ):
        return 0
    interval = timedelta(minutes=market.tick_minutes)
    missed = (now - due_dt) // interval + 1
    days = min(missed, MAX_CATCH_UP_DAYS)
    markets.advance_market(market, days)
    market.next_tick_dt = due_dt + missed * interval
    db.session.flush()
    return days


def run_due_ticks(now: datetime | None = None) -> ClockPass:
    """One pass of the clock: advance every due market, one transaction each.

    Must run in an application context with no transaction of its own in progress
    (each market commits separately). A market that fails is rolled back and logged;
    the others still move.
    """
    now = now or utcnow()
    due_ids = _retry_when_locked(lambda: [market.id for market in due_markets(now)])
    result = ClockPass(due=len(due_ids))
    for market_id in due_ids:
        try:
            days = _retry_when_locked(partial(tick_market, market_id, now))
        except Exception:
            logger.exception("clock: market %s could not advance", market_id)
            result.failed.append(market_id)
            continue
        if days:
            result.advanced[market_id] = days
    if due_ids:
        logger.info(result.summary())
    return result


#: Attempts of one unit of work that SQLite refused with "database is locked".
LOCKED_ATTEMPTS = 5


def _retry_when_locked(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a unit of work, again after a pause if SQLite was locked.

    Under a burst of writers (hundreds of logins at once) SQLite may give up waiting for
    its write lock after the busy timeout; the clock is not in a hurry, so it tries again
    rather than skipping the market for a whole interval.
    """
    for attempt in range(1, LOCKED_ATTEMPTS + 1):
        try:
            with db.unit_of_work():
                return work()
        except sa.exc.OperationalError as error:
            if attempt == LOCKED_ATTEMPTS or "database is locked" not in str(error):
                raise
            logger.warning("clock: database locked, attempt %s of %s", attempt, LOCKED_ATTEMPTS)
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


# --- the in-process runner -------------------------------------------------------------


def run_forever(
    app: Flask,
    stop: threading.Event,
    interval: float = CLOCK_INTERVAL_SECONDS,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Run a pass every ``interval`` seconds in its own app context until ``stop`` is set."""
    while not stop.is_set():
        try:
            with app.app_context():
                run_due_ticks(clock())
        except Exception:  # the database may be away for a moment; try again later
            logger.exception("clock: pass failed")
        stop.wait(interval)


def _start_thread(app: Flask) -> threading.Thread:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(app, stop), name="academy-sandbox-clock", daemon=True
    )
    app.extensions["academy.labs.clock"] = {"thread": thread, "stop": stop, "pid": os.getpid()}
    thread.start()
    logger.info("clock: thread started in process %s", os.getpid())
    return thread


def init_app(app: Flask) -> None:
    """Start the clock thread with the first request when ``SANDBOX_CLOCK`` is "thread".

    Starting on the first request rather than in ``create_app`` keeps the thread out of
    processes that never serve: CLI commands, the reloader's watching parent and a
    gunicorn master before it forks (each worker starts its own, and the market lock
    keeps several runners from playing an interval twice).
    """
    if app.config.get("SANDBOX_CLOCK", "off") != "thread":
        return
    guard = threading.Lock()

    @app.before_request
    def start_sandbox_clock() -> None:
        state = app.extensions.get("academy.labs.clock")
        if state is not None and state["pid"] == os.getpid():
            return
        with guard:
            state = app.extensions.get("academy.labs.clock")
            if state is None or state["pid"] != os.getpid():
                _start_thread(app)
