"""Events a teacher injects into a class market, and the news students read about them.

``inject_shock`` is the one write: it locks the market row (as ``advance_market``
does), refuses a finished market, lets the engine validate and record the shock
(``InjectShock`` → ``ShockInjected``) and appends the events in the caller's unit of
work. A rejection raises ``OperationError`` carrying the engine's code and the field
at fault, with nothing written. The read helpers turn ``state.shocks`` into rows for
the teacher's list and plain sentences for the students' "Market news" box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.errors import OperationError
from academy.labs import labels, markets
from academy.labs.models import SandboxMarket
from academy.labs.refusals import engine_message
from academy.labs.world_names import world_name
from sandbox import SHOCK_KINDS, CommandRejected, InjectShock, Market, sea_ports

__all__ = [
    "PORT_NAMES",
    "ShockRow",
    "inject_shock",
    "market_news",
    "market_shocks",
    "shock_choices",
    "shock_message",
]


#: Ports of loading by UN/LOCODE (others show their code).
PORT_NAMES = {"CNTAO": _l("Qingdao"), "CNCGO": _l("Zhengzhou")}

#: Days an exchange-rate jump stays in the news after it happened.
FX_NEWS_DAYS = 7

#: The engine's and the platform's refusals of a shock, by code.
SHOCK_MESSAGES = {
    "market_finished": _l("This market has finished; no more events can be injected."),
    "SHOCK_KIND_UNKNOWN": _l("Choose a kind of event."),
    "SHOCK_VALUE_OUT_OF_RANGE": _l("The number is out of the allowed range."),
    "SHOCK_PORT_UNKNOWN": _l("No sea lane leaves from this port."),
    "SHOCK_MARKET_UNKNOWN": _l("No rail lane serves this market."),
    "SHOCK_NO_RAIL": _l("This world has no rail lanes."),
    "SHOCK_CURRENCY_UNKNOWN": _l("No such currency in this market."),
    "SHOCK_BUYER_BANKRUPT": _l("This buyer is already bankrupt."),
    "PRODUCT_UNKNOWN": _l("No such product in this market."),
    "BUYER_NOT_FOUND": _l("No such buyer."),
    "FIELD_MISSING": _l("This event needs this field."),
    "FIELD_TYPE": _l("Enter a whole number."),
}


def shock_message(error: OperationError) -> str:
    """The refusal of a shock in the reader's language (the English text otherwise)."""
    text = SHOCK_MESSAGES.get(error.code or "")
    return str(text) if text is not None else engine_message(error)


