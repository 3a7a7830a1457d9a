"""Typed, versioned, JSON-serialisable events and their catalogue.

Every state change in a market is an :class:`Event`. ``EVENT_TYPES`` lists each type
with its version and exact field names; :func:`make_event` refuses data whose fields
differ, so the catalogue in ``sandbox/README.md`` stays true. Events hold only JSON
types (str, int, float for probabilities, bool, None, lists, dicts with str keys).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from sandbox.errors import ReplayError

__all__ = [
    "EVENT_TYPES",
    "SPEC_VERSIONS",
    "Event",
    "EventSpec",
    "decode_event",
    "encode_event",
    "make_event",
]


@dataclass(frozen=True, slots=True)
class EventSpec:
    """Catalogue entry: the current version and the exact field names of one event type."""

    name: str
    version: int
    fields: frozenset[str]
    summary: str


def _spec(name: str, fields: str, summary: str, version: int = 1) -> EventSpec:
    return EventSpec(name, version, frozenset(fields.split()), summary)


EVENT_TYPES: dict[str, EventSpec] = {
    spec.name: spec
    for spec in (
        _spec("MarketOpened", "market_id seed world", "a market starts from a resolved scenario"),
        _spec("FirmRegistered", "firm_id name licence_no products bot", "a firm joins the market"),
        _spec(
            "BuyerJoined",
            "buyer_id market company contact city language persona",
            "a synthetic buyer appears (Faker data stored, so replays never re-run Faker)",
        ),
        _spec("FxRatesSet", "rates", "the day's mid rates, CNY per unit x 10**8"),
        _spec("JournalPosted", "entry_id memo ref lines", "one balanced double-entry journal"),
        _spec("InquirySent", "inquiry_id buyer_id firm_id product_id", "a buyer asks a firm"),
        _spec("InquiryAnswered", "inquiry_id firm_id", "a firm replies to an inquiry"),
        _spec(
            "RfqPosted",
            "rfq_id buyer_id product_id quantity incoterm payment deadline_day reservation",
            "a buyer posts a request for quotation",
        ),
        _spec(
            "QuoteSubmitted",
            "quote_id rfq_id firm_id unit_price incoterm payment lane_id lead_days",
            "a firm quotes an RFQ (USD cents per unit)",
        ),
        _spec("QuoteEdited", "quote_id unit_price", "a firm uses its one edit of a quote"),
        _spec(
            "NegotiationProposed",
            "rfq_id firm_id quote_id round unit_price incoterm payment lead_days message",
            "a firm writes to the buyer of an RFQ it quoted with new terms",
        ),
        _spec(
            "NegotiationAnswered",
            "rfq_id firm_id round decision reason terms claim",
            "the buyer accepts, counters or declines a firm's proposal",
        ),
        _spec("RfqClosed", "rfq_id reason", "an RFQ stops taking quotes (10 quotes or deadline)"),
        _spec("RfqLapsed", "rfq_id reason", "an RFQ ends without an award"),
        _spec(
            "ContractSigned",
            "contract_id rfq_id quote_id firm_id buyer_id product_id quantity unit_price "
            "amount incoterm payment lane_id ship_by_day",
            "a buyer awards a quote; the sales contract exists",
        ),
        _spec("LcIssued", "contract_id credit", "the issuing bank opens a documentary credit"),
        _spec("LcAmended", "contract_id accepted credit", "an amendment request is answered"),
        _spec(
            "PurchaseOrderPlaced",
            "po_id firm_id contract_id supplier_id product_id quantity unit_cost due_day",
            "a firm buys goods from a Henan supplier",
        ),
        _spec("GoodsReceived", "po_id", "goods and the VAT invoice arrive; payable booked"),
        _spec("SupplierPaid", "po_id", "a payable is paid"),
        _spec(
            "FreightBooked",
            "contract_id lane_id freight_cny insurance_cny insured ship_day units "
            "freight_usd insurance_usd documents cold_chain",
            "space booked on a lane (v2: USD freight and premium for the declaration's "
            "money boxes, papers handed over, cold chain)",
            version=2,
        ),
        _spec(
            "DeclarationFiled",
            "contract_id customs_no declaration findings",
            "an export declaration is accepted and numbered (18 digits)",
        ),
        _spec("InspectionOrdered", "contract_id inspector reason result_day", "double random pick"),
        _spec("DeclarationReleased", "contract_id inspected penalty findings", "customs release"),
        _spec("CustomsCreditChanged", "firm_id score reason", "the firm's customs credit moves"),
        _spec(
            "ShipmentDeparted",
            "contract_id arrival_day outcome delay_days cost credit_insured",
            "goods leave with the carrier; outcome is sealed until it happens",
        ),
        _spec("ShipmentLost", "contract_id stage bearer", "goods lost in transit"),
        _spec(
            "ShipmentArrived",
            "contract_id on_time damaged release_day",
            "goods reach the destination",
        ),
        _spec(
            "RevenueRecognised",
            "contract_id revenue receivable cost",
            "risk has passed: sales and cost of sales are booked (CNY fen)",
        ),
        _spec(
            "DocumentsPresented",
            "contract_id presentation documents examine_day signed withheld",
            "documents presented under a credit; withheld: soft clauses the applicant used (v2)",
            version=2,
        ),
        _spec(
            "LcExamined",
            "contract_id discrepancies honoured payable notes",
            "bank examination result; payable and the articles applied, e.g. 18(b) (v2)",
            version=2,
        ),
        _spec(
            "LcResponded",
            "contract_id decision soft_clauses",
            "the beneficiary accepts or refuses the credit as issued",
        ),
        _spec("LcWaiverDecided", "contract_id waived", "the applicant waives discrepancies or not"),
        _spec(
            "ReceivableScheduled",
            "contract_id part amount due_day pay_day",
            "a buyer's obligation falls due; pay_day is null for a default",
        ),
        _spec(
            "PaymentReceived",
            "contract_id part amount cny book fee forward_id forward_used",
            "a buyer pays (USD cents); the bank credits the firm in CNY",
        ),
        _spec(
            "ReceivableDefaulted",
            "contract_id part amount book",
            "an unpaid receivable is written off",
        ),
        _spec(
            "CollectionRefused",
            "contract_id returned",
            "a D/P buyer refuses the documents; goods come back to stock if not lost",
        ),
        _spec(
            "CreditLimitGranted",
            "firm_id buyer_id limit premium_rate",
            "the credit insurer covers a buyer",
        ),
        _spec("CreditClaimPaid", "contract_id amount_cny", "the credit insurer indemnifies"),
        _spec(
            "DisputeOpened",
            "dispute_id contract_id reason claim_rate merit",
            "a buyer complains after receipt",
        ),
        _spec("DisputeEscalated", "dispute_id by", "a dispute goes to platform arbitration"),
        _spec(
            "DisputeResolved",
            "dispute_id refund by book",
            "a dispute ends with a refund (USD cents); book in CNY fen",
        ),
        _spec(
            "EscrowFunded",
            "contract_id amount fee",
            "the buyer pays the order into platform escrow (plus the card fee)",
        ),
        _spec(
            "EscrowReleased",
            "contract_id amount fee cny book",
            "escrow funds go to the seller, less the platform fee",
        ),
        _spec(
            "RebateClaimed",
            "contract_id rate refund non_refundable pay_day",
            "an export VAT rebate claim is filed",
        ),
        _spec("RebatePaid", "contract_id refund", "the tax office pays a rebate"),
        _spec(
            "OriginCertificateApplied",
            "contract_id scheme certificate_no fee ready_day",
            "a firm applies for a preferential certificate of origin (Form E, RCEP)",
        ),
        _spec(
            "ImportCleared",
            "contract_id scheme customs_value duty_rate duty import_vat_rate import_vat fee",
            "the seller clears the goods for import under DDP, paying duty and import VAT",
        ),
        _spec(
            "DomesticSaleTaxed",
            "contract_id rate output_vat input_vat_credited vat_paid",
            "goods left without the seller's export declaration (EXW): taxed as a domestic sale",
        ),
        _spec(
            "ForwardBooked",
            "forward_id firm_id amount rate maturity_day",
            "a firm sells USD forward",
        ),
        _spec("ForwardSettled", "forward_id unused settlement", "a forward matures (net settled)"),
        _spec("ListingImproved", "firm_id product_id quality", "a listing's quality score rises"),
        _spec("ContractClosed", "contract_id status", "a contract ends"),
        _spec(
            "ShockInjected",
            "shock_id kind params start_day end_day",
            "an operator injects an event (strike, disruption, FX jump, crackdown, bankruptcy)",
        ),
        _spec("DayClosed", "day", "the sim-day ends"),
    )
}


class Event(NamedTuple):
    """One recorded state change (a named tuple: immutable and cheap to build on replay).

    Attributes:
        seq: Position in the market's log, from 1 with no gaps.
        day: Sim-day on which it happened.
        type: A key of ``EVENT_TYPES``.
        version: Schema version of ``data``.
        data: Field values (JSON types only).
    """

    seq: int
    day: int
    type: str
    version: int
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "seq": self.seq,
            "day": self.day,
            "type": self.type,
            "v": self.version,
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Event:
        """Build an event from its JSON form, checking the type and version.

        Raises:
            ReplayError: If the type is unknown or the version is newer than this engine.
        """
        try:
            type_, version = raw["type"], raw["v"]
            spec = SPEC_VERSIONS.get(type_)
            if spec is None:
                raise ReplayError(f"event {raw['seq']}: unknown type {type_!r}")
            if version > spec:
                raise ReplayError(f"event {raw['seq']}: {type_} v{version} is too new")
            return cls(raw["seq"], raw["day"], type_, version, raw["data"])
        except (KeyError, TypeError) as error:
            raise ReplayError(f"malformed event: {error!r}") from None


SPEC_VERSIONS = {name: spec.version for name, spec in EVENT_TYPES.items()}


def make_event(seq: int, day: int, type_: str, data: dict[str, Any]) -> Event:
    """Create an event after checking ``data`` against the catalogue.

    Raises:
        KeyError: If the type is unknown.
        ValueError: If the fields differ from the catalogue (a programming error).
    """
    spec = EVENT_TYPES[type_]
    if data.keys() != spec.fields:
        raise ValueError(f"{type_} fields {sorted(data)} != {sorted(spec.fields)}")
    return Event(seq, day, type_, spec.version, data)


_loads = json.loads


def encode_event(event: Event) -> str:
    """Serialise an event as one compact JSON line (keys sorted, UTF-8 kept)."""
    return json.dumps(event.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def decode_event(line: str) -> Event:
    """Parse one JSON line into an :class:`Event`.

    Raises:
        ReplayError: If the line is not valid JSON or not an event.
    """
    try:
        raw = _loads(line)
    except json.JSONDecodeError as error:
        raise ReplayError(f"event line is not JSON: {error.msg}") from None
    if not isinstance(raw, dict):
        raise ReplayError("event line is not a JSON object")
    return Event.from_dict(raw)
