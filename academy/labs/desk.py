"""Reads behind a firm's FX desk and its disputes page.

The FX desk shows the day's rates (mid and the bank's bid), their history from the
market's ``FxRatesSet`` events, the firm's open USD exposure, its forwards and the
forward rates the bank would quote today. The disputes page rebuilds each of the
firm's Trade-Assurance disputes as a timeline: what happened (from the dispute
events) and what the platform's rules say comes next (from the scenario's
``[platform]`` table and the engine's rules in ``sandbox.engine.settlement`` and
``sandbox.engine.handlers.platform``). Nothing here writes, and nothing shows what
the firm could not know (a dispute's merit stays hidden).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.db import db
from academy.labs.charts import line_chart
from academy.labs.firm import FirmPage
from academy.labs.labels import DisputeActor, dispute_reason_label
from academy.labs.models import MarketEvent, SandboxMarket
from academy.labs.world_names import world_name
from sandbox import (
    FX_SCALE,
    apply_rate,
    bank_bid,
    forward_cover,
    forward_terms,
    open_exposure,
    usd_bid,
)

__all__ = [
    "ARBITRATION_DAYS",
    "FORWARD_TENORS",
    "MIN_OFFER_SHARE",
    "dispute_cards",
    "format_rate",
    "forward_quote",
    "fx_desk",
]

#: Tenors the desk quotes in its table of forward rates (days).
FORWARD_TENORS = (7, 30, 60, 90, 180)
#: Days the platform takes to rule after escalation (``settlement._disputes``).
ARBITRATION_DAYS = 3
#: Share of the claim a buyer accepts at least (``handlers.platform.resolve_dispute``).
MIN_OFFER_SHARE = Decimal("0.6")
#: Days of rate history drawn at most (evenly spread, the last day kept).
MAX_CHART_POINTS = 60


def format_rate(rate: int) -> str:
    """CNY per unit of a currency from an engine rate (``CNY x 10**8``)."""
    value = Decimal(rate) / FX_SCALE
    places = 4 if value >= Decimal("0.01") else 6
    return f"{value:.{places}f}"


def _events(market: SandboxMarket, types: tuple[str, ...]) -> list[tuple[int, int, str, dict]]:
    """The market's events of some types as ``(seq, day, type, data)``, oldest first."""
    rows = db.session.execute(
        sa.select(MarketEvent.seq, MarketEvent.day, MarketEvent.type, MarketEvent.data)
        .where(MarketEvent.market_id == market.id, MarketEvent.type.in_(types))
        .order_by(MarketEvent.seq)
    ).all()
    return [(seq, day, type_, data) for seq, day, type_, data in rows]


def _thin(points: list[dict[str, Any]], most: int) -> list[dict[str, Any]]:
    if len(points) <= most:
        return points
    step = len(points) / most
    return [*(points[int(i * step)] for i in range(most - 1)), points[-1]]


def rate_history(market: SandboxMarket) -> list[dict[str, Any]]:
    """The mid rates at the end of each sim-day: ``[{"day", "rates": {code: rate}}]``."""
    by_day: dict[int, dict[str, int]] = {}
    for _seq, day, _type, data in _events(market, ("FxRatesSet",)):
        by_day[day] = data["rates"]
    return [{"day": day, "rates": rates} for day, rates in sorted(by_day.items())]


def forward_quote(page: FirmPage, days: int) -> int | None:
    """The outright rate the bank quotes today for selling USD ``days`` ahead."""
    terms = forward_quote_terms(page, days)
    return None if terms is None else terms["outright"]


def _tenor(page: FirmPage, days: int) -> dict[str, Any]:
    """One column of the forward table: the rate, its points in pips (0.0001 yuan per
    dollar) and the annual differential the points imply."""
    terms = forward_quote_terms(page, days) or {}
    return {
        "days": days,
        "rate": terms.get("outright"),
        "points_pips": Decimal(terms.get("points", 0)) / 10_000,
        "implied": terms.get("implied_differential"),
    }


def forward_quote_terms(page: FirmPage, days: int) -> dict[str, Any] | None:
    """The bank's forward for ``days``: outright, points and the rate differential behind them."""
    if not 7 <= days <= 180:
        return None
    points = int(page.world.money["forward_points_ppm_per_day"])
    return forward_terms(usd_bid(page.engine), days, page.world.fx_rules.interest, points)


