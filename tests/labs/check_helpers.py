"""Helpers for the lab-check tests: read shipped labs and play scripted students.

A scripted student is a :class:`Student` strategy: the bots' decision code with dials a
lab cares about (which Incoterm, lane mode, market and payment it will quote, its
margin, its slips). It acts only through ``Market.execute``, one sim-day at a time.
"""

from __future__ import annotations

import random
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from academy.labs.founding import _default_products
from academy.labs.lessons import DEFAULT_LAB_BOTS, LAB_BUYERS, lab_products
from sandbox.bots.pricing import SEA_TO_ANY, quote_unit_price
from sandbox.bots.strategies import Strategy, run_bots
from sandbox.customs import duty_rate
from sandbox.engine import commands as c
from sandbox.engine.market import Market
from sandbox.errors import CommandRejected
from sandbox.events import Event
from sandbox.logistics import MODES, shipment_metrics
from sandbox.scenario import load_scenario
from sandbox.trade import INCOTERMS

COURSES = Path(__file__).resolve().parents[2] / "courses"
#: The student's firm id in a lab market (the web's first student firm).
STUDENT = "F001"


def read_lab(path: Path) -> dict[str, Any]:
    """Return the TOML front matter of a lesson file."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++"):
        return {}
    return tomllib.loads(text.split("+++", 2)[1])


def shipped_labs() -> dict[str, dict[str, Any]]:
    """Return every shipped lab lesson's front matter by ``course/module/lesson`` path."""
    labs = {}
    for path in sorted(COURSES.glob("*/*/*.md")):
        meta = read_lab(path)
        if meta.get("kind") == "lab":
            labs[str(path.relative_to(COURSES).with_suffix(""))] = meta
    return labs


