"""The engine-market repository: where an engine market is read from and written back.

One room for the three parts of a market's persistence: the event log and snapshots in
the database (``academy.labs.store``, the ``market_snapshots`` table) and the engine
markets kept in memory between requests (``academy.labs.cache``). Everything else in
labs reads a market through :func:`open_market` and changes one only inside
:func:`writing`, which opens it once under the row's lock, hands it to the change, and
keeps the row in step, snapshots when due and puts the market back in the cache when
the transaction commits.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context

from academy.db import db
from academy.errors import OperationError
from academy.labs import cache
from academy.labs.models import MarketEvent, MarketSnapshot, SandboxMarket
from academy.labs.store import DatabaseEventStore
from sandbox import Market, replay

__all__ = [
    "DEFAULT_SNAPSHOTS_KEPT",
    "DEFAULT_SNAPSHOT_EVERY",
    "after_write",
    "keep",
    "lock_market",
    "open_for_writing",
    "open_market",
    "rebuild",
    "take_market_snapshot",
    "verify_market",
    "writing",
]

#: Events between snapshots unless ``LABS_SNAPSHOT_EVERY`` says otherwise.
DEFAULT_SNAPSHOT_EVERY = 2000
#: Snapshots kept per market unless ``LABS_SNAPSHOTS_KEPT`` says otherwise.
DEFAULT_SNAPSHOTS_KEPT = 2


def _setting(name: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(name, default))
    return default


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
    ``execute`` or ``step`` on it (changes go through :func:`writing`).

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
    return rebuild(market, use_snapshot=use_snapshot)


def rebuild(market: SandboxMarket, *, use_snapshot: bool = True) -> Market:
    """The engine market rebuilt from the latest snapshot plus the tail, or the whole log.

    The market's store appends to the database, so the result may be written to.
    """
    store = DatabaseEventStore(db.session, market)
    snapshot_row = _latest_snapshot(market) if use_snapshot else None
    if snapshot_row is None:
        return replay(store.read(1), store=store)
    snapshot = _decode_snapshot(snapshot_row)
    return replay(store.read(snapshot_row.seq + 1), store=store, snapshot=snapshot)


def open_for_writing(market: SandboxMarket) -> Market:
    """The engine market to change, taken out of the cache or rebuilt.

    The caller holds the market's lock (``lock_market``) and, once it has written,
    hands the market to ``keep`` so it goes back into the cache on commit.
    """
    engine_market = cache.unpark(db.session, market)
    if engine_market is None:
        market_cache = cache.current_cache()
        if market_cache is not None:
            engine_market = market_cache.take(market.id, cache.fingerprint(market))
    if engine_market is None:
        return rebuild(market)
    engine_market.store = DatabaseEventStore(db.session, market)
    return engine_market


def keep(market: SandboxMarket, engine_market: Market) -> None:
    """Put the engine market back into the cache if (and only if) the transaction commits."""
    cache.hold(db.session, market, engine_market)


@contextmanager
def writing(market: SandboxMarket) -> Iterator[Market]:
    """The engine market of a locked row, to change; written back when the block ends.

    The caller holds the row's lock (:func:`lock_market`). When the block ends without
    an exception the row's clock is brought in step, a snapshot is taken when one is
    due and the market goes back into the cache once the transaction commits. An
    exception leaves the cache alone: the rollback discards what the block did.
    """
    engine_market = open_for_writing(market)
    yield engine_market
    after_write(market, engine_market)
    keep(market, engine_market)


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


def after_write(market: SandboxMarket, engine_market: Market) -> None:
    """After every write: keep the row's clock in step and snapshot when one is due."""
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
    full = rebuild(market, use_snapshot=False)
    fast = rebuild(market)
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