def _rate_charts(history: list[dict[str, Any]], codes: list[str]) -> dict[str, Any]:
    """Two charts: USD in CNY (mid), and every currency as a change since day 0."""
    usd_points = [
        {"day": item["day"], "usd": item["rates"]["USD"] // 10_000}
        for item in history
        if "USD" in item["rates"]
    ]
    first = history[0]["rates"] if history else {}
    change_points = []
    for item in history:
        point: dict[str, Any] = {"day": item["day"]}
        for code in codes:
            start = first.get(code)
            now = item["rates"].get(code, start)
            # basis points of change since the market opened
            point[code] = (now - start) * 10_000 // start if start else 0
        change_points.append(point)
    usd_chart = line_chart(_thin(usd_points, MAX_CHART_POINTS), ("usd",), include_zero=False)
    change_chart = line_chart(_thin(change_points, MAX_CHART_POINTS), tuple(codes))
    return {"usd": usd_chart, "change": change_chart}


def fx_desk(page: FirmPage, market: SandboxMarket) -> dict[str, Any]:
    """Everything the FX desk shows for the firm of ``page``.

    Returns:
        ``{"rates", "charts", "exposure", "covered", "uncovered", "receivables",
        "forwards", "tenors", "points_ppm"}``: rates as rows ``{"code", "mid", "bid",
        "change_bp", "markets"}``; receivables as ``{"contract", "open_usd"}``; forwards
        with ``used`` and ``unused`` (USD cents) and ``state`` (open, matured, settled).
    """
    engine, world, firm_id = page.engine, page.world, page.firm_id
    spread = world.rate("fx_spread")
    history = rate_history(market)
    first = history[0]["rates"] if history else {}
    markets_by_currency: dict[str, list[str]] = {}
    for market_info in world.markets.values():
        markets_by_currency.setdefault(market_info.currency, []).append(
            world_name(market_info.name)
        )
    rates = []
    for code in sorted(page.view["fx"]):
        mid = page.view["fx"][code]
        start = first.get(code, mid)
        rates.append(
            {
                "code": code,
                "mid": mid,
                "bid": bank_bid(mid, spread),
                "change_bp": (mid - start) * 10_000 // start if start else 0,
                "markets": markets_by_currency.get(code, []),
                "peg": world.fx_rules.pegs.get(code),
            }
        )
    receivables = []
    for contract in page.view["contracts"]:
        if contract["status"] != "active":
            continue
        open_usd = contract["amount"] - contract.get("paid_usd", 0)
        if open_usd > 0:
            receivables.append({"contract": contract, "open_usd": open_usd})
    settled = {
        data["forward_id"]: data for _s, _d, _t, data in _events(market, ("ForwardSettled",))
    }
    forwards = []
    for forward in sorted(page.view["forwards"], key=lambda f: f["forward_id"], reverse=True):
        if forward["status"] == "settled":
            unused = settled.get(forward["forward_id"], {}).get("unused", 0)
            state = "settled"
        else:
            unused = forward["remaining"]
            state = "open" if forward["maturity_day"] >= engine.state.day else "matured"
        forwards.append(
            {**forward, "used": forward["amount"] - unused, "unused": unused, "state": state}
        )
    exposure = open_exposure(engine, firm_id)
    covered = forward_cover(engine, firm_id)
    tenors = [_tenor(page, days) for days in FORWARD_TENORS]
    interest = world.fx_rules.interest
    return {
        "rates": rates,
        "usd_bid": usd_bid(engine),
        "charts": _rate_charts(history, [row["code"] for row in rates]),
        "exposure": exposure,
        "covered": covered,
        "uncovered": max(0, exposure - covered),
        "receivables": receivables,
        "forwards": forwards,
        "tenors": tenors,
        "points_ppm": int(world.money["forward_points_ppm_per_day"]),
        "interest_cny": interest.get("CNY"),
        "interest_usd": interest.get("USD"),
        "rate_differential": (
            interest["CNY"] - interest["USD"] if "CNY" in interest and "USD" in interest else None
        ),
    }


# --- disputes ------------------------------------------------------------------------


def _step(day: int, label: Any, state: str, note: Any = "") -> dict[str, Any]:
    return {"day": day, "label": label, "state": state, "note": note}


def _timeline(
    dispute: dict[str, Any], history: list[tuple[int, str, dict]], rules: dict[str, int], today: int
) -> list[dict[str, Any]]:
    """The steps of one dispute: done (with the day it happened) or due (by the rules)."""
    opened = dispute["day"]
    respond_by = opened + rules["negotiation"]
    steps = [_step(opened, _l("Buyer opened the dispute"), "done")]
    escalated = next(
        ((day, data) for day, type_, data in history if type_ == "DisputeEscalated"), None
    )
    resolved = next(
        ((day, data) for day, type_, data in history if type_ == "DisputeResolved"), None
    )
    negotiated = resolved is not None and escalated is None
    steps.append(
        _step(
            respond_by,
            _l("Response window: settle with the buyer by offering a refund"),
            "done" if negotiated or escalated else ("next" if today <= respond_by else "late"),
            _l("days %(first)s to %(last)s", first=opened, last=respond_by),
        )
    )
    if escalated is not None:
        day, data = escalated
        steps.append(
            _step(
                day,
                _l(
                    "Escalated to platform arbitration by %(who)s",
                    who=DisputeActor.label_of(data["by"]),
                ),
                "done",
            )
        )
    elif resolved is None:
        steps.append(
            _step(
                opened + rules["buyer_escalation"],
                _l("The buyer may escalate to platform arbitration from this day"),
                "later",
            )
        )
        steps.append(
            _step(
                opened + rules["auto_escalation"],
                _l("The platform escalates the dispute automatically"),
                "later",
            )
        )
    if resolved is not None:
        day, data = resolved
        steps.append(
            _step(
                day,
                _l("Resolved by %(who)s", who=DisputeActor.label_of(data["by"])),
                "done",
            )
        )
    elif escalated is not None:
        steps.append(
            _step(escalated[0] + ARBITRATION_DAYS, _l("The platform rules on the refund"), "next")
        )
    else:
        steps.append(
            _step(
                opened + rules["auto_escalation"] + ARBITRATION_DAYS,
                _l("The platform rules on the refund (at the latest)"),
                "later",
            )
        )
    return steps


def dispute_cards(page: FirmPage, market: SandboxMarket) -> list[dict[str, Any]]:
    """The firm's disputes, newest first, each with its contract, claim and timeline.

    Returns:
        ``[{"dispute_id", "status", "reason", "reason_label", "claim_rate", "claim",
        "minimum_offer", "refund", "contract", "timeline", "negotiable"}]``; amounts
        in USD cents, rates as ``Decimal`` fractions. The dispute's merit is not
        included: the platform does not tell a seller how it will rule.
    """
    platform = page.world.platform
    rules = {
        "negotiation": int(platform["dispute_negotiation_days"]),
        "buyer_escalation": int(platform["dispute_buyer_escalation_day"]),
        "auto_escalation": int(platform["dispute_auto_escalation_day"]),
    }
    mine = {d["dispute_id"] for d in page.view["disputes"]}
    histories: dict[str, list[tuple[int, str, dict]]] = {key: [] for key in mine}
    for _seq, day, type_, data in _events(market, ("DisputeEscalated", "DisputeResolved")):
        if data["dispute_id"] in mine:
            histories[data["dispute_id"]].append((day, type_, data))
    cards = []
    for dispute in sorted(page.view["disputes"], key=lambda d: d["dispute_id"], reverse=True):
        contract = page.contract(dispute["contract_id"]) or {}
        claim_rate = Decimal(str(dispute["claim_rate"]))
        amount = int(contract.get("amount", 0))
        cards.append(
            {
                "dispute_id": dispute["dispute_id"],
                "day": dispute["day"],
                "status": dispute["status"],
                "reason": dispute["reason"],
                "reason_label": dispute_reason_label(dispute["reason"]),
                "claim_rate": claim_rate,
                "claim": apply_rate(amount, claim_rate),
                "minimum_offer": claim_rate * MIN_OFFER_SHARE,
                "refund": dispute.get("refund"),
                "contract": contract,
                "timeline": _timeline(
                    dispute, histories[dispute["dispute_id"]], rules, page.view["day"]
                ),
                "negotiable": dispute["status"] == "negotiating",
            }
        )
    return cards
