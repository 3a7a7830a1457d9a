"""Commands: the actions a firm (student or bot) can take.

Each command is a frozen dataclass; ``Market.execute`` finds its handler in
``COMMAND_HANDLERS``. ``command_from_dict`` builds one from JSON (the web layer's
path). Money is USD cents for prices and CNY fen otherwise.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import CommandRejected

__all__ = [
    "COMMANDS",
    "AnswerInquiry",
    "ApplyOriginCertificate",
    "BookForward",
    "BookFreight",
    "ClaimRebate",
    "EditQuote",
    "FileDeclaration",
    "ImproveListing",
    "InjectShock",
    "InsureBuyerCredit",
    "PlacePurchaseOrder",
    "PresentDocuments",
    "ProposeTerms",
    "RegisterFirm",
    "RequestLcAmendment",
    "ResolveDispute",
    "RespondToCredit",
    "SubmitQuote",
    "command_from_dict",
    "describe_commands",
]


@dataclass(frozen=True, slots=True)
class RegisterFirm:
    """Found a firm with capital from the scenario and a set of listed products."""

    firm_id: str
    name: str
    products: tuple[str, ...]
    bot: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerInquiry:
    """Reply to a buyer's inquiry (counts for the 30-day response rate if within 24 h)."""

    firm_id: str
    inquiry_id: str


@dataclass(frozen=True, slots=True)
class SubmitQuote:
    """Quote an open RFQ: unit price in USD cents, terms, lane and lead time in days."""

    firm_id: str
    rfq_id: str
    unit_price: int
    incoterm: str
    payment: str
    lane_id: str
    lead_days: int


@dataclass(frozen=True, slots=True)
class EditQuote:
    """Change the unit price of an open quote (the platform allows one edit per quote)."""

    firm_id: str
    quote_id: str
    unit_price: int


@dataclass(frozen=True, slots=True)
class ProposeTerms:
    """Write to the buyer of an RFQ the firm has quoted with a counter-proposal.

    New price (USD cents), Incoterm, payment method and lead time in days, with an
    optional letter; the buyer answers at once: accept (the contract is signed), a
    counter-offer, or decline.
    """

    firm_id: str
    rfq_id: str
    unit_price: int
    incoterm: str
    payment: str
    lead_days: int
    message: str = ""


@dataclass(frozen=True, slots=True)
class PlacePurchaseOrder:
    """Buy the contract's goods from a Henan supplier (payable with 13 % input VAT)."""

    firm_id: str
    contract_id: str
    supplier_id: str


@dataclass(frozen=True, slots=True)
class BookFreight:
    """Book the contract's lane; pays freight, local charges and cargo insurance.

    ``documents`` lists the papers the firm hands the carrier (dangerous goods need
    theirs, see ``sandbox.logistics.handling``); ``cold_chain`` books a reefer or
    cold-chain air service, which frozen goods require.
    """

    firm_id: str
    contract_id: str
    insure: bool = False
    documents: tuple[str, ...] = ()
    cold_chain: bool = False


@dataclass(frozen=True, slots=True)
class FileDeclaration:
    """File the export customs declaration (fields as in ``DECLARATION_FIELDS``)."""

    firm_id: str
    contract_id: str
    declaration: dict[str, Any] = field(hash=False)


@dataclass(frozen=True, slots=True)
class PresentDocuments:
    """Present documents under the contract's letter of credit."""

    firm_id: str
    contract_id: str
    documents: dict[str, Any] = field(hash=False)


@dataclass(frozen=True, slots=True)
class RequestLcAmendment:
    """Ask the buyer to amend the credit (drop its soft clauses, extend dates by 15 days)."""

    firm_id: str
    contract_id: str


@dataclass(frozen=True, slots=True)
class RespondToCredit:
    """Accept the credit as issued, or refuse it (before shipment); see RequestLcAmendment."""

    firm_id: str
    contract_id: str
    decision: str


@dataclass(frozen=True, slots=True)
class ClaimRebate:
    """Claim the export VAT rebate for an exported contract."""

    firm_id: str
    contract_id: str


@dataclass(frozen=True, slots=True)
class ApplyOriginCertificate:
    """Apply for a preferential certificate of origin (``scheme``: ``form_e`` or ``rcep``)."""

    firm_id: str
    contract_id: str
    scheme: str


@dataclass(frozen=True, slots=True)
class BookForward:
    """Sell USD forward: ``amount`` USD cents maturing in ``days`` days."""

    firm_id: str
    amount: int
    days: int


@dataclass(frozen=True, slots=True)
class InsureBuyerCredit:
    """Ask the credit insurer for a limit on a buyer (covers open account and D/A)."""

    firm_id: str
    buyer_id: str


@dataclass(frozen=True, slots=True)
class ResolveDispute:
    """Offer a refund (``refund_rate`` as a decimal string, e.g. ``"0.15"``) in negotiation."""

    firm_id: str
    dispute_id: str
    refund_rate: str


@dataclass(frozen=True, slots=True)
class ImproveListing:
    """Spend on a product listing to raise its quality score by 0.5 (max 5.0)."""

    firm_id: str
    product_id: str


@dataclass(frozen=True, slots=True)
class InjectShock:
    """Inject an event into the market (operators only): ``kind`` and its ``params``.

    Kinds and parameters are listed in ``sandbox.engine.shocks.SHOCK_KINDS``.
    """

    kind: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)


COMMANDS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        RegisterFirm,
        AnswerInquiry,
        SubmitQuote,
        EditQuote,
        ProposeTerms,
        PlacePurchaseOrder,
        BookFreight,
        FileDeclaration,
        PresentDocuments,
        RequestLcAmendment,
        RespondToCredit,
        ClaimRebate,
        ApplyOriginCertificate,
        BookForward,
        InsureBuyerCredit,
        ResolveDispute,
        ImproveListing,
        InjectShock,
    )
}


def describe_commands() -> list[dict[str, Any]]:
    """Describe every command for API documentation and forms.

    Returns:
        ``[{"command", "summary", "fields": [{"name", "type", "required", "default"}]}]``.
    """
    described = []
    for name, cls in COMMANDS.items():
        fields = []
        for item in dataclasses.fields(cls):
            required = (
                item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
            )
            default = None if item.default is dataclasses.MISSING else item.default
            fields.append(
                {
                    "name": item.name,
                    "type": str(item.type),
                    "required": required,
                    "default": default,
                }
            )
        summary = (cls.__doc__ or "").strip().splitlines()[0]
        described.append({"command": name, "summary": summary, "fields": fields})
    return described


def command_from_dict(raw: dict[str, Any]) -> Any:
    """Build a command from ``{"command": "SubmitQuote", ...fields}``.

    Raises:
        CommandRejected: Unknown command or wrong fields.
    """
    name = raw.get("command")
    cls = COMMANDS.get(str(name))
    if cls is None:
        raise CommandRejected(
            "COMMAND_UNKNOWN", f"unknown command {name!r}", rule="engine", field="command"
        )
    names = {f.name for f in dataclasses.fields(cls)}
    values = {key: value for key, value in raw.items() if key != "command"}
    unknown = sorted(set(values) - names)
    if unknown:
        raise CommandRejected(
            "FIELD_UNKNOWN", f"unknown field {unknown[0]}", rule="engine", field=unknown[0]
        )
    for key in ("products", "documents"):
        if isinstance(values.get(key), (list, tuple)):
            values[key] = tuple(values[key])
    try:
        return cls(**values)
    except TypeError as error:
        raise CommandRejected("FIELD_MISSING", str(error), rule="engine") from None
