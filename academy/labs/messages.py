"""Messages from buyers: what the market's events would sound like in the buyers' words.

The engine records facts (an RFQ posted, goods arrived, a payment late); this module
turns the ones that concern a firm into short letters from the buyer concerned, in
that buyer's own style. A letter is put together from three templates: an opening and
a closing chosen by the buyer's temperament (from the persona in its ``BuyerJoined``
event: brisk, formal or friendly) and a body chosen by the situation. Which variant
of each is used is drawn from the market seed and the event's sequence number, so a
reload shows the same letter. Every template exists in English and Chinese; the page
follows the reader's language, while names, companies and cities stay as generated
and the sign-off greets in the buyer's own language.

Two situations have no event of their own and are read off the day's close: a
shipment still not arrived when the carrier's window has passed (delayed) and a
receivable unpaid at the end of its due day (late). Nothing sealed is used: not a
shipment's decided outcome, nor the day a buyer will pay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from academy.db import db
from academy.i18n import is_chinese
from academy.labs.firm import FirmPage
from academy.labs.labels import money_usd
from academy.labs.letter_texts import (
    CLOSINGS,
    LANGUAGES,
    OPENINGS,
    SIGN_OFFS,
    SITUATIONS,
    STYLES,
    WORDS,
)
from academy.labs.models import MarketEvent, SandboxMarket
from sandbox import rng_for

__all__ = [
    "LANGUAGES",
    "SITUATIONS",
    "STYLES",
    "BuyerMessage",
    "firm_messages",
    "render_message",
    "style_of",
]


@dataclass(frozen=True)
class BuyerMessage:
    """One message: which event (``seq``, ``index`` for several on one event), who, what.

    ``facts`` fill the templates; ``link`` is ``(endpoint, values, anchor)`` or None.
    """

    seq: int
    index: int
    day: int
    situation: str
    buyer: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    link: tuple[str, dict[str, Any], str] | None = None

    @property
    def key(self) -> str:
        return f"{self.seq}.{self.index}"


def style_of(persona: dict[str, Any]) -> str:
    """A buyer's temperament from its persona: brisk, formal or friendly.

    Impatient buyers write briskly; demanding ones formally; the rest are friendly.
    """
    if float(persona.get("patience", 1)) < 0.35:
        return "brisk"
    if float(persona.get("quality_expectation", 0)) >= 0.75:
        return "formal"
    return "friendly"


def _language(locale: str | None = None) -> str:
    if locale is None:
        return "zh" if is_chinese() else "en"
    return "zh" if locale.lower().startswith("zh") else "en"


class _Collector:
    """Folds a market's events into the messages one firm receives."""

    def __init__(self, page: FirmPage) -> None:
        self.page = page
        self.firm_id = page.firm_id
        self.products: set[str] = set(page.view["firm"]["products"])
        self.open_rfqs = {rfq["rfq_id"] for rfq in page.view["open_rfqs"]}
        self.contract_ids = {c["contract_id"] for c in page.view["contracts"]}
        self.buyers: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, str] = {}
        self.in_transit: dict[str, int] = {}
        self.due: dict[tuple[str, str], tuple[int, int]] = {}
        self.messages: list[BuyerMessage] = []

    def add(self, seq: int, day: int, situation: str, buyer_id: str, facts: dict, link=None):
        buyer = self.buyers.get(buyer_id)
        if buyer is None:
            return
        index = sum(1 for m in self.messages[-8:] if m.seq == seq)
        facts = {"firm": self.page.view["firm"]["name"], **facts}
        self.messages.append(BuyerMessage(seq, index, day, situation, buyer, facts, link))

    def contract_link(self, contract_id: str) -> tuple[str, dict, str] | None:
        if contract_id not in self.contract_ids:
            return None
        return ("labs.show_contract", {"contract_id": contract_id}, "")

    def contract_facts(self, contract: dict[str, Any]) -> dict[str, Any]:
        return {
            "contract": contract["contract_id"],
            "product": self.page.product_name(contract["product_id"]),
            "quantity": contract["quantity"],
            "amount": money_usd(contract["amount"]),
            "incoterm": contract["incoterm"],
            "payment_code": contract["payment"],
            "ship_by": contract["ship_by_day"],
        }

    def feed(self, seq: int, day: int, type_: str, data: dict[str, Any]) -> None:
        handler = getattr(self, f"on_{type_}", None)
        if handler is not None:
            handler(seq, day, data)

    def on_BuyerJoined(self, seq, day, data):
        self.buyers[data["buyer_id"]] = data

    def on_RfqPosted(self, seq, day, data):
        if data["product_id"] not in self.products:
            return
        link = None
        if data["rfq_id"] in self.open_rfqs:
            link = ("labs.quote_rfq", {"rfq_id": data["rfq_id"]}, "")
        facts = {
            "rfq": data["rfq_id"],
            "product": self.page.product_name(data["product_id"]),
            "quantity": data["quantity"],
            "incoterm": data["incoterm"],
            "payment_code": data["payment"],
            "deadline": data["deadline_day"],
        }
        self.add(seq, day, "rfq_posted", data["buyer_id"], facts, link)

    def on_InquirySent(self, seq, day, data):
        if data["firm_id"] != self.firm_id:
            return
        facts = {"product": self.page.product_name(data["product_id"])}
        self.add(
            seq,
            day,
            "inquiry",
            data["buyer_id"],
            facts,
            ("labs.firm_dashboard", {}, "inquiry-heading"),
        )

    def on_ContractSigned(self, seq, day, data):
        if data["firm_id"] != self.firm_id:
            return
        self.contracts[data["contract_id"]] = data
        facts = self.contract_facts(data)
        self.add(
            seq,
            day,
            "contract_awarded",
            data["buyer_id"],
            facts,
            self.contract_link(data["contract_id"]),
        )

    def _about(self, seq, day, situation, contract_id, **extra):
        contract = self.contracts.get(contract_id)
        if contract is None:
            return
        facts = {**self.contract_facts(contract), **extra}
        self.add(seq, day, situation, contract["buyer_id"], facts, self.contract_link(contract_id))

    def on_LcIssued(self, seq, day, data):
        self._about(seq, day, "lc_issued", data["contract_id"])

    def on_LcAmended(self, seq, day, data):
        situation = "lc_amendment_accepted" if data["accepted"] else "lc_amendment_refused"
        self._about(seq, day, situation, data["contract_id"])

    def on_ShipmentDeparted(self, seq, day, data):
        contract = self.contracts.get(data["contract_id"])
        if contract is None:
            return
        # Only the carrier's published window: the decided arrival day is sealed.
        lane = self.page.world.lanes.get(contract["lane_id"])
        earliest, latest = (day + lane.days[0], day + lane.days[1]) if lane else (day, day)
        self.in_transit[data["contract_id"]] = latest
        self._about(
            seq, day, "shipment_departed", data["contract_id"], earliest=earliest, latest=latest
        )

    def on_ShipmentArrived(self, seq, day, data):
        self.in_transit.pop(data["contract_id"], None)
        note = "damaged" if data["damaged"] else ("on_time" if data["on_time"] else "late")
        self._about(seq, day, "shipment_arrived", data["contract_id"], arrival=note)

    def on_ShipmentLost(self, seq, day, data):
        self.in_transit.pop(data["contract_id"], None)
        self._about(seq, day, "shipment_lost", data["contract_id"])

    def on_ReceivableScheduled(self, seq, day, data):
        if data["contract_id"] in self.contracts:
            self.due[(data["contract_id"], data["part"])] = (data["due_day"], data["amount"])

    def _settle(self, data) -> None:
        self.due.pop((data["contract_id"], data["part"]), None)

    def on_PaymentReceived(self, seq, day, data):
        self._settle(data)
        self._about(
            seq,
            day,
            "payment_made",
            data["contract_id"],
            part_code=data["part"],
            amount=money_usd(data["amount"]),
        )

    def on_EscrowFunded(self, seq, day, data):
        self._about(
            seq,
            day,
            "payment_made",
            data["contract_id"],
            part_code="escrow",
            amount=money_usd(data["amount"]),
        )

    def on_ReceivableDefaulted(self, seq, day, data):
        self._settle(data)
        self._about(
            seq,
            day,
            "payment_defaulted",
            data["contract_id"],
            part_code=data["part"],
            amount=money_usd(data["amount"]),
        )

    def on_DisputeOpened(self, seq, day, data):
        contract = self.contracts.get(data["contract_id"])
        if contract is None:
            return
        self.disputes[data["dispute_id"]] = data["contract_id"]
        negotiation = int(self.page.world.platform["dispute_negotiation_days"])
        facts = {
            **self.contract_facts(contract),
            "dispute": data["dispute_id"],
            "reason_code": data["reason"],
            "claim_rate": f"{float(data['claim_rate']) * 100:.0f} %",
            "negotiation": negotiation,
        }
        self.add(
            seq,
            day,
            "dispute_opened",
            contract["buyer_id"],
            facts,
            ("labs.firm_disputes", {}, data["dispute_id"]),
        )

    def _dispute(self, seq, day, situation, data, **extra):
        contract_id = self.disputes.get(data["dispute_id"])
        contract = self.contracts.get(contract_id or "")
        if contract is None:
            return
        facts = {**self.contract_facts(contract), "dispute": data["dispute_id"], **extra}
        self.add(
            seq,
            day,
            situation,
            contract["buyer_id"],
            facts,
            ("labs.firm_disputes", {}, data["dispute_id"]),
        )

    def on_DisputeEscalated(self, seq, day, data):
        self._dispute(seq, day, "dispute_escalated", data)

    def on_DisputeResolved(self, seq, day, data):
        self._dispute(seq, day, "dispute_resolved", data, refund=money_usd(data["refund"]))

    def on_DayClosed(self, seq, day, data):
        closed = int(data["day"])
        for contract_id, latest in list(self.in_transit.items()):
            if latest == closed:
                self._about(seq, day, "shipment_delayed", contract_id, latest=latest)
        for (contract_id, part), (due_day, amount) in list(self.due.items()):
            if due_day == closed:
                self._about(
                    seq,
                    day,
                    "payment_late",
                    contract_id,
                    part_code=part,
                    amount=money_usd(amount),
                    due=due_day,
                )


