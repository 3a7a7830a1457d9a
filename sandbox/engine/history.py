"""A firm's daily KPI series: the market's log folded once, read at the end of every day."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

from sandbox.engine.appliers import apply_event
from sandbox.engine.kpis import firm_kpis
from sandbox.engine.state import MarketState
from sandbox.events import Event

__all__ = ["firm_daily_kpis"]


def firm_daily_kpis(events: Iterable[Event], firm_id: str) -> list[tuple[int, dict[str, Any]]]:
    """Return ``(day, firm_kpis(...))`` for every closed day on which the firm existed.

    Folds ``events`` (a whole log, oldest first) into a fresh state and reads the same
    KPIs the firm's view shows after each ``DayClosed``. The garbage collector is held
    off while folding: a long log allocates many small objects and none of them cycle.
    """
    state = MarketState()
    days: list[tuple[int, dict[str, Any]]] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for event in events:
            apply_event(state, event)
            if event.type == "DayClosed" and firm_id in state.firms:
                days.append((int(event.data["day"]), firm_kpis(state, firm_id)))
    finally:
        if collecting:
            gc.enable()
    return days
