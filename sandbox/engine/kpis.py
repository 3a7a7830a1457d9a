"""Firm KPIs and platform indicators computed from state (observation, not state)."""

from __future__ import annotations

from typing import Any

from sandbox.customs import credit_class
from sandbox.ledger import balance_sheet, profit_and_loss

__all__ = ["firm_kpis", "response_rate", "response_time", "star_rating"]


def response_rate(firm: dict[str, Any], today: int) -> float | None:
    """Share of inquiries in the last 30 days answered within one day (24 h).

    Inquiries received today or yesterday and not yet answered are still within their
    window and do not count against the firm.
    """
    answered = total = 0
    for received, answered_day in reversed(firm["inquiry_log"]):
        if received < today - 30:
            break
        if answered_day is None and today - received <= 1:
            continue
        total += 1
        if answered_day is not None and answered_day - received <= 1:
            answered += 1
    return None if total == 0 else answered / total


def response_time(firm: dict[str, Any], today: int) -> float | None:
    """Mean days taken to answer the inquiries answered in the last 30 days."""
    waits = []
    for received, answered_day in reversed(firm["inquiry_log"]):
        if received < today - 30:
            break
        if answered_day is not None:
            waits.append(answered_day - received)
    return round(sum(waits) / len(waits), 2) if waits else None


def _stars(points: float, thresholds: list[int]) -> int:
    return sum(1 for threshold in thresholds if points >= threshold)


def star_rating(
    firm: dict[str, Any], today: int, thresholds: list[int]
) -> tuple[int, dict[str, float]]:
    """Return the star rating (0-5) and the indicator points it was capped by.

    Each indicator scores 0-100; its stars count the thresholds it reaches; the firm's
    rating is the lowest indicator's stars, as on the platform.
    """
    stats = firm["stats"]
    rate = response_rate(firm, today)
    listing = firm["listing_quality"]
    indicators = {
        "response": 100.0 if rate is None else round(rate * 100, 2),
        "on_time": 100.0
        if not stats["shipped"]
        else round(100 * stats["on_time"] / stats["shipped"], 2),
        "disputes": 100.0
        if not stats["arrived"]
        else round(100 * max(0.0, 1 - 2 * stats["disputes"] / stats["arrived"]), 2),
        "listing": round(2 * sum(listing.values()) / max(1, len(listing)), 2),
    }
    return min(_stars(points, thresholds) for points in indicators.values()), indicators


def firm_kpis(state: Any, firm_id: str) -> dict[str, Any]:
    """Return the KPI set of one firm (money in CNY fen)."""
    world = state.world
    firm = state.firms[firm_id]
    party = f"firm:{firm_id}"
    pnl = profit_and_loss(state.ledger, party)
    sheet = balance_sheet(state.ledger, party)
    stars, indicators = star_rating(firm, state.day, list(world.platform["star_thresholds"]))
    receivable = state.ledger.balance(party, "receivable")
    sales = pnl["sales"]
    stats = firm["stats"]
    customs_name, _ = credit_class(firm["customs_score"], world.customs["credit_classes"])
    rate = response_rate(firm, state.day)
    return {
        "firm_id": firm_id,
        "name": firm["name"],
        "bot": firm["bot"],
        "revenue": sales,
        # Gross margin counts what the Incoterm makes the seller pay to deliver; the goods
        # margin counts the goods alone (what a quote's EXW mark-up aims at).
        "gross_margin": round(pnl["gross_profit"] / sales, 4) if sales else None,
        "goods_margin": round(pnl["goods_profit"] / sales, 4) if sales else None,
        "net_profit": pnl["net_profit"],
        "cash": state.ledger.cash(party),
        "receivables": receivable,
        "receivable_days": round(receivable * max(1, state.day) / sales, 1) if sales else None,
        "on_time_delivery": round(stats["on_time"] / stats["shipped"], 4)
        if stats["shipped"]
        else None,
        "response_rate": None if rate is None else round(rate, 4),
        "response_days": response_time(firm, state.day),
        "star_rating": stars,
        "star_indicators": indicators,
        "customs_credit": {"score": firm["customs_score"], "class": customs_name},
        "dispute_rate": round(stats["disputes"] / stats["arrived"], 4)
        if stats["arrived"]
        else None,
        "quotes": stats["quotes"],
        "contracts": stats["contracts"],
        "shipped": stats["shipped"],
        "balance_sheet_ok": sheet["balanced"],
    }
