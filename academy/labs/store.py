"""The sandbox's event store on the application database.

``DatabaseEventStore`` implements ``sandbox.store.EventStore`` for one market row. It
appends inside the caller's unit of work (``flush()``, never ``commit()``), so a
command's events are committed or rolled back together with everything else the
request wrote. The caller must hold the market's lock (see
``academy.labs.markets.lock_market``); the primary key (market_id, seq) refuses a
duplicate should anyone forget.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from academy.db import AnySession, utcnow
from academy.labs.models import MarketEvent, SandboxMarket
from sandbox import SPEC_VERSIONS, Event, ReplayError

__all__ = ["DatabaseEventStore"]

# Rows fetched per round trip when replaying; large enough to keep replay cheap,
# small enough not to hold a whole long market in the driver's buffers.
READ_CHUNK = 2000


class DatabaseEventStore:
    """Append-only event storage of one :class:`SandboxMarket` in ``market_events``.

    Args:
        session: The unit of work's session.
        market: The market row; its ``last_seq`` follows every append.
    """

    def __init__(self, session: AnySession, market: SandboxMarket) -> None:
        self.session = session
        self.market = market

    def append(self, events: Iterable[Event]) -> None:
        """Insert events continuing the log and advance the market row.

        Raises:
            ReplayError: A sequence number does not continue the log.
        """
        rows = []
        expected = self.market.last_seq + 1
        now = utcnow()
        for event in events:
            if event.seq != expected:
                raise ReplayError(
                    f"market {self.market.id}: expected seq {expected}, got {event.seq}"
                )
            rows.append(
                {
                    "market_id": self.market.id,
                    "seq": event.seq,
                    "day": event.day,
                    "type": event.type,
                    "version": event.version,
                    "data": event.data,
                    "created_dt": now,
                }
            )
            expected += 1
        if not rows:
            return
        self.session.execute(sa.insert(MarketEvent), rows)
        self.market.last_seq = expected - 1
        self.session.flush()

    def read(self, from_seq: int = 1, to_seq: int | None = None) -> Iterator[Event]:
        """Yield the market's events with ``from_seq <= seq (<= to_seq)`` in order.

        Reads in keyset pages of ``READ_CHUNK`` rows, so a long market is never held
        in memory twice.

        Raises:
            ReplayError: An event's type is unknown or newer than this engine.
        """
        versions = SPEC_VERSIONS
        columns = (MarketEvent.seq, MarketEvent.day, MarketEvent.type, MarketEvent.version)
        position = max(from_seq, 1) - 1
        while True:
            query = (
                sa.select(*columns, MarketEvent.data)
                .where(MarketEvent.market_id == self.market.id, MarketEvent.seq > position)
                .order_by(MarketEvent.seq)
                .limit(READ_CHUNK)
            )
            if to_seq is not None:
                query = query.where(MarketEvent.seq <= to_seq)
            rows = self.session.execute(query).all()
            for seq, day, type_, version, data in rows:
                if versions.get(type_, 0) < version:
                    raise ReplayError(
                        f"market {self.market.id} event {seq}: unknown or newer {type_}"
                    )
                yield Event(seq, day, type_, version, data)
            if len(rows) < READ_CHUNK:
                return
            position = rows[-1][0]

    def last_seq(self) -> int:
        """Return the last stored sequence number (0 for an empty log)."""
        stored = self.session.scalar(
            sa.select(sa.func.max(MarketEvent.seq)).where(MarketEvent.market_id == self.market.id)
        )
        return int(stored or 0)
