"""The shapes every lab check shares: results, criteria, parameters and the firm's log.

A check never touches a database or a request. It reads the sandbox event log (the
list of events a market recorded) through :class:`FirmLog`, which indexes what one
firm did and what happened to its contracts, and returns a :class:`CheckResult` made of
:class:`Criterion` rows. Each criterion carries a stable ``key`` and an English message
with ``%(name)s`` placeholders filled from ``params``, so the web layer can translate it
by key and interpolate the same values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from sandbox import (
    INCOTERMS,
    MODES,
    Event,
    World,
    convert,
    input_vat_rate,
    insurance_premium,
    shipment_metrics,
)

__all__ = [
    "Check",
    "CheckResult",
    "Criterion",
    "FirmLog",
    "Param",
    "percent",
]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of a check's verdict that a student can read.

    Attributes:
        key: Stable identifier (``"win_rfq.margin"``), used to translate the message.
        passed: Whether this criterion is met.
        message: English text with ``%(name)s`` placeholders taken from ``params``.
        params: Values for the placeholders (JSON types only).
    """

    key: str
    passed: bool
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """Return the message with its placeholders filled in."""
        return self.message % self.params if self.params else self.message

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (for storing a lab attempt's result)."""
        return {
            "key": self.key,
            "passed": self.passed,
            "message": self.message,
            "params": dict(self.params),
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict of one check on one firm's log.

    Attributes:
        check: The check's registry name.
        passed: True when every criterion passed.
        criteria: The criteria, in the order a student should read them.
    """

    check: str
    passed: bool
    criteria: list[Criterion]

    @property
    def failures(self) -> list[Criterion]:
        """The criteria that were not met."""
        return [criterion for criterion in self.criteria if not criterion.passed]

    def summary(self) -> list[str]:
        """Return one English line per criterion, numbered as a student would read them."""
        lines = []
        for number, criterion in enumerate(self.criteria, start=1):
            status = "met" if criterion.passed else "not met"
            lines.append(f"criterion {number} {status}: {criterion.text()}")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "check": self.check,
            "passed": self.passed,
            "criteria": [criterion.as_dict() for criterion in self.criteria],
        }


@dataclass(frozen=True, slots=True)
class Param:
    """Declaration of one parameter a check accepts from a course's ``[check]`` table.

    Attributes:
        kind: ``"int"``, ``"percent"`` (int or decimal string), ``"str"``, ``"bool"``
            or ``"str_list"``.
        default: Value when the table leaves it out (``None``: criterion not checked).
        minimum: Smallest allowed number (for ``int`` and ``percent``).
        choices: Allowed strings (for ``str`` and ``str_list`` items), if limited.
        help: One line for the course author's catalogue.
        asks: What the parameter asks of the student, in plain English with a
            ``%(value)s`` placeholder, for the lesson page (see :meth:`Check.describe`).
    """

    kind: str
    default: Any = None
    minimum: int | None = 0
    choices: tuple[str, ...] | None = None
    help: str = ""
    asks: str = ""

    def problem(self, name: str, value: Any) -> str | None:
        """Return what is wrong with ``value`` for this parameter, or ``None``."""
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{name} must be true or false"
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{name} must be a whole number"
            if self.minimum is not None and value < self.minimum:
                return f"{name} must be at least {self.minimum}"
            return None
        if self.kind == "percent":
            number = as_decimal(value)
            if number is None:
                return f"{name} must be a number of percent (a whole number or a string like '7.5')"
            if self.minimum is not None and number < self.minimum:
                return f"{name} must be at least {self.minimum}"
            return None
        if self.kind == "str":
            if not isinstance(value, str) or not value:
                return f"{name} must be a non-empty string"
            if self.choices is not None and value not in self.choices:
                return f"{name} must be one of {', '.join(self.choices)}"
            return None
        if self.kind == "str_list":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"{name} must be a list of strings"
            if self.choices is not None:
                wrong = [v for v in value if v not in self.choices]
                if wrong:
                    return f"{name} has unknown values {', '.join(wrong)}"
            return None
        raise ValueError(f"unknown parameter kind {self.kind!r}")  # a programming error


def as_decimal(value: Any) -> Decimal | None:
    """Return ``value`` as a Decimal if it is an int or a decimal string (floats refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return None
        return number if number.is_finite() else None
    return None


def percent(part: int, whole: int) -> Decimal:
    """Return ``part / whole`` in percent with two decimals (0 when ``whole`` is 0)."""
    if whole == 0:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Check:
    """Base class of a lab check: declare ``name``, ``params`` and ``criteria()``.

    Subclasses are small and pure: ``criteria(log, params)`` reads the firm's log and
    returns criteria; it never changes anything.
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    #: The check's aim in plain English, the first line of :meth:`describe`.
    goal: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}

    def describe(self, spec: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Say what the check asks, one line per criterion, before the student starts.

        Returns:
            ``(message, values)`` pairs: English with ``%(value)s`` placeholders (as in
            :class:`Criterion`), in the order the criteria are reported.
        """
        lines: list[tuple[str, dict[str, Any]]] = [(self.goal, {})]
        for name, value in self.resolve(spec).items():
            param = self.params[name]
            if value is None or value is False or value == [] or not param.asks:
                continue
            if name == "max_quotes_used" and spec.get("max_quotes") is not None:
                continue  # max_quotes wins
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            lines.append((param.asks, {"value": str(value)}))
        return lines

    def resolve(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Return every parameter's value: the table's, else the default."""
        return {name: spec.get(name, param.default) for name, param in self.params.items()}

    def evaluate(self, log: FirmLog, spec: Mapping[str, Any]) -> CheckResult:
        """Evaluate this check on ``log`` with the parameters of ``spec``."""
        criteria = self.criteria(log, self.resolve(spec))
        return CheckResult(self.name, all(c.passed for c in criteria), criteria)

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        """Return the criteria (implemented by each check)."""
        raise NotImplementedError


def _event_tuple(raw: Any) -> Event:
    if isinstance(raw, Event):
        return raw
    if isinstance(raw, Mapping):
        return Event(raw["seq"], raw["day"], raw["type"], raw.get("v", 1), raw["data"])
    raise TypeError(f"not an event: {raw!r}")


class FirmLog:
    """One firm's view of a market's event log, indexed for checks.

    Args:
        events: The market's events from sequence 1 (``Event`` tuples or their JSON
            dicts ``{"seq", "day", "type", "v", "data"}``).
        firm_id: The student's firm.
        rejections: The firm's refused commands, which the engine never logs (a rejected
            command changes nothing); the web layer may pass its own record of them as
            ``{"command", "code", "field", "day"}`` dicts.

    Attributes:
        world: The scenario world recorded in ``MarketOpened`` (``None`` if absent).
        day: The last day the log reaches.
        registered_day: Day the firm registered (``None`` if it never did).
        contracts: ``ContractSigned`` data of the firm's contracts, with ``"day"`` added.
        quotes: The firm's ``QuoteSubmitted`` data, with ``"day"`` added.
        letters: The firm's ``NegotiationProposed`` data by RFQ, with ``"day"`` added.
        answers: The buyers' ``NegotiationAnswered`` data to the firm by RFQ.
        by_contract: For each of the firm's contracts, its events in log order.
    """

    def __init__(
        self,
        events: Iterable[Any],
        firm_id: str,
        rejections: Iterable[Mapping[str, Any]] | None = None,
    ) -> None:
        self.firm_id = firm_id
        self.rejections = [dict(r) for r in rejections or ()]
        self.world: World | None = None
        self.day = 0
        self.closed_days: list[int] = []
        self.registered_day: int | None = None
        self.contracts: dict[str, dict[str, Any]] = {}
        self.quotes: dict[str, dict[str, Any]] = {}
        self.by_contract: dict[str, list[Event]] = {}
        self.buyer_market: dict[str, str] = {}
        self.fx_usd: dict[int, int] = {}
        self.inquiries: dict[str, dict[str, Any]] = {}
        self.letters: dict[str, list[dict[str, Any]]] = {}  # rfq id -> the firm's proposals
        self.answers: dict[str, list[dict[str, Any]]] = {}  # rfq id -> the buyer's answers
        self.credit_limits: dict[str, int] = {}  # buyer id -> day granted
        self.disputes: dict[str, str] = {}  # dispute id -> contract id
        self.cash_by_day: dict[int, dict[str, int]] = {}
        self._cash: dict[str, int] = {}
        party = f"firm:{firm_id}"
        for raw in events:
            event = _event_tuple(raw)
            self.day = max(self.day, event.day)
            data = event.data
            kind = event.type
            if kind == "MarketOpened":
                self.world = World.from_dict(data["world"])
            elif kind == "FxRatesSet":
                if "USD" in data["rates"]:
                    self.fx_usd[event.day] = data["rates"]["USD"]
            elif kind == "BuyerJoined":
                self.buyer_market[data["buyer_id"]] = data["market"]
            elif kind == "FirmRegistered":
                if data["firm_id"] == firm_id:
                    self.registered_day = event.day
            elif kind == "DayClosed":
                self.closed_days.append(data["day"])
                self.cash_by_day[data["day"]] = dict(self._cash)
            elif kind == "JournalPosted":
                for line_party, account, currency, amount in data["lines"]:
                    if line_party == party and account == "cash":
                        self._cash[currency] = self._cash.get(currency, 0) + amount
            elif kind == "QuoteSubmitted":
                if data["firm_id"] == firm_id:
                    self.quotes[data["quote_id"]] = {**data, "day": event.day}
            elif kind == "QuoteEdited":
                quote = self.quotes.get(data["quote_id"])
                if quote is not None:
                    quote["unit_price"] = data["unit_price"]
            elif kind == "ContractSigned":
                if data["firm_id"] == firm_id:
                    self.contracts[data["contract_id"]] = {**data, "day": event.day}
                    self.by_contract[data["contract_id"]] = [event]
            elif kind in ("NegotiationProposed", "NegotiationAnswered"):
                if data["firm_id"] == firm_id:
                    book = self.letters if kind == "NegotiationProposed" else self.answers
                    book.setdefault(data["rfq_id"], []).append({**data, "day": event.day})
            elif kind == "InquirySent":
                if data["firm_id"] == firm_id:
                    self.inquiries[data["inquiry_id"]] = {"sent": event.day, "answered": None}
            elif kind == "InquiryAnswered":
                inquiry = self.inquiries.get(data["inquiry_id"])
                if inquiry is not None and inquiry["answered"] is None:
                    inquiry["answered"] = event.day
            elif kind == "CreditLimitGranted":
                if data["firm_id"] == firm_id:
                    self.credit_limits.setdefault(data["buyer_id"], event.day)
            elif "contract_id" in data:
                if data["contract_id"] in self.by_contract:
                    self.by_contract[data["contract_id"]].append(event)
                    if kind == "DisputeOpened":
                        self.disputes[data["dispute_id"]] = data["contract_id"]
            elif "dispute_id" in data and data["dispute_id"] in self.disputes:
                self.by_contract[self.disputes[data["dispute_id"]]].append(event)

    @property
    def cash(self) -> dict[str, int]:
        """The firm's cash per currency at the end of the log (minor units)."""
        return dict(self._cash)

    def events_of(self, contract_id: str, kind: str) -> list[Event]:
        """Return the events of one type about one of the firm's contracts."""
        return [e for e in self.by_contract.get(contract_id, []) if e.type == kind]

    def first(self, contract_id: str, kind: str) -> Event | None:
        """Return the first event of a type about a contract, if any."""
        found = self.events_of(contract_id, kind)
        return found[0] if found else None

    def usd_rate(self, day: int) -> int:
        """Return the USD mid rate (CNY x 10**8) in force on ``day``."""
        known = [d for d in self.fx_usd if d <= day]
        if not known:
            raise ValueError("the log has no USD rate")
        return self.fx_usd[max(known)]

    def lane_mode(self, contract: Mapping[str, Any]) -> str:
        """Return the transport mode of a contract's lane."""
        assert self.world is not None
        return self.world.lanes[contract["lane_id"]].mode

    def destination(self, contract: Mapping[str, Any]) -> str:
        """Return the buyer's market (ISO country code) of a contract."""
        return self.buyer_market.get(contract["buyer_id"], "")

    def disputes_lost(self, contract_id: str) -> list[Event]:
        """Disputes on a contract that the platform ruled against the firm with a refund."""
        return [
            e
            for e in self.events_of(contract_id, "DisputeResolved")
            if e.data["by"] == "platform" and e.data["refund"] > 0
        ]

    def gross_margin(self, contract_id: str) -> tuple[Decimal, bool]:
        """Return a contract's gross margin in percent of the price, and whether it is final.

        Margin = (price - goods cost - VAT not refunded - seller's delivery costs) / price,
        all in CNY fen, the price at the USD mid rate of the award day. Delivery costs are
        what the Incoterm puts on the seller: the freight, local charges and insurance the
        firm paid when it booked (estimated from the lane's mid-range rate and the
        Incoterm before booking) and, under DDP, the duty, import VAT and clearance fee
        paid at import. The VAT not refunded is the claimed figure once the rebate is
        claimed, else the gap between the invoice's VAT (9 % or 13 % by product) and the
        rebate rate in force on the contract's ship-by date. ``final`` is True once
        freight is booked and the rebate claimed, so no estimate is left.
        """
        world = self.world
        assert world is not None
        contract = self.contracts[contract_id]
        product = world.products[contract["product_id"]]
        quantity = contract["quantity"]
        rate = self.usd_rate(contract["day"])
        revenue = convert(contract["amount"], rate)
        goods = product.unit_cost * quantity
        order = self.first(contract_id, "PurchaseOrderPlaced")
        if order is not None:
            goods = order.data["unit_cost"] * order.data["quantity"]
        rebate = self.first(contract_id, "RebateClaimed")
        if rebate is not None:
            vat_lost = rebate.data["non_refundable"]
        else:
            in_force = product.rebate_rate_on(world.date_of(contract["ship_by_day"]))
            gap = max(Decimal(0), input_vat_rate(world, product.id) - in_force)
            vat_lost = int((Decimal(goods) * gap).quantize(Decimal(1), ROUND_HALF_UP))
        freight = self.first(contract_id, "FreightBooked")
        if freight is not None:
            logistics = freight.data["freight_cny"] + freight.data["insurance_cny"]
            cleared = self.first(contract_id, "ImportCleared")
            if cleared is not None:
                logistics += cleared.data["duty"] + cleared.data["import_vat"]
                logistics += cleared.data["fee"]
        else:
            logistics = self._estimated_logistics(contract, rate)
        if INCOTERMS[contract["incoterm"]].export_clearance != "seller":
            # EXW: no export declaration, so a domestic sale: output VAT comes out of the
            # price and the invoice's VAT is credited against it, not refunded.
            rate_in = input_vat_rate(world, product.id)
            revenue -= int(
                (Decimal(revenue) * rate_in / (1 + rate_in)).quantize(Decimal(1), ROUND_HALF_UP)
            )
            vat_lost = 0
        margin = percent(revenue - goods - vat_lost - logistics, revenue)
        return margin, freight is not None and rebate is not None

    def _estimated_logistics(self, contract: Mapping[str, Any], rate: int) -> int:
        world = self.world
        assert world is not None
        lane = world.lanes[contract["lane_id"]]
        product = world.products[contract["product_id"]]
        term = INCOTERMS[contract["incoterm"]]
        weight, volume = shipment_metrics(
            contract["quantity"], product.gross_weight_g, product.volume_cm3
        )
        total = 0
        if term.seller_main_carriage:
            units = MODES[lane.mode].billing_units(weight, volume)
            total += convert((lane.cost[0] + lane.cost[1]) // 2 * units, rate)
        if term.code != "EXW":
            total += int(world.money["inland_haulage_cny_per_cbm"]) * max(
                1, -(-volume // 1_000_000)
            )
            total += int(world.money["export_clearance_fee_cny"])
        if term.seller_insurance is not None:
            key = (
                "cargo_insurance_rate_icc_c"
                if term.seller_insurance == "C"
                else "cargo_insurance_rate_icc_a"
            )
            total += insurance_premium(
                convert(contract["amount"], rate), world.rate(key), world.rate("insurance_markup")
            )
        return total
