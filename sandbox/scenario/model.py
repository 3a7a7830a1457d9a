"""Typed, immutable view of a resolved scenario.

``World.from_dict`` validates the resolved dictionary and builds frozen dataclasses
with ``Decimal`` rates and scaled-integer FX rates, plus the lookup indexes the engine
needs (lanes by market, suppliers by product).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.money import FX_SCALE, dec, to_minor
from sandbox.scenario.fxrules import FxRules, build_fx_rules
from sandbox.scenario.tax import TaxRules, build_tax

__all__ = ["Carrier", "Currency", "Lane", "Market", "Product", "RebateRate", "Supplier", "World"]

INCOTERM_CODES = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")
PAYMENT_CODES = ("tt", "lc", "dp", "da", "escrow", "open_account")
LANE_MODES = ("sea_fcl", "sea_lcl", "rail", "air", "express", "postal", "warehouse")
LANE_BASES = ("container40", "cbm", "kg", "kg_express", "kg_postal")
RISK_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class RebateRate:
    """An export VAT rebate rate in force from ``effective`` (inclusive)."""

    rate: Decimal
    effective: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class Product:
    """A product a firm can list and sell; money in minor units, weights in grams."""

    id: str
    name: str
    hs_code: str
    category: str
    unit: str
    unit_cost: int
    market_price: int
    net_weight_g: int
    gross_weight_g: int
    volume_cm3: int
    moq: int
    quality: float
    customs_risk: float
    rebates: tuple[RebateRate, ...]
    un_number: str = ""
    temperature: str = ""
    name_zh: str = ""
    prices: tuple[tuple[dt.date, int, str], ...] = ()

    def rebate_rate_on(self, day: dt.date) -> Decimal:
        """Return the rebate rate in force on ``day`` (the export date).

        Args:
            day: The export (declaration release) date.

        Returns:
            The rate of the latest entry effective on or before ``day``; zero before the first.
        """
        rate = Decimal(0)
        for entry in self.rebates:
            if entry.effective <= day:
                rate = entry.rate
        return rate


@dataclass(frozen=True, slots=True)
class Market:
    """A destination market: country, currency, Faker locale, risk and customs."""

    code: str
    name: str
    currency: str
    locale: str
    language: str
    risk: str
    import_duty: Decimal
    preferred_incoterms: tuple[str, ...]
    preferred_payments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency with its opening mid rate (CNY per unit x FX_SCALE) and daily walk."""

    code: str
    rate: int
    drift_ppm: int
    vol_ppm: int
    source: str


@dataclass(frozen=True, slots=True)
class Supplier:
    """A Henan manufacturer or cooperative selling to exporters."""

    id: str
    name: str
    city: str
    products: tuple[str, ...]
    capacity: int
    lead_days: tuple[int, int]
    payment_days: int


@dataclass(frozen=True, slots=True)
class Carrier:
    """A carrier or logistics service provider."""

    id: str
    name: str
    mode: str


@dataclass(frozen=True, slots=True)
class Lane:
    """A route from a Chinese origin to a market with seeded cost and time ranges."""

    id: str
    carrier: str
    mode: str
    origin: str
    market: str
    destination: str
    basis: str
    cost: tuple[int, int]
    days: tuple[int, int]
    delay_probability: float
    delay_days: tuple[int, int]
    damage_probability: float
    loss_probability: float


@dataclass(frozen=True, slots=True)
class World:
    """A validated, resolved scenario.

    Attributes:
        raw: The resolved JSON-ready dictionary this world was built from.
    """

    name: str
    title: str
    seed: int
    start_date: dt.date
    markets: dict[str, Market]
    currencies: dict[str, Currency]
    products: dict[str, Product]
    suppliers: dict[str, Supplier]
    carriers: dict[str, Carrier]
    lanes: dict[str, Lane]
    money: dict[str, Any]
    platform: dict[str, Any]
    customs: dict[str, Any]
    events: dict[str, Any]
    credit: dict[str, Any]
    population: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, compare=False)
    lanes_by_market: dict[str, tuple[str, ...]] = field(repr=False, compare=False)
    suppliers_by_product: dict[str, tuple[str, ...]] = field(repr=False, compare=False)
    logistics: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    tax: TaxRules = field(default_factory=TaxRules, repr=False, compare=False)
    fx_rules: FxRules = field(default_factory=FxRules, repr=False, compare=False)

    def rate(self, key: str) -> Decimal:
        """Return a money rate from the ``[money]`` table as a ``Decimal``.

        Entries may be a plain string or a table with ``rate``, ``source`` and ``effective``.
        """
        value = self.money[key]
        if isinstance(value, dict):
            value = value["rate"]
        return dec(value)

    def date_of(self, day: int) -> dt.date:
        """Return the calendar date of sim-day ``day`` (day 0 is ``start_date``)."""
        return self.start_date + dt.timedelta(days=day)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> World:
        """Validate a resolved scenario dictionary and build the world.

        Raises:
            ScenarioError: On any missing key, unknown reference or malformed value.
        """
        try:
            return _build(data)
        except ScenarioError:
            raise
        except (KeyError, TypeError, ValueError, InvalidOperation) as error:
            raise ScenarioError(f"malformed scenario data: {error!r}") from None


def _pair(value: Any, what: str) -> tuple[int, int]:
    low, high = (int(value[0]), int(value[1]))
    if low > high or low < 0:
        raise ScenarioError(f"{what}: range {value!r} must be [low, high] with 0 <= low <= high")
    return (low, high)


