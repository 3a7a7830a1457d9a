"""UCP 600 rules a documentary credit's figures and dates follow.

* Art. 30 tolerances: "about" or "approximately" before the amount, the quantity or the
  unit price allows 10 % more or less of that figure (30(a)); without such words and
  unless the credit forbids it, the quantity may be 5 % more or less when it is not
  stated in packing units or individual items and the drawings stay within the credit
  amount (30(b)); when partial shipments are prohibited, 5 % less in amount is allowed
  if the quantity is shipped in full and the unit price is not reduced (30(c)); an
  explicit tolerance in the credit (field 39A) replaces these.
* Art. 18(b): a bank may accept an invoice above the credit amount; its decision binds
  everyone provided it honours no more than the credit allows.
* Art. 29(a): an expiry date or last day for presentation on a day the bank is closed
  moves to the next banking day; 29(c): the latest shipment date never moves.
* Arts. 19-25: the transport document follows the mode of transport.

Every function here is pure; amounts are integer minor units, tolerances ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.money import apply_rate

__all__ = [
    "TRANSPORT_DOCUMENTS",
    "TRANSPORT_DOCUMENT_CODES",
    "BankCalendar",
    "TransportDocument",
    "acceptable_transport_documents",
    "allowed_ranges",
    "bulk_tolerance_applies",
    "presentation_deadline",
    "tolerance_of",
    "transport_document_for",
]

ABOUT = Decimal("0.10")  # art. 30(a)
BULK_QUANTITY = Decimal("0.05")  # art. 30(b)
SHORT_AMOUNT = Decimal("0.05")  # art. 30(c)

#: Units that count items or packages: art. 30(b)'s 5 % does not apply to them.
COUNTED_UNITS = frozenset(
    {"piece", "pieces", "pc", "pcs", "set", "sets", "unit", "units", "carton", "cartons",
     "box", "boxes", "bag", "bags", "pair", "pairs", "roll", "rolls", "bottle", "bottles",
     "dozen", "reel", "reels", "drum", "drums", "case", "cases"}
)  # fmt: skip


@dataclass(frozen=True)
class TransportDocument:
    """The transport document UCP 600 expects for one mode of transport.

    Attributes:
        code: Document key used in a credit's ``required_documents``.
        name: English name.
        article: The UCP 600 article that sets its examination rules.
    """

    code: str
    name: str
    article: str


#: Mode of transport (lane mode) -> the transport document a credit should call for.
TRANSPORT_DOCUMENTS: dict[str, TransportDocument] = {
    "sea_fcl": TransportDocument("bill_of_lading", "Bill of lading", "20"),
    "sea_lcl": TransportDocument("bill_of_lading", "Bill of lading", "20"),
    "sea_waybill": TransportDocument("sea_waybill", "Non-negotiable sea waybill", "21"),
    "warehouse": TransportDocument(
        "multimodal_transport_document", "Multimodal transport document", "19"
    ),
    "multimodal": TransportDocument(
        "multimodal_transport_document", "Multimodal transport document", "19"
    ),
    "air": TransportDocument("air_waybill", "Air waybill", "23"),
    "rail": TransportDocument("rail_consignment_note", "Rail consignment note (CIM/SMGS)", "24"),
    "road": TransportDocument("road_consignment_note", "Road consignment note (CMR)", "24"),
    "express": TransportDocument("courier_receipt", "Courier receipt", "25(a)"),
    "postal": TransportDocument("post_receipt", "Post receipt", "25(c)"),
}

#: Every transport document code, whatever the mode.
TRANSPORT_DOCUMENT_CODES = tuple(dict.fromkeys(doc.code for doc in TRANSPORT_DOCUMENTS.values()))


#: Sea carriage may also be evidenced by a sea waybill when the credit asks for one (art. 21):
#: the goods are delivered to the named consignee without an original, so the applicant
#: gives up the bank's hold on the goods, and the beneficiary loses nothing by it.
SEA_MODES = ("sea_fcl", "sea_lcl")


def acceptable_transport_documents(mode: str) -> tuple[str, ...]:
    """Return the transport document codes a credit may properly call for under ``mode``."""
    codes: tuple[str, ...] = (TRANSPORT_DOCUMENTS[mode].code,)
    if mode in SEA_MODES:
        codes += (TRANSPORT_DOCUMENTS["sea_waybill"].code,)
    return codes


def transport_document_for(mode: str) -> TransportDocument:
    """Return the transport document a credit should ask for under ``mode``.

    Raises:
        KeyError: For an unknown mode.
    """
    return TRANSPORT_DOCUMENTS[mode]


def tolerance_of(credit: dict[str, Any], figure: str) -> tuple[Decimal, Decimal] | None:
    """Return ``(more, less)`` allowed on a figure by "about" or field 39A, or None."""
    explicit = (credit.get("tolerance") or {}).get(figure)
    if explicit is not None:
        return (Decimal(str(explicit[0])), Decimal(str(explicit[1])))
    if figure in (credit.get("about") or ()):
        return (ABOUT, ABOUT)
    return None


def _band(value: int, more: Decimal, less: Decimal) -> tuple[int, int]:
    return (value - apply_rate(value, less), value + apply_rate(value, more))


def bulk_tolerance_applies(credit: dict[str, Any]) -> bool:
    """True when art. 30(b)'s 5 % on quantity applies to this credit."""
    return (
        tolerance_of(credit, "quantity") is None
        and not credit.get("exact_quantity")
        and str(credit.get("unit", "")).lower() not in COUNTED_UNITS
    )