#: Event types that can lead to a message.
_TYPES = tuple(name[3:] for name in dir(_Collector) if name.startswith("on_"))


def firm_messages(market: SandboxMarket, page: FirmPage) -> list[BuyerMessage]:
    """Every message the firm of ``page`` has received, newest first."""
    collector = _Collector(page)
    rows = db.session.execute(
        sa.select(MarketEvent.seq, MarketEvent.day, MarketEvent.type, MarketEvent.data)
        .where(MarketEvent.market_id == market.id, MarketEvent.type.in_(_TYPES))
        .order_by(MarketEvent.seq)
        .execution_options(yield_per=2000)
    )
    for seq, day, type_, data in rows:
        collector.feed(seq, day, type_, data)
    return sorted(collector.messages, key=lambda m: (m.seq, m.index), reverse=True)


def _word(kind: str, code: Any, language: str) -> str:
    entry = WORDS[kind].get(str(code))
    return entry[language] if entry else str(code)


def render_message(
    message: BuyerMessage, market: SandboxMarket, locale: str | None = None
) -> dict[str, Any]:
    """The text of a message in the reader's language (or ``locale``: ``en``/``zh``).

    The variant of each part is drawn from the market seed and the message's key,
    so the same message always reads the same.

    Returns:
        ``{"subject", "opening", "body", "closing", "sign_off", "signature", "style"}``.
    """
    language = _language(locale)
    buyer = message.buyer
    style = style_of(buyer.get("persona", {}))
    values = {
        "contact": buyer["contact"],
        "company": buyer["company"],
        "city": buyer["city"],
        **message.facts,
    }
    if "payment_code" in values:
        values["payment"] = _word("payment", values["payment_code"], language)
    if "part_code" in values:
        values["part"] = _word("part", values["part_code"], language)
    if "reason_code" in values:
        values["reason"] = _word("reason", values["reason_code"], language)
    if "arrival" in values:
        values["arrival_note"] = _word("arrival", values["arrival"], language)
    spec = SITUATIONS[message.situation]

    def pick(part: str, options: tuple[dict[str, str], ...]) -> str:
        choice = rng_for(market.seed, "buyer-message", message.key, part).choice(options)
        return choice[language].format_map(_Defaults(values))

    return {
        "subject": spec["subject"][language].format_map(_Defaults(values)),
        "opening": pick("opening", OPENINGS[style]),
        "body": pick("body", spec["bodies"]),
        "closing": pick("closing", CLOSINGS[style]),
        "sign_off": SIGN_OFFS.get(buyer.get("language", ""), SIGN_OFFS["en"]),
        "signature": f"{buyer['contact']}, {buyer['company']}, {buyer['city']}",
        "style": style,
    }


class _Defaults(dict):
    """Template values; a missing one shows as empty rather than failing the page."""

    def __missing__(self, key: str) -> str:
        return ""