def _prices(item: dict[str, Any]) -> tuple[tuple[dt.date, int, str], ...]:
    """Dated catalogue prices (USD cents, FOB level) observed in the market."""
    found = sorted(
        (dt.date.fromisoformat(p["from"]), int(p["price"]), str(p.get("source", "")))
        for p in item.get("prices", [])
    )
    for _day, price, _source in found:
        if price <= 0:
            raise ScenarioError(f"product {item['id']}: prices must be positive")
    return tuple(found)


def _build(data: dict[str, Any]) -> World:
    currencies = {}
    for item in data["currencies"]:
        scaled = to_minor(dec(item["rate"]) * FX_SCALE)
        if scaled <= 0:
            raise ScenarioError(f"currency {item['code']}: rate must be positive")
        currencies[item["code"]] = Currency(
            item["code"], scaled, int(item["drift_ppm"]), int(item["vol_ppm"]), item["source"]
        )
    if "USD" not in currencies:
        raise ScenarioError("the world needs a USD rate: contracts are priced in USD")
    markets = {}
    for item in data["markets"]:
        if item["currency"] not in currencies:
            raise ScenarioError(f"market {item['code']}: unknown currency {item['currency']}")
        if item["risk"] not in RISK_LEVELS:
            raise ScenarioError(f"market {item['code']}: risk must be one of {RISK_LEVELS}")
        for term in item["preferred_incoterms"]:
            if term not in INCOTERM_CODES:
                raise ScenarioError(f"market {item['code']}: unknown Incoterm {term}")
        for method in item["preferred_payments"]:
            if method not in PAYMENT_CODES:
                raise ScenarioError(f"market {item['code']}: unknown payment method {method}")
        markets[item["code"]] = Market(
            item["code"],
            item["name"],
            item["currency"],
            item["locale"],
            item["language"],
            item["risk"],
            dec(item["import_duty"]),
            tuple(item["preferred_incoterms"]),
            tuple(item["preferred_payments"]),
        )
    products = {}
    for item in data["products"]:
        hs_code = str(item["hs_code"])
        if len(hs_code) != 10 or not hs_code.isdigit():
            raise ScenarioError(f"product {item['id']}: hs_code must be 10 digits")
        rebates = tuple(
            sorted(
                (
                    RebateRate(dec(r["rate"]), dt.date.fromisoformat(r["from"]), r["source"])
                    for r in item["rebates"]
                ),
                key=lambda r: r.effective,
            )
        )
        if not rebates:
            raise ScenarioError(f"product {item['id']}: needs at least one rebate rate")
        products[item["id"]] = Product(
            item["id"],
            item["name"],
            hs_code,
            item["category"],
            item["unit"],
            int(item["unit_cost"]),
            int(item["market_price"]),
            int(item["net_weight_g"]),
            int(item["gross_weight_g"]),
            int(item["volume_cm3"]),
            int(item["moq"]),
            float(item["quality"]),
            float(item["customs_risk"]),
            rebates,
            un_number=str(item.get("un_number", "")),
            temperature=str(item.get("temperature", "")),
            name_zh=str(item.get("name_zh", "")),
            prices=_prices(item),
        )
    suppliers = {
        item["id"]: Supplier(
            item["id"],
            item["name"],
            item["city"],
            tuple(item["products"]),
            int(item["capacity"]),
            _pair(item["lead_days"], f"supplier {item['id']} lead_days"),
            int(item["payment_days"]),
        )
        for item in data["suppliers"]
    }
    carriers = {
        item["id"]: Carrier(item["id"], item["name"], item["mode"]) for item in data["carriers"]
    }
    lanes = {}
    for item in data["lanes"]:
        if item["mode"] not in LANE_MODES or item["basis"] not in LANE_BASES:
            raise ScenarioError(f"lane {item['id']}: unknown mode or basis")
        if item["carrier"] not in carriers:
            raise ScenarioError(f"lane {item['id']}: unknown carrier {item['carrier']}")
        lanes[item["id"]] = Lane(
            item["id"],
            item["carrier"],
            item["mode"],
            item["origin"],
            item["market"],
            item.get("destination", ""),
            item["basis"],
            _pair(item["cost"], f"lane {item['id']} cost"),
            _pair(item["days"], f"lane {item['id']} days"),
            float(item["delay_probability"]),
            _pair(item["delay_days"], f"lane {item['id']} delay_days"),
            float(item["damage_probability"]),
            float(item["loss_probability"]),
        )
    lanes_by_market = {
        code: tuple(lane.id for lane in lanes.values() if lane.market == code) for code in markets
    }
    for code, found in lanes_by_market.items():
        if not found:
            raise ScenarioError(f"market {code} has no lane")
    suppliers_by_product = {
        pid: tuple(s.id for s in suppliers.values() if pid in s.products) for pid in products
    }
    for pid, found in suppliers_by_product.items():
        if not found:
            raise ScenarioError(f"product {pid} has no supplier")
    if not markets or not products:
        raise ScenarioError("a world needs at least one market and one product")
    return World(
        name=data["name"],
        title=data.get("title", ""),
        seed=int(data["seed"]),
        start_date=dt.date.fromisoformat(data["start_date"]),
        markets=markets,
        currencies=currencies,
        products=products,
        suppliers=suppliers,
        carriers=carriers,
        lanes=lanes,
        money=data["money"],
        platform=data["platform"],
        customs=data["customs"],
        events=data["events"],
        credit=data["credit"],
        population=data.get("population", {}),
        raw=data,
        logistics=data.get("logistics", {}),
        lanes_by_market=lanes_by_market,
        suppliers_by_product=suppliers_by_product,
        tax=build_tax(data.get("tax", {}), set(products), set(markets)),
        fx_rules=build_fx_rules(data.get("fx", {}), set(currencies)),
    )
