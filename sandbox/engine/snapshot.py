"""Snapshots: the whole state as one JSON object, to resume without replaying from 1.

A snapshot holds the primary state, the ledger and the derived indexes at one sequence
number. ``replay(later_events, snapshot=snap)`` continues from it and reaches the same
hash as a full replay. Adapters store snapshots wherever they like (the web app keeps
them beside its event table); the engine only produces and reads the object.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.engine.appliers.platform import market_opened
from sandbox.engine.state import AGENDA_KINDS, MarketState
from sandbox.errors import ReplayError

__all__ = ["SNAPSHOT_VERSION", "restore_snapshot", "take_snapshot"]

SNAPSHOT_VERSION = 1

_PRIMARY = (
    "fx",
    "firms",
    "buyers",
    "inquiries",
    "rfqs",
    "quotes",
    "contracts",
    "purchase_orders",
    "disputes",
    "forwards",
    "credit_limits",
    "counters",
    "buyer_ids",
    "firms_by_product",
    "awaiting_award",
    "supplier_load",
)
_ORDERED_SETS = (
    "open_rfqs_by_product",
    "pending_inquiries",
    "active_by_firm",
    "open_forwards_by_firm",
)


def take_snapshot(state: MarketState) -> dict[str, Any]:
    """Return a JSON-ready, independent copy of ``state``."""
    if state.world is None:
        raise ReplayError("cannot snapshot a market that is not open")
    ledger = state.ledger
    data: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "market_id": state.market_id,
        "seed": state.seed,
        "seq": state.seq,
        "day": state.day,
        "world": state.world.raw,
        "ledger": {
            "books": {
                party: [[a, c, v] for (a, c), v in book.items()]
                for party, book in ledger.books.items()
            },
            "cash_total": ledger.cash_total,
            "supply": ledger.supply,
            "entries": ledger.entries,
        },
        "awaiting_departure": list(state.awaiting_departure),
        "agenda": {
            kind: [[day, ids] for day, ids in days.items()] for kind, days in state.agenda.items()
        },
    }
    for name in _PRIMARY:
        data[name] = getattr(state, name)
    data["shocks"] = state.shocks
    for name in _ORDERED_SETS:
        data[name] = {key: list(members) for key, members in getattr(state, name).items()}
    # A JSON round trip makes the copy independent of the live state.
    return json.loads(json.dumps(data))


def restore_snapshot(snapshot: dict[str, Any]) -> MarketState:
    """Rebuild a :class:`MarketState` from :func:`take_snapshot` output.

    Raises:
        ReplayError: If the snapshot is from another engine version or malformed.
    """
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise ReplayError(f"unsupported snapshot version {snapshot.get('version')!r}")
    data = json.loads(json.dumps(snapshot))
    state = MarketState()
    try:
        market_opened(
            state, {"market_id": data["market_id"], "seed": data["seed"], "world": data["world"]}
        )
        state.seq, state.day = data["seq"], data["day"]
        for name in _PRIMARY:
            setattr(state, name, data[name])
        for name in _ORDERED_SETS:
            setattr(
                state, name, {key: dict.fromkeys(members) for key, members in data[name].items()}
            )
        # Snapshots taken before shocks existed have none.
        state.shocks = data.get("shocks", {})
        state.awaiting_departure = dict.fromkeys(data["awaiting_departure"])
        state.agenda = {kind: {} for kind in AGENDA_KINDS}
        for kind, rows in data["agenda"].items():
            state.agenda[kind] = {int(day): ids for day, ids in rows}
        ledger = state.ledger
        ledger.books = {
            party: {(a, c): v for a, c, v in rows}
            for party, rows in data["ledger"]["books"].items()
        }
        ledger.cash_total = data["ledger"]["cash_total"]
        ledger.supply = data["ledger"]["supply"]
        ledger.entries = data["ledger"]["entries"]
    except (KeyError, TypeError, ValueError) as error:
        raise ReplayError(f"malformed snapshot: {error!r}") from None
    return state
