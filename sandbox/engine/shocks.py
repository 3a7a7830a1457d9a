"""Injectable events ("shocks"): strikes, disruptions, FX jumps, crackdowns, bankruptcies.

An operator (the class's teacher) injects a shock with the ``InjectShock`` command; the
handler validates the kind's parameters against the world and emits ``ShockInjected``
(``shock_id kind params start_day end_day``). The applier keeps every shock in
``state.shocks``; the engine's phases then consult the read helpers below where they
decide outcomes, so every effect shows in the events they emit (``delay_days`` on a
departure, a later ``ship_day`` on a booking, a dearer ``freight_cny``, an inspection
``reason`` of ``"crackdown"``, the jumped rate in ``FxRatesSet``, written-off
receivables). The helpers read state only, draw nothing from the shared streams and
return "no effect" at once when no shock was ever injected, so markets without shocks
play exactly as before.

Kinds live in ``SHOCK_KINDS``, a registry of small classes with a ``validate`` method
(parameters in, normalised parameters out, or ``CommandRejected``) and a ``window``
(first and last sim-day; ``None`` for a last day means "for good").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from sandbox.engine import commands as c
from sandbox.engine.state import MarketState
from sandbox.errors import CommandRejected
from sandbox.logistics import MODES
from sandbox.scenario.model import Lane, World

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = [
    "MAX_DELAY_DAYS",
    "MAX_DURATION_DAYS",
    "MAX_FREIGHT_PERCENT",
    "MAX_FX_PERCENT",
    "SHOCK_KINDS",
    "active_shocks",
    "apply_fx_jumps",
    "crackdown_percent",
    "inject_shock",
    "is_bankrupt",
    "port_strike_delay",
    "rail_disruption",
    "sea_ports",
]

#: Longest a timed shock may last, in sim-days.
MAX_DURATION_DAYS = 90
#: Most extra days a strike or a disruption may add.
MAX_DELAY_DAYS = 60
#: Largest FX jump either way, in per cent.
MAX_FX_PERCENT = 50
#: Largest freight surcharge, in per cent.
MAX_FREIGHT_PERCENT = 300

_RULE = "engine.shock"


def reject(code: str, message: str, rule: str, field: str | None = None) -> CommandRejected:
    """Build the ``CommandRejected`` a shock's validation raises."""
    return CommandRejected(code, message, rule=rule, field=field)


def sea_ports(world: World) -> list[str]:
    """Return the origins (UN/LOCODE) of the world's sea lanes, sorted."""
    return sorted({lane.origin for lane in world.lanes.values() if MODES[lane.mode].sea})