class Student(Strategy):
    """A scripted student: the careful bot's habits with the lab's constraints as dials."""

    name = "student"
    incoterm: ClassVar[str | None] = None
    modes: ClassVar[tuple[str, ...] | None] = None
    market: ClassVar[str | None] = None
    payments: ClassVar[tuple[str, ...] | None] = None
    prefer_fast: ClassVar[bool] = False
    first_mode: ClassVar[str | None] = None  # a lane mode its first contract should use
    max_contracts: ClassVar[int] = 99
    skip_terms: ClassVar[tuple[str, ...]] = ()
    only_asked: ClassVar[bool] = True  # quote the required Incoterm only where the buyer asks it
    max_open_quotes: ClassVar[int | None] = None  # quotes left waiting before it sends more
    accepted_payments = ("tt", "lc", "escrow", "dp", "da", "open_account")
    amends_soft_clauses = True
    quotes_per_day = 1
    #: Negotiation by letter: ``None`` never writes; else the lowest markup on cost it
    #: will concede to (it meets a buyer's counter-offer at or above that price).
    floor_margin: ClassVar[Decimal | None] = None
    concede_at_once: ClassVar[bool] = False  # its first letter already offers the floor
    #: Certificates of origin: ``None`` never applies; ``"lowest"`` applies on signing for
    #: the scheme with the lowest duty rate; ``"rcep"``/``"form_e"`` always that scheme.
    origin_scheme: ClassVar[str | None] = None
    #: Sim-days before the goods' arrival it applies (``None``: as soon as it signs).
    origin_days_before_arrival: ClassVar[int | None] = None

    def act(self, m: Market, firm_id: str) -> dict[str, int]:
        tally = super().act(m, firm_id)
        if self.floor_margin is not None:
            self.negotiate(m, firm_id)
        if self.origin_scheme is not None:
            self.apply_for_origin(m, firm_id)
        return tally

    def apply_for_origin(self, m: Market, firm_id: str) -> None:
        """Apply for a certificate of origin on each contract to a preferential market:
        on signing, or only a set number of days before the goods arrive."""
        world = m.world
        for contract in [k for k in m.state.contracts.values() if k["firm_id"] == firm_id]:
            if contract.get("origin_certificate") is not None:
                continue
            if self.origin_days_before_arrival is not None:
                arrival = contract.get("arrival_day")
                if arrival is None or arrival - m.state.day > self.origin_days_before_arrival:
                    continue
            market = m.state.buyers[contract["buyer_id"]]["market"]
            offers = {
                code: duty_rate(world, market, contract["product_id"], code)
                for code, scheme in sorted(world.tax.origin_schemes.items())
                if market in scheme.markets
            }
            if not offers:
                continue
            code = self.origin_scheme
            if code == "lowest":
                code = min(offers, key=lambda name: (offers[name], name))
            try:
                m.execute(c.ApplyOriginCertificate(firm_id, contract["contract_id"], code))
            except CommandRejected:
                continue

    def negotiate(self, m: Market, firm_id: str) -> None:
        """Write one letter a day on each open quote: ask the buyer to take the quote,
        then meet its counter-offer if that keeps the floor markup, else offer the floor."""
        for quote in [q for q in m.state.quotes.values() if q["firm_id"] == firm_id]:
            rfq = m.state.rfqs[quote["rfq_id"]]
            thread = rfq.get("negotiations", {}).get(firm_id)
            if rfq["status"] != "open" or (thread is not None and thread["status"] != "open"):
                continue
            floor = quote_unit_price(m, rfq, quote["lane_id"], quote["incoterm"], self.floor_margin)
            terms = {k: quote[k] for k in ("unit_price", "incoterm", "payment", "lead_days")}
            counter = thread["counter"] if thread else None
            if counter is not None:
                terms = {**counter, "unit_price": max(counter["unit_price"], floor)}
            elif self.concede_at_once:
                terms["unit_price"] = floor
            try:
                m.execute(c.ProposeTerms(firm_id, rfq["rfq_id"], **terms))
            except CommandRejected:
                continue

    def choose_lane(
        self, m: Market, rfq: dict[str, Any], rng: random.Random
    ) -> tuple[str, str] | None:
        world = m.world
        market = m.state.buyers[rfq["buyer_id"]]["market"]
        if self.market is not None and market != self.market:
            return None
        if self.payments is not None and rfq["payment"] not in self.payments:
            return None
        contracts = [k for k in m.state.contracts.values() if k["firm_id"] == STUDENT]
        if len(contracts) >= self.max_contracts:
            return None
        if self.max_open_quotes is not None:
            open_rfqs = {r for rfqs in m.state.open_rfqs_by_product.values() for r in rfqs}
            waiting = sum(
                1
                for quote in m.state.quotes.values()
                if quote["firm_id"] == STUDENT and quote["rfq_id"] in open_rfqs
            )
            if waiting >= self.max_open_quotes:
                return None
        product = world.products[rfq["product_id"]]
        weight, _ = shipment_metrics(rfq["quantity"], product.gross_weight_g, product.volume_cm3)
        options = []
        for lane_id in world.lanes_by_market[market]:
            lane = world.lanes[lane_id]
            limit = MODES[lane.mode].max_weight_g
            if limit and weight > limit:
                continue
            if self.modes is not None and lane.mode not in self.modes:
                continue
            if self.first_mode and lane.mode != self.first_mode and not contracts:
                continue
            term = rfq["incoterm"]
            if INCOTERMS[term].sea_only and not lane.mode.startswith("sea"):
                term = SEA_TO_ANY[term]
            if term in self.skip_terms:
                continue
            if self.incoterm is not None:
                if INCOTERMS[self.incoterm].sea_only and not lane.mode.startswith("sea"):
                    continue
                if self.only_asked and term != self.incoterm:
                    continue
                term = self.incoterm
            key = (lane.days[1], lane.cost[1]) if self.prefer_fast else (lane.cost[1], 0)
            options.append((key, lane_id, term))
        if not options:
            return None
        options.sort()
        _, lane_id, term = options[0]
        return lane_id, term


def play(lab: dict[str, Any], student: Strategy, *, days: int) -> list[Event]:
    """Open the lab's world as the web's "Start the lab" does and play ``days`` days.

    The firms are those ``academy.labs.lessons.start_lab`` founds: the lab's rivals
    (one cautious bot, ``B001``, listing what the web lists for it), then the student's
    firm ``F001`` listing ``lab_products``; the market has ``LAB_BUYERS`` buyers. Each
    day the bots act, then the student, then the clock steps (the web's clock runs the
    bots and steps; the student acts between two advances).
    """
    world = load_scenario(lab["scenario"], seed=lab["seed"])
    market = Market.open(world, buyers=LAB_BUYERS, market_id="market1")
    bots = lab.get("bots") or list(DEFAULT_LAB_BOTS)
    for number, bot in enumerate(bots, start=1):
        firm_id = f"B{number:03d}"
        listed = _default_products(market, firm_id)
        market.execute(c.RegisterFirm(firm_id, f"{bot.title()} Trading {firm_id}", listed, bot))
    market.execute(c.RegisterFirm(STUDENT, "Student Trading Co.", lab_products(lab)))
    for _ in range(days):
        run_bots(market)
        student.act(market, STUDENT)
        market.step()
    return list(market.store.read())


def margin(value: str) -> Decimal:
    """A markup dial for a student."""
    return Decimal(value)
