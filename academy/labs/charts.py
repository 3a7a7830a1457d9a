"""A firm's history over sim-days and the server-rendered SVG line charts of the pages."""

from __future__ import annotations

from typing import Any

from academy.labs.models import SandboxMarket
from sandbox import firm_daily_kpis


def firm_history(market: SandboxMarket, firm_id: str, max_points: int = 60) -> list[dict[str, int]]:
    """The firm's cash, revenue and net profit at the end of each sim-day.

    Replays the market's log once and reads, at each ``DayClosed``, the same KPIs the
    firm's view shows (``sandbox.firm_daily_kpis``). At most
    ``max_points`` days are kept, evenly spread, the last day always included.
    """
    from academy.db import db
    from academy.labs.store import DatabaseEventStore

    events = DatabaseEventStore(db.session, market).read(1)
    points = [
        {
            "day": day,
            "cash": int(kpis["cash"]),
            "revenue": int(kpis["revenue"]),
            "net_profit": int(kpis["net_profit"]),
        }
        for day, kpis in firm_daily_kpis(events, firm_id)
    ]
    if len(points) > max_points:
        step = len(points) / max_points
        kept = [points[int(i * step)] for i in range(max_points - 1)]
        points = [*kept, points[-1]]
    return points


def line_chart(
    points: list[dict[str, int]],
    keys: tuple[str, ...],
    width: int = 640,
    height: int = 220,
    *,
    include_zero: bool = True,
) -> dict[str, Any] | None:
    """Scale series of ``points`` into SVG polylines (server-rendered, no script).

    With ``include_zero=False`` the vertical axis spans only the values (for series
    such as exchange rates that never come near zero).

    Returns:
        ``{"width", "height", "lines": [{"key", "points"}], "low", "high", "first_day",
        "last_day", "zero"}`` or None with fewer than two points.
    """
    if len(points) < 2:
        return None
    pad = 10
    values = [point[key] for point in points for key in keys]
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0), max(high, 0)
    span = (high - low) or 1
    first, last = points[0]["day"], points[-1]["day"]
    days = (last - first) or 1

    def x(day: int) -> float:
        return round(pad + (width - 2 * pad) * (day - first) / days, 1)

    def y(value: int) -> float:
        return round(height - pad - (height - 2 * pad) * (value - low) / span, 1)

    lines = [
        {"key": key, "points": " ".join(f"{x(p['day'])},{y(p[key])}" for p in points)}
        for key in keys
    ]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "low": low,
        "high": high,
        "first_day": first,
        "last_day": last,
        "zero": y(0) if low <= 0 <= high else None,
    }