def allowed_ranges(credit: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Return the inclusive ``(low, high)`` each figure of an invoice may take.

    Keys: ``amount`` (minor units), ``quantity`` and, when the credit states one,
    ``unit_price``. With partial shipments allowed (art. 31(a), the default) any
    amount up to the maximum may be drawn, so ``low`` is 0 for the amount.
    """
    amount, quantity = credit["amount"], credit["quantity"]
    partial = credit.get("partial_shipments", "allowed") == "allowed"
    ranges: dict[str, tuple[int, int]] = {}
    quantity_band = tolerance_of(credit, "quantity")
    if quantity_band is not None:
        ranges["quantity"] = _band(quantity, *quantity_band)
    elif bulk_tolerance_applies(credit):
        ranges["quantity"] = _band(quantity, BULK_QUANTITY, BULK_QUANTITY)
    else:
        ranges["quantity"] = (0 if partial else quantity, quantity)
    amount_band = tolerance_of(credit, "amount")
    if amount_band is not None:
        low, high = _band(amount, *amount_band)
    else:
        # 30(b) never lets drawings exceed the credit; 30(c) allows 5 % less when
        # partial shipments are prohibited (quantity in full, unit price not reduced).
        low, high = amount - apply_rate(amount, SHORT_AMOUNT), amount
    ranges["amount"] = (0 if partial else low, high)
    if credit.get("unit_price") is not None:
        price_band = tolerance_of(credit, "unit_price") or (Decimal(0), Decimal(0))
        ranges["unit_price"] = _band(credit["unit_price"], *price_band)
    return ranges


@dataclass(frozen=True)
class BankCalendar:
    """The presenting bank's days: closed on Saturdays, Sundays and listed holidays.

    Attributes:
        start_date: Calendar date of sim-day 0.
        holidays: ISO dates the bank is closed on weekdays.
    """

    start_date: dt.date
    holidays: tuple[str, ...] = ()

    def is_banking_day(self, day: int) -> bool:
        """True when the bank is open on sim-day ``day``."""
        date = self.start_date + dt.timedelta(days=day)
        return date.weekday() < 5 and date.isoformat() not in self.holidays

    def roll_forward(self, day: int) -> int:
        """Return ``day`` or, when the bank is closed then, the first banking day after it."""
        while not self.is_banking_day(day):
            day += 1
        return day


def presentation_deadline(
    credit: dict[str, Any], shipped_day: int, calendar: BankCalendar | None
) -> dict[str, int]:
    """Return the expiry and the last day for presentation after art. 29(a).

    Both move to the next banking day when they fall on a day the bank is closed; the
    latest shipment date does not (29(c)), so it is not returned here.
    """
    expiry = credit["expiry_day"]
    last = shipped_day + credit["presentation_days"]
    if calendar is not None:
        expiry, last = calendar.roll_forward(expiry), calendar.roll_forward(last)
    return {"expiry_day": expiry, "last_presentation_day": min(last, expiry)}