def inject_shock(market: SandboxMarket, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Inject an event into a market under its lock.

    Args:
        market: The market row (running or paused; a finished market is refused).
        kind: A key of ``sandbox.engine.shocks.SHOCK_KINDS``.
        params: The kind's parameters (``port``, ``delay_days``, ...).

    Returns:
        The ``ShockInjected`` event's data (``shock_id``, ``start_day``...).

    Raises:
        OperationError: Market finished (``market_finished``) or the engine rejected
            the parameters (its code, with the parameter at fault as ``field``);
            nothing is written.
    """

    def inject(engine_market: Market) -> dict[str, Any]:
        try:
            events = engine_market.execute(InjectShock(kind, dict(params)))
        except CommandRejected as rejection:
            raise OperationError(
                rejection.message, field=rejection.field, code=rejection.code
            ) from None
        return events[0].data

    data = markets.operate(market, inject)
    record_event(
        AuditAction.MARKET_EVENT_INJECTED, subject=market, kind=kind, shock=data.get("shock_id")
    )
    return data


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShockRow:
    """One injected event as the pages show it.

    Attributes:
        shock_id: The engine's id (S001...).
        kind: Its kind code.
        label: The kind in the reader's language.
        what: What it hits, in plain words.
        start_day: First sim-day.
        end_day: Last sim-day, or None for good.
        news: The sentence students read.
    """

    shock_id: str
    kind: str
    label: str
    what: str
    start_day: int
    end_day: int | None
    news: str


def _port(code: str) -> str:
    name = PORT_NAMES.get(code)
    return f"{name} ({code})" if name is not None else code


def _describe(engine_market: Market, shock: dict[str, Any]) -> tuple[str, str]:
    """Return (what it hits, the news sentence) for one shock."""
    world, state = engine_market.world, engine_market.state
    params, end = shock["params"], shock["end_day"]
    kind = shock["kind"]
    if kind == "port_strike":
        port = _port(params["port"])
        return str(_l("Sea lanes from %(port)s", port=port)), str(
            _l(
                "Port strike at %(port)s until day %(end)s: sea departures %(days)s days late.",
                port=port,
                end=end,
                days=params["delay_days"],
            )
        )
    if kind == "rail_disruption":
        figures = {"end": end, "days": params["delay_days"], "percent": params["percent"]}
        if not params["market"]:
            return str(_l("All rail lanes")), str(
                _l(
                    "Rail corridor disruption on all rail lanes until day %(end)s: "
                    "+%(days)s days, freight +%(percent)s %%.",
                    **figures,
                )
            )
        market = world_name(world.markets[params["market"]].name)
        return str(_l("Rail lanes to %(market)s", market=market)), str(
            _l(
                "Rail corridor disruption on lanes to %(market)s until day %(end)s: "
                "+%(days)s days, freight +%(percent)s %%.",
                market=market,
                **figures,
            )
        )
    if kind == "fx_shock":
        sign = "+" if params["percent"] > 0 else "−"
        jump = f"{sign}{abs(params['percent'])} %"
        return params["currency"], str(
            _l(
                "The %(currency)s exchange rate jumped %(jump)s at the fixing of day %(day)s.",
                currency=params["currency"],
                jump=jump,
                day=shock["start_day"],
            )
        )
    if kind == "customs_crackdown":
        product = world_name(world.products[params["product_id"]].name)
        return product, str(
            _l(
                "Customs crackdown on %(product)s until day %(end)s: "
                "at least %(percent)s %% of its declarations are inspected.",
                product=product,
                end=end,
                percent=params["percent"],
            )
        )
    buyer = state.buyers[params["buyer_id"]]
    who = f"{buyer['company']} ({params['buyer_id']})"
    return who, str(
        _l(
            "%(buyer)s has gone bankrupt: its RFQs lapsed and it pays nothing it owes.",
            buyer=who,
        )
    )


def market_shocks(engine_market: Market) -> list[ShockRow]:
    """Every event injected into the market so far, oldest first."""
    rows = []
    for shock in engine_market.state.shocks.values():
        what, news = _describe(engine_market, shock)
        rows.append(
            ShockRow(
                shock_id=shock["shock_id"],
                kind=shock["kind"],
                label=labels.ShockKind.label_of(shock["kind"]),
                what=what,
                start_day=shock["start_day"],
                end_day=shock["end_day"],
                news=news,
            )
        )
    return rows


def market_news(engine_market: Market) -> list[ShockRow]:
    """The events students should know about today: those in force, and recent FX jumps."""
    day = engine_market.state.day
    news = []
    for row in market_shocks(engine_market):
        if row.kind == "fx_shock":
            if row.start_day < day <= row.start_day + FX_NEWS_DAYS:
                news.append(row)
        elif row.start_day <= day and (row.end_day is None or day <= row.end_day):
            news.append(row)
    return news


def shock_choices(engine_market: Market) -> dict[str, list[tuple[str, str]]]:
    """The choices the teacher's form offers, drawn from the market's world."""
    world, state = engine_market.world, engine_market.state
    rail_markets = sorted({lane.market for lane in world.lanes.values() if lane.mode == "rail"})
    return {
        "kind": [(code, labels.ShockKind.label_of(code)) for code in SHOCK_KINDS],
        "port": [(code, _port(code)) for code in sea_ports(world)],
        "market": [("", str(_l("All rail lanes")))]
        + [(code, f"{world_name(world.markets[code].name)} ({code})") for code in rail_markets],
        "currency": [(code, code) for code in sorted(world.currencies)],
        "product_id": [
            (product.id, f"{world_name(product.name)} ({product.id})")
            for product in world.products.values()
        ],
        "buyer_id": [
            (buyer_id, f"{buyer['company']} ({buyer_id}, {buyer['market']})")
            for buyer_id, buyer in state.buyers.items()
        ],
    }