def _integer(params: dict[str, Any], name: str, low: int, high: int) -> int:
    value = params.get(name)
    if value is None:
        raise reject("FIELD_MISSING", f"{name} is required", _RULE, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise reject("FIELD_TYPE", f"{name} must be a whole number", _RULE, name)
    if not low <= value <= high:
        raise reject("SHOCK_VALUE_OUT_OF_RANGE", f"{name} must be {low} to {high}", _RULE, name)
    return value


def _text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise reject("FIELD_MISSING", f"{name} is required", _RULE, name)
    return value


class ShockKind:
    """Base class of an injectable event.

    Attributes:
        code: The ``kind`` the command names.
        params: The parameter names it takes (required unless in ``optional``).
        optional: Parameters that may be left out or empty.
        timed: True when the shock lasts ``duration_days``; False for one-off or
            permanent shocks.
    """

    code: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    timed: ClassVar[bool] = True

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        """Return the normalised parameters or raise ``CommandRejected``."""
        raise NotImplementedError

    def window(self, day: int, params: dict[str, Any]) -> tuple[int, int | None]:
        """Return the first and last sim-day of the shock (inclusive)."""
        return day, day + params["duration_days"] - 1


class PortStrike(ShockKind):
    """Dockers strike at a sea port: sea departures from it wait ``delay_days`` more."""

    code = "port_strike"
    params = ("port", "delay_days", "duration_days")

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        port = _text(params, "port")
        if port not in sea_ports(world):
            raise reject("SHOCK_PORT_UNKNOWN", f"no sea lane leaves from {port!r}", _RULE, "port")
        return {
            "port": port,
            "delay_days": _integer(params, "delay_days", 1, MAX_DELAY_DAYS),
            "duration_days": _integer(params, "duration_days", 1, MAX_DURATION_DAYS),
        }


class RailDisruption(ShockKind):
    """The rail corridor (to one market, or all) is disrupted: slower and dearer."""

    code = "rail_disruption"
    params = ("market", "delay_days", "percent", "duration_days")
    optional = ("market",)

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        market = params.get("market") or None
        rail_markets = {lane.market for lane in world.lanes.values() if lane.mode == "rail"}
        if not rail_markets:
            raise reject("SHOCK_NO_RAIL", "this world has no rail lanes", _RULE, "kind")
        if market is not None and market not in rail_markets:
            raise reject("SHOCK_MARKET_UNKNOWN", f"no rail lane serves {market!r}", _RULE, "market")
        return {
            "market": market,
            "delay_days": _integer(params, "delay_days", 0, MAX_DELAY_DAYS),
            "percent": _integer(params, "percent", 0, MAX_FREIGHT_PERCENT),
            "duration_days": _integer(params, "duration_days", 1, MAX_DURATION_DAYS),
        }


class FxShock(ShockKind):
    """A currency's mid rate jumps by ``percent`` on the next fixing; the walk goes on."""

    code = "fx_shock"
    params = ("currency", "percent")
    timed = False

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        currency = _text(params, "currency")
        if currency not in world.currencies:
            raise reject("SHOCK_CURRENCY_UNKNOWN", f"no currency {currency!r}", _RULE, "currency")
        percent = _integer(params, "percent", -MAX_FX_PERCENT, MAX_FX_PERCENT)
        if percent == 0:
            raise reject(
                "SHOCK_VALUE_OUT_OF_RANGE", "a jump of 0 % changes nothing", _RULE, "percent"
            )
        return {"currency": currency, "percent": percent}

    def window(self, day: int, params: dict[str, Any]) -> tuple[int, int | None]:
        # The next fixing is the one that opens today's step.
        return day, day


class CustomsCrackdown(ShockKind):
    """Customs target one product: each declaration of it is inspected at least ``percent`` %."""

    code = "customs_crackdown"
    params = ("product_id", "percent", "duration_days")

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        product_id = _text(params, "product_id")
        if product_id not in world.products:
            raise reject("PRODUCT_UNKNOWN", f"no product {product_id!r}", _RULE, "product_id")
        return {
            "product_id": product_id,
            "percent": _integer(params, "percent", 1, 100),
            "duration_days": _integer(params, "duration_days", 1, MAX_DURATION_DAYS),
        }


class BuyerBankruptcy(ShockKind):
    """A buyer goes bankrupt: its RFQs lapse and what it owes is written off."""

    code = "buyer_bankruptcy"
    params = ("buyer_id",)
    timed = False

    def validate(self, state: MarketState, world: World, params: dict[str, Any]) -> dict[str, Any]:
        buyer_id = _text(params, "buyer_id")
        if buyer_id not in state.buyers:
            raise reject("BUYER_NOT_FOUND", f"no buyer {buyer_id!r}", _RULE, "buyer_id")
        if is_bankrupt(state, buyer_id):
            raise reject(
                "SHOCK_BUYER_BANKRUPT", "this buyer is already bankrupt", _RULE, "buyer_id"
            )
        return {"buyer_id": buyer_id}

    def window(self, day: int, params: dict[str, Any]) -> tuple[int, int | None]:
        return day, None


SHOCK_KINDS: dict[str, ShockKind] = {
    kind.code: kind
    for kind in (PortStrike(), RailDisruption(), FxShock(), CustomsCrackdown(), BuyerBankruptcy())
}


# --- the command ---------------------------------------------------------------------


def inject_shock(m: Market, cmd: c.InjectShock) -> None:
    """Validate a shock's parameters, record it and apply its immediate effects.

    A buyer's bankruptcy acts at once: its open RFQ lapses and every open receivable on
    its active contracts is written off as a default (with the credit-insurance claim
    where the contract was insured). Other kinds act later, in the day's phases.
    """
    from sandbox.engine.settlement import maybe_close, write_off_receivable

    kind = SHOCK_KINDS.get(cmd.kind)
    if kind is None:
        raise reject("SHOCK_KIND_UNKNOWN", f"unknown shock kind {cmd.kind!r}", _RULE, "kind")
    raw = cmd.params if isinstance(cmd.params, dict) else {}
    unknown = sorted(set(raw) - set(kind.params))
    if unknown:
        raise reject("FIELD_UNKNOWN", f"unknown field {unknown[0]}", _RULE, unknown[0])
    params = kind.validate(m.state, m.world, raw)
    start, end = kind.window(m.state.day, params)
    m.emit(
        "ShockInjected",
        {
            "shock_id": m.state.next_id("shock", "S", 3),
            "kind": kind.code,
            "params": params,
            "start_day": start,
            "end_day": end,
        },
    )
    if kind.code != "buyer_bankruptcy":
        return
    state = m.state
    buyer_id = params["buyer_id"]
    # A buyer has at most one RFQ on the platform, open or closed awaiting its award.
    open_rfq = state.buyers[buyer_id]["open_rfq"]
    if open_rfq is not None and state.rfqs[open_rfq]["status"] in ("open", "closed"):
        m.emit("RfqLapsed", {"rfq_id": open_rfq, "reason": "buyer_bankrupt"})
    for contract in list(state.contracts.values()):
        if contract["buyer_id"] != buyer_id or contract["status"] != "active":
            continue
        for item in list(contract["receivables"]):
            if item["status"] == "open":
                write_off_receivable(m, contract, item)
        maybe_close(m, contract)


# --- what the phases ask -------------------------------------------------------------


def active_shocks(
    state: MarketState, day: int, kind: str | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the shocks in force on ``day`` (of one ``kind`` if given), oldest first."""
    for shock in state.shocks.values():
        if kind is not None and shock["kind"] != kind:
            continue
        if shock["start_day"] <= day and (shock["end_day"] is None or day <= shock["end_day"]):
            yield shock


def port_strike_delay(state: MarketState, lane: Lane, day: int, ship_day: int | None = None) -> int:
    """Return the days a strike adds to a sea departure from ``lane`` on ``day``.

    Args:
        state: The market state.
        lane: The booked lane (only sea lanes from the struck port are affected).
        day: The day of the booking or the departure.
        ship_day: At departure, the booked ship day: cargo booked during the strike
            already had its ship day pushed back and is not delayed twice.
    """
    if not state.shocks or not MODES[lane.mode].sea:
        return 0
    delay = 0
    for shock in active_shocks(state, day, "port_strike"):
        params = shock["params"]
        if params["port"] != lane.origin:
            continue
        if ship_day is not None and ship_day >= shock["start_day"] + 1 + params["delay_days"]:
            continue
        delay = max(delay, params["delay_days"])
    return delay


def rail_disruption(state: MarketState, lane: Lane, day: int) -> tuple[int, int]:
    """Return ``(extra_days, freight_percent)`` a disruption puts on a rail lane on ``day``."""
    if not state.shocks or lane.mode != "rail":
        return 0, 0
    days = percent = 0
    for shock in active_shocks(state, day, "rail_disruption"):
        params = shock["params"]
        if params["market"] is None or params["market"] == lane.market:
            days = max(days, params["delay_days"])
            percent = max(percent, params["percent"])
    return days, percent


def crackdown_percent(state: MarketState, product_id: str, day: int) -> int:
    """Return the inspection rate (per cent) a crackdown sets for a product on ``day``."""
    if not state.shocks:
        return 0
    return max(
        (
            shock["params"]["percent"]
            for shock in active_shocks(state, day, "customs_crackdown")
            if shock["params"]["product_id"] == product_id
        ),
        default=0,
    )


def apply_fx_jumps(state: MarketState, rates: dict[str, int], day: int) -> dict[str, int]:
    """Return ``rates`` with today's FX shocks applied (integer arithmetic, half up)."""
    if not state.shocks:
        return rates
    jumped = dict(rates)
    for shock in active_shocks(state, day, "fx_shock"):
        code = shock["params"]["currency"]
        if code in jumped:
            factor = 100 + shock["params"]["percent"]
            jumped[code] = max(1, (jumped[code] * factor + 50) // 100)
    return jumped


def is_bankrupt(state: MarketState, buyer_id: str) -> bool:
    """Return True when a bankruptcy was injected for the buyer."""
    if not state.shocks:
        return False
    return any(
        shock["kind"] == "buyer_bankruptcy" and shock["params"]["buyer_id"] == buyer_id
        for shock in state.shocks.values()
    )
