"""Teachers' views of a class market: the leaderboard, a firm's books, timeline and debrief.

Creating class markets lives in ``academy.labs.class_markets`` (its names stay
importable from here). The reads open the engine market (latest snapshot plus the tail
of the log) and compute what the teacher's pages show from the engine's own reports:
KPIs (``sandbox.engine.kpis``), trial balance and P&L (``sandbox.ledger``) and the
event log. Money stays in integer fen until a template formats it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from academy.csv import csv_text
from academy.db import db
from academy.labs import markets, queries
from academy.labs.class_markets import (
    MAX_BOTS,
    MAX_TEAM_SIZE,
    add_missing_firms,
    class_students,
    create_class_market,
    market_of_creation_key,
    scenario_choices,
    students_without_firm,
)
from academy.labs.models import (
    MarketFirm,
    MarketRejection,
    SandboxMarket,
)
from academy.labs.store import DatabaseEventStore
from sandbox import (
    ACCOUNTS,
    Market,
    firm_daily_kpis,
    firm_kpis,
    profit_and_loss,
    trial_balance,
)

__all__ = [
    "KPI_COLUMNS",
    "MAX_BOTS",
    "MAX_TEAM_SIZE",
    "FirmRow",
    "add_missing_firms",
    "class_students",
    "contract_step",
    "contributions",
    "create_class_market",
    "firm_books",
    "firm_debrief",
    "firm_timeline",
    "leaderboard",
    "leaderboard_csv",
    "market_of_creation_key",
    "scenario_choices",
    "students_without_firm",
]

#: The leaderboard's KPIs, in column order: (key, higher is better).
KPI_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("revenue", True),
    ("gross_margin", True),
    ("net_profit", True),
    ("cash", True),
    ("on_time_delivery", True),
    ("response_rate", True),
    ("star_rating", True),
    ("customs_credit", True),
    ("dispute_rate", False),
)


# --- the leaderboard -------------------------------------------------------------------


@dataclass
class FirmRow:
    """One firm on the leaderboard: its row, its KPIs and its rank in each KPI."""

    firm: MarketFirm
    kpis: dict[str, Any]
    ranks: dict[str, int] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        """The comparable value of one KPI (customs credit is its score)."""
        value = self.kpis.get(key)
        if key == "customs_credit" and isinstance(value, dict):
            return value.get("score")
        return value


def _rank(rows: list[FirmRow], key: str, higher_is_better: bool) -> None:
    # Competition ranking (1, 2, 2, 4); firms without a value (no sales yet...) get none.
    valued = [row for row in rows if row.value(key) is not None]
    valued.sort(key=lambda row: row.value(key), reverse=higher_is_better)
    previous: Any = object()
    rank = 0
    for position, row in enumerate(valued, start=1):
        if row.value(key) != previous:
            rank, previous = position, row.value(key)
        row.ranks[key] = rank


def leaderboard(
    market: SandboxMarket, sort: str = "net_profit", engine_market: Market | None = None
) -> list[FirmRow]:
    """Every firm of the market with its KPIs and ranks, best first by ``sort``.

    Args:
        market: The market row.
        sort: A key of ``KPI_COLUMNS``; unknown keys sort by net profit.
        engine_market: The already opened engine market, if the caller has one.
    """
    engine_market = engine_market or markets.open_market(market)
    state = engine_market.state
    rows = [
        FirmRow(firm=firm, kpis=firm_kpis(state, firm.firm_id))
        for firm in queries.firms_of_market(market)
        if firm.firm_id in state.firms
    ]
    for key, higher_is_better in KPI_COLUMNS:
        _rank(rows, key, higher_is_better)
    if sort not in dict(KPI_COLUMNS):
        sort = "net_profit"
    unranked = len(rows) + 1
    rows.sort(key=lambda row: (row.ranks.get(sort, unranked), row.firm.firm_id))
    return rows


def leaderboard_csv(market: SandboxMarket, rows: list[FirmRow]) -> str:
    """The results as CSV: one row per firm, money in yuan with two decimals."""
    body = []
    header = [
        "market_id",
        "sim_day",
        "firm_id",
        "firm",
        "student",
        "bot",
        *[key for key, _ in KPI_COLUMNS],
        "customs_class",
        "quotes",
        "contracts",
        "shipped",
        *[f"rank_{key}" for key, _ in KPI_COLUMNS],
    ]
    money = {"revenue", "net_profit", "cash"}
    for row in rows:
        values = []
        for key, _ in KPI_COLUMNS:
            value = row.value(key)
            if key in money and value is not None:
                value = f"{value / 100:.2f}"
            values.append("" if value is None else value)
        credit = row.kpis.get("customs_credit") or {}
        body.append(
            [
                market.id,
                market.sim_day,
                row.firm.firm_id,
                row.firm.display_name,
                row.firm.people,
                row.firm.bot or "",
                *values,
                credit.get("class", ""),
                row.kpis.get("quotes", 0),
                row.kpis.get("contracts", 0),
                row.kpis.get("shipped", 0),
                *[row.ranks.get(key, "") for key, _ in KPI_COLUMNS],
            ]
        )
    return csv_text(header, body)


# --- one firm: books, pipeline, timeline -------------------------------------------------

#: The pipeline's steps, in order (keys the pages translate).
PIPELINE_STEPS = (
    "procure",
    "book_freight",
    "declare",
    "ship",
    "in_transit",
    "collect",
    "claim_rebate",
    "done",
)


def contract_step(contract: dict[str, Any]) -> str:
    """The next step of a contract in the pipeline (a key of ``PIPELINE_STEPS``).

    Derived from what the contract already has: a purchase order, freight, a
    declaration (EXW needs none), departure, open receivables, a rebate claim.
    """
    if contract.get("status") not in (None, "active"):
        return "done"
    if contract.get("po_id") is None:
        return "procure"
    if contract.get("freight") is None:
        return "book_freight"
    if contract.get("declaration") is None and contract.get("incoterm") != "EXW":
        return "declare"
    if contract.get("departed_day") is None:
        return "ship"
    if contract.get("stage") == "departed":
        return "in_transit"
    receivables = contract.get("receivables") or []
    if any(item.get("status") == "open" for item in receivables):
        return "collect"
    if contract.get("rebate") is None and contract.get("incoterm") != "EXW":
        return "claim_rebate"
    return "done"


def firm_books(market: SandboxMarket, firm_id: str) -> dict[str, Any]:
    """A firm's KPIs, trial balance, P&L and pipeline as the engine reports them.

    Returns:
        ``{"accounts", "kpis", "trial_balance", "pnl", "contracts", "quotes", "day",
        "date"}`` (``accounts``: the firm's trial balance per account and currency);
        contracts carry their next ``step``. Sealed facts (a shipment's decided
        outcome) are left out, as on the student's own pages.
    """
    engine_market = markets.open_market(market)
    view = engine_market.firm_view(firm_id)
    party = f"firm:{firm_id}"
    ledger = engine_market.state.ledger
    contracts = []
    for card in view["contracts"]:
        raw = engine_market.state.contracts[card["contract_id"]]
        contracts.append({**card, "step": contract_step(raw)})
    contracts.sort(key=lambda card: card["contract_id"], reverse=True)
    accounts = []
    for (account, currency), amount in sorted(
        ledger.books.get(party, {}).items(),
        key=lambda item: (ACCOUNTS[item[0][0]].code, item[0][1]),
    ):
        if amount:
            chart = ACCOUNTS[account]
            accounts.append(
                {
                    "key": account,
                    "code": chart.code,
                    "name": chart.name,
                    "kind": chart.kind,
                    "currency": currency,
                    "debit": amount if amount > 0 else 0,
                    "credit": -amount if amount < 0 else 0,
                }
            )
    return {
        "accounts": accounts,
        "day": view["day"],
        "date": view["date"],
        "kpis": view["kpis"],
        "trial_balance": trial_balance(ledger, party),
        "pnl": profit_and_loss(ledger, party),
        "contracts": contracts,
        "quotes": sorted(view["quotes"], key=lambda q: q["quote_id"], reverse=True),
    }


#: How each id a firm comes to own is introduced in the log.
_OWNED_IDS = {
    "QuoteSubmitted": "quote_id",
    "ContractSigned": "contract_id",
    "PurchaseOrderPlaced": "po_id",
    "ForwardBooked": "forward_id",
}
_REFERENCE_KEYS = ("quote_id", "contract_id", "po_id", "forward_id", "dispute_id")


def _firm_event_stream(events: list[dict[str, Any]], firm_id: str) -> list[dict[str, Any]]:
    # One pass: an event is the firm's when it names the firm or something the firm owns
    # (ids are introduced before they are referred to). Journals are left out: the
    # ledger shows them.
    owned: set[str] = set()
    mine = []
    for event in events:
        data = event["data"]
        if event["type"] == "JournalPosted":
            continue
        if data.get("firm_id") == firm_id:
            key = _OWNED_IDS.get(event["type"])
            if key:
                owned.add(str(data[key]))
            mine.append(event)
            continue
        if any(str(data.get(key)) in owned for key in _REFERENCE_KEYS if data.get(key)):
            if event["type"] == "DisputeOpened":
                owned.add(str(data["dispute_id"]))
            mine.append(event)
    return mine


#: Event fields a timeline line shows (sealed ones such as a shipment's outcome are not).
TIMELINE_FIELDS = (
    "rfq_id",
    "quote_id",
    "contract_id",
    "inquiry_id",
    "po_id",
    "dispute_id",
    "forward_id",
    "product_id",
    "quantity",
    "incoterm",
    "payment",
    "lane_id",
    "unit_price",
    "amount",
    "refund",
    "customs_no",
    "honoured",
    "discrepancies",
    "on_time",
    "damaged",
    "decision",
    "reason",
    "score",
    "status",
)


def _details(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(key, data[key]) for key in TIMELINE_FIELDS if data.get(key) not in (None, "", [])]


def firm_timeline(market: SandboxMarket, firm_id: str, limit: int = 300) -> dict[str, Any]:
    """The firm's actions and the events that touched it, newest first.

    Each entry is an event dict plus ``actor``: the student who sent the command that
    produced it (from the command receipts), so a team's members are told apart.

    Commands the engine refused changed nothing and so are not events; they come
    separately as ``refusals`` (``MarketRejection`` rows), newest first.

    Returns:
        ``{"entries": [...], "total": n, "refusals": [...]}``; at most ``limit``
        entries and refusals.
    """
    events = _firm_event_stream(queries.market_events(market), firm_id)
    actors: list[tuple[int, int, str]] = [
        (receipt.first_seq, receipt.last_seq, receipt.user.display_name if receipt.user else "—")
        for receipt in queries.receipts_of_firm(market, firm_id)
    ]
    entries = []
    for event in reversed(events[-limit:]):
        actor = next((name for first, last, name in actors if first <= event["seq"] <= last), "")
        entries.append({**event, "actor": actor, "details": _details(event["data"])})
    refusals = db.session.scalars(
        sa.select(MarketRejection)
        .where(MarketRejection.market_id == market.id, MarketRejection.firm_id == firm_id)
        .order_by(MarketRejection.id.desc())
        .limit(limit)
    ).all()
    return {"entries": entries, "total": len(events), "refusals": refusals}


def contributions(market: SandboxMarket, firm_id: str) -> list[tuple[str, int]]:
    """How many commands each student sent for the firm, most first (team firms)."""
    counts: dict[str, int] = {}
    for receipt in queries.receipts_of_firm(market, firm_id):
        name = receipt.user.display_name if receipt.user else "—"
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def firm_debrief(market: SandboxMarket, firm_id: str) -> list[dict[str, Any]]:
    """Replay the market and record the firm's KPIs at the end of every sim-day.

    Folds the whole log once (no snapshots: the point is to see every day), reading
    the KPIs after each ``DayClosed`` and counting the firm's own events of that day.

    Returns:
        One ``{"day", "kpis", "events"}`` per closed day, oldest first, where
        ``events`` are the firm's events of that day (journals left out).
    """
    events = list(DatabaseEventStore(db.session, market).read(1))
    log = [event.to_dict() for event in events]
    mine_by_day: dict[int, list[dict[str, Any]]] = {}
    for event in _firm_event_stream(log, firm_id):
        mine_by_day.setdefault(event["day"], []).append(event)
    return [
        {"day": day, "kpis": kpis, "events": mine_by_day.get(day, [])}
        for day, kpis in firm_daily_kpis(events, firm_id)
    ]


def chart_points(values: Sequence[int | None], width: int = 600, height: int = 120) -> str:
    """SVG polyline points for a series (missing values count as 0), y growing upwards."""
    numbers = [value or 0 for value in values]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    step = width / max(1, len(numbers) - 1)
    return " ".join(
        f"{index * step:.1f},{height - (value - low) * height / span:.1f}"
        for index, value in enumerate(numbers)
    )
