"""An in-process cache of engine markets, so a command need not rebuild its market.

Rebuilding a market (latest snapshot plus the tail of the log) costs a long market
150-280 ms; a command itself costs a few. The cache keeps the engine markets of the
last few markets used, each valid only for the exact row it was built at: the market's
``created_dt`` (a reused id is another market), ``last_seq`` and ``snapshot_seq``.

The rules that keep it honest:

* A writer holds the market's database lock, then **takes** the cached market out
  (``take``: nobody else can use it meanwhile) or rebuilds it. When its operation has
  written, it parks the market on its session (``hold``); only when that session's
  transaction **commits** does the market go back into the cache, stamped with the
  row as committed. A rollback (of the transaction or of a savepoint) drops whatever
  was parked, so the cache never holds a market ahead of the database.
* A later operation of the same transaction continues from the parked market.
* Readers (pages) get a private **copy** (``copy_for_reading``) and never see the
  shared object, so no page can change it and no writer changes it under a page.

Each application has its own cache (``LABS_MARKET_CACHE_SIZE`` markets, least recently
used first out; 0 turns it off).
"""

from __future__ import annotations

import gc
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from academy.db import AnySession
from academy.labs.models import SandboxMarket
from sandbox import InMemoryEventStore, Market, MarketState

__all__ = ["DEFAULT_SIZE", "MarketCache", "current_cache", "fingerprint", "init_app"]

#: Markets kept unless ``LABS_MARKET_CACHE_SIZE`` says otherwise.
DEFAULT_SIZE = 16

#: Where a session keeps the markets its transaction has written, until it ends.
_PARKED = "academy.labs.parked_markets"

Fingerprint = tuple[datetime | None, int, int]


def fingerprint(row: SandboxMarket) -> Fingerprint:
    """What identifies the state a market row stands for."""
    return (row.created_dt, row.last_seq, row.snapshot_seq)


class _Detached(InMemoryEventStore):
    """The store of a cached market: refuses appends until a writer rebinds it."""

    def append(self, events: Any) -> None:
        raise RuntimeError("a cached market was written without rebinding its store")


@dataclass
class _Entry:
    fingerprint: Fingerprint
    market: Market


def copy_market(engine_market: Market) -> Market:
    """An independent copy of a market's state (sharing only the read-only world).

    One pickle round trip of the state's attributes, the scenario world left out and
    shared: several times faster than ``copy.deepcopy`` or restoring a snapshot.
    """
    state = engine_market.state
    fields = {name: value for name, value in vars(state).items() if name != "world"}
    copied = MarketState.__new__(MarketState)
    data = pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
    # As in ``sandbox.engine.market.replay``: loading allocates many small containers
    # that all stay alive, and the cyclic collector would rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        vars(copied).update(pickle.loads(data))
    finally:
        if collecting:
            gc.enable()
    copied.world = state.world
    clone = Market(_Detached())
    clone.state = copied
    return clone


class MarketCache:
    """Engine markets by market id, least recently used evicted first.

    Args:
        size: Markets kept; 0 keeps none.
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = max(0, size)
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, market_id: int) -> bool:
        return market_id in self._entries

    def take(self, market_id: int, expected: Fingerprint) -> Market | None:
        """Remove and return the market if it was built at ``expected``; else None.

        A stale entry is dropped. The caller must hold the market's database lock.
        """
        with self._lock:
            entry = self._entries.pop(market_id, None)
            if entry is None or entry.fingerprint != expected:
                self.misses += 1
                return None
            self.hits += 1
            return entry.market

    def copy_for_reading(self, market_id: int, expected: Fingerprint) -> Market | None:
        """A private copy of the market if it was built at ``expected``; else None."""
        with self._lock:
            entry = self._entries.get(market_id)
            if entry is None or entry.fingerprint != expected:
                return None
            self._entries.move_to_end(market_id)
            return copy_market(entry.market)

    def put(self, market_id: int, stamp: Fingerprint, engine_market: Market) -> None:
        """Keep a market built at ``stamp`` (committed state only), evicting the oldest.

        A newer entry of the same market is never replaced by an older one (two
        transactions may finish their commits in either order).
        """
        if self.size == 0 or engine_market.state.seq != stamp[1]:
            return
        engine_market.store = _Detached()
        with self._lock:
            current = self._entries.get(market_id)
            if (
                current is not None
                and current.fingerprint[0] == stamp[0]
                and current.fingerprint[1] > stamp[1]
            ):
                return
            self._entries[market_id] = _Entry(stamp, engine_market)
            self._entries.move_to_end(market_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def discard(self, market_id: int) -> None:
        """Forget one market."""
        with self._lock:
            self._entries.pop(market_id, None)

    def clear(self) -> None:
        """Forget every market."""
        with self._lock:
            self._entries.clear()


def init_app(app: Flask) -> None:
    """Give the application its cache, sized by ``LABS_MARKET_CACHE_SIZE``."""
    app.extensions["academy.labs.cache"] = MarketCache(
        int(app.config.get("LABS_MARKET_CACHE_SIZE", DEFAULT_SIZE))
    )


def current_cache() -> MarketCache | None:
    """The cache of the current application (None outside one, or when turned off)."""
    if not has_app_context():
        return None
    cache = current_app.extensions.get("academy.labs.cache")
    return cache if cache is not None and cache.size > 0 else None


# --- markets parked on a session until its transaction ends ------------------------------


def hold(session: AnySession, row: SandboxMarket, engine_market: Market) -> None:
    """Park a written market on the session; it enters the cache if the session commits."""
    cache = current_cache()
    if cache is None:
        return
    session.info.setdefault(_PARKED, {})[row.id] = (cache, fingerprint(row), engine_market)


def unpark(session: AnySession, row: SandboxMarket) -> Market | None:
    """Take back the market this transaction last wrote, if it is at the row's state."""
    parked = session.info.get(_PARKED)
    if not parked or row.id not in parked:
        return None
    _cache, stamp, engine_market = parked.pop(row.id)
    return engine_market if stamp == fingerprint(row) else None


def peek_parked(session: AnySession, row: SandboxMarket) -> Market | None:
    """The market this transaction wrote (not yet committed), for reading; or None."""
    parked = session.info.get(_PARKED)
    if not parked or row.id not in parked:
        return None
    _cache, stamp, engine_market = parked[row.id]
    return engine_market if stamp == fingerprint(row) else None


@event.listens_for(Session, "after_commit")
def _put_back_after_commit(session: Session) -> None:
    parked = session.info.pop(_PARKED, None)
    for market_id, (cache, stamp, engine_market) in (parked or {}).items():
        cache.put(market_id, stamp, engine_market)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, _previous: SessionTransaction) -> None:
    # Any rollback, a savepoint's too: what was parked may include undone writes.
    session.info.pop(_PARKED, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_when_the_transaction_ends(session: Session, transaction: SessionTransaction) -> None:
    # After commit the markets are already in the cache; a close without commit drops them.
    if transaction.parent is None:
        session.info.pop(_PARKED, None)
