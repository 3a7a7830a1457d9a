"""The refusals and rejections a student meets, in the reader's language, by stable code.

The platform (``academy.labs.markets``) and the engine (``sandbox.codes``) refuse with a
stable code and an English message; pages show the translation of the code.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

__all__ = ["MESSAGES", "engine_message"]

#: English or Chinese text of the refusals and rejections a student meets most, by code.
#: Codes not listed fall back to the engine's English message.
MESSAGES: dict[str, Any] = {
    # platform refusals (academy.labs.markets)
    "market_paused": _l("The market is paused; wait for your teacher to resume it."),
    "market_finished": _l("This market has finished."),
    "firm_not_yours": _l("You can only act for your own firm."),
    "idempotency_conflict": _l("This form was already used by someone else."),
    "idempotency_key_invalid": _l("This form has expired; reload the page and try again."),
    "command_refused": _l("This action is not available to firms."),
    # engine rejections (sandbox.codes)
    "FIELD_MISSING": _l("A required field is missing."),
    "INSUFFICIENT_FUNDS": _l("Not enough cash for this."),
    "RFQ_NOT_FOUND": _l("No such RFQ."),
    "NEGOTIATION_NO_QUOTE": _l("Quote the RFQ before negotiating its terms with the buyer."),
    "NEGOTIATION_CLOSED": _l(
        "The buyer has already accepted or declined; the negotiation is over."
    ),
    "NEGOTIATION_UNCHANGED": _l("The proposal repeats your last one; change at least one term."),
    "MESSAGE_TOO_LONG": _l("A letter to the buyer has at most 1000 characters."),
    "RFQ_CLOSED": _l("The RFQ no longer takes quotes (10 quotes received or deadline passed)."),
    "PRODUCT_NOT_LISTED": _l("The firm does not list this product."),
    "QUOTE_DUPLICATE": _l("The firm already quoted this RFQ."),
    "QUOTE_ALREADY_EDITED": _l("Each quote may be edited once."),
    "QUOTE_NOT_FOUND": _l("No such quote by this firm."),
    "QUOTE_QUOTA_EXHAUSTED": _l("The monthly quote quota is used up."),
    "PRICE_INVALID": _l("The unit price must be a positive amount in US cents."),
    "LEAD_TIME_INVALID": _l("The lead time must be 1 to 120 days."),
    "INCOTERM_UNKNOWN": _l("Unknown Incoterms rule."),
    "INCOTERM_MODE_MISMATCH": _l("FAS, FOB, CFR and CIF are for sea transport only."),
    "PAYMENT_UNKNOWN": _l("Unknown payment method."),
    "LANE_WRONG_MARKET": _l("The lane does not serve the buyer's market."),
    "LANE_WEIGHT_LIMIT": _l("The shipment is too heavy for this service."),
    "CONTRACT_NOT_FOUND": _l("No such contract for this firm."),
    "CONTRACT_CLOSED": _l("The contract is closed."),
    "PO_EXISTS": _l("Goods were already ordered for this contract."),
    "SUPPLIER_PRODUCT": _l("The supplier does not make this product."),
    "SUPPLIER_CAPACITY": _l("The supplier has no capacity for this quantity."),
    "FREIGHT_BOOKED": _l("Freight is already booked."),
    "REBATE_NOT_EXPORTED": _l("No released export declaration and shipment for a rebate."),
    "REBATE_NO_VAT_INVOICE": _l("No supplier VAT invoice for these goods."),
    "REBATE_ALREADY_CLAIMED": _l("The rebate was already claimed."),
    "REBATE_DOMESTIC_SALE": _l(
        "Sold EXW, the goods left without your export declaration: a domestic sale, no rebate."
    ),
    "ORIGIN_SCHEME_UNKNOWN": _l("No such certificate-of-origin scheme in this market."),
    "ORIGIN_SCHEME_MARKET": _l("The buyer's country grants no preference under this scheme."),
    "ORIGIN_NOT_EXPORTER": _l("Under EXW the buyer exports and applies for the certificate."),
    "ORIGIN_CERTIFICATE_EXISTS": _l("A certificate of origin was already applied for."),
    "ORIGIN_TOO_LATE": _l(
        "The goods have arrived: the certificate had to be ready for import clearance."
    ),
    "FREIGHT_NOT_BOOKED": _l("Book freight before declaring: the declaration needs the transport."),
    "DECLARATION_NOT_REQUIRED": _l("Under EXW the buyer clears the goods for export."),
    "DECLARATION_EXISTS": _l("A declaration was already filed."),
    "NOT_LC": _l("This contract is not paid by letter of credit."),
    "NOT_SHIPPED": _l("Documents need a bill of lading: ship first."),
    "LC_NOT_PRESENTABLE": _l("The credit does not accept a presentation now."),
    "LC_TOO_MANY_PRESENTATIONS": _l("Three presentations were already made."),
    "LC_EXPIRED": _l("The credit expired; the buyer now pays outside it."),
    "LC_AMENDMENT_USED": _l("An amendment was already requested."),
    "LC_NOT_AMENDABLE": _l("The credit can no longer be amended."),
    "DOCUMENTS_MALFORMED": _l("A document field is missing or has the wrong type."),
    "LC_DECISION_UNKNOWN": _l("Decide to accept or refuse the credit."),
    "LC_ALREADY_ANSWERED": _l("The credit was already accepted, refused or used."),
    "LC_REFUSE_AFTER_SHIPMENT": _l(
        "The goods have left: present documents or ask for an amendment instead of refusing."
    ),
    # declaration boxes refused
    "NOT_POSITIVE": _l("The value must be positive."),
    "HS_CODE_FORMAT": _l("The HS code must have 10 digits."),
    "SUPERVISION_MODE_NOT_B2B": _l(
        "This supervision mode is not for B2B exports (use 0110, 9710 or 9810)."
    ),
    "SUPERVISION_MODE_UNKNOWN": _l("Unknown supervision mode."),
    "TRANSACTION_MODE_UNKNOWN": _l("Unknown transaction mode (use CIF, CFR, FOB, C&I or EXW)."),
    "TRANSPORT_MODE_UNKNOWN": _l("Unknown transport mode."),
    "COUNTRY_FORMAT": _l("Use a two-letter country code."),
    "CURRENCY_FORMAT": _l("Use a three-letter currency code."),
    "GROSS_BELOW_NET": _l("Gross weight is below net weight."),
    "NET_ABOVE_GROSS": _l("The net weight is above the gross weight: correct the net weight."),
    "FREIGHT_MISSING": _l("Under CFR and CIF the freight box is filled."),
    "FREIGHT_NOT_ALLOWED": _l("Under FOB, EXW and C&I the freight box stays empty."),
    "FREIGHT_FORMAT": _l("Write the freight box as currency/value/mark, e.g. USD/2800/3."),
    "FREIGHT_MARK": _l("The freight mark is 1 (rate), 2 (amount per tonne) or 3 (total)."),
    "INSURANCE_MISSING": _l("Under CIF and C&I the insurance box is filled."),
    "INSURANCE_NOT_ALLOWED": _l("Under FOB, EXW and CFR the insurance box stays empty."),
    "INSURANCE_FORMAT": _l("Write the insurance box as currency/value/mark, e.g. USD/120/3."),
    "INSURANCE_MARK": _l("The insurance mark is 1 (rate) or 3 (total)."),
    # special cargo (dangerous goods, cold chain)
    "DG_MODE_REFUSED": _l(
        "This service does not carry lithium battery packs (UN3480): no post or express."
    ),
    "COLD_CHAIN_UNAVAILABLE": _l("This service has no cold chain for frozen goods."),
    "DG_DOCUMENTS_MISSING": _l(
        "Dangerous goods: the carrier refuses the booking without every paper listed."
    ),
    "COLD_CHAIN_REQUIRED": _l("Frozen goods need a reefer container or cold-chain air."),
    "COLD_CHAIN_NOT_NEEDED": _l("These goods travel dry; there is no cold chain to book."),
    # L/C discrepancies (UCP 600)
    "CREDIT_EXPIRED": _l("Presented after the credit expired (art. 6)."),
    "LATE_PRESENTATION": _l("Presented more than 21 days after shipment (art. 14(c))."),
    "LATE_SHIPMENT": _l("Shipped after the latest shipment date."),
    "AMOUNT_OVER_CREDIT": _l("The invoice exceeds the credit amount (art. 18(b))."),
    "DESCRIPTION_MISMATCH": _l(
        "The goods description does not correspond with the credit (art. 18(c))."
    ),
    "INCONSISTENT_DOCUMENTS": _l("Data in the documents conflict (art. 14(d))."),
    "MISSING_DOCUMENT": _l("A required document is missing."),
    "INSURANCE_INSUFFICIENT": _l(
        "Insurance covers less than 110 per cent of the CIF value (art. 28(f))."
    ),
    "SOFT_CLAUSE_UNMET": _l("The inspection certificate signed by the applicant is missing."),
    "AMOUNT_BELOW_TOLERANCE": _l(
        "The invoice is below what the credit allows when partial shipments are prohibited "
        "(art. 30(c))."
    ),
    "QUANTITY_OUTSIDE_TOLERANCE": _l("The quantity is outside the credit's tolerance (art. 30)."),
    "UNIT_PRICE_MISMATCH": _l("The unit price differs from the credit's (art. 30(a))."),
    "DESCRIPTION_CONFLICT": _l(
        "A document other than the invoice describes the goods in terms that conflict with "
        "the credit (art. 14(e))."
    ),
    "TRANSPORT_DOCUMENT_WRONG_TYPE": _l(
        "The transport document is not the kind the credit calls for (arts. 19-25)."
    ),
    "SOFT_VESSEL_NOT_APPROVED": _l("The applicant did not approve the vessel or the shipment."),
    "CREDIT_NOT_OPERATIVE": _l(
        "The credit never became operative: the applicant did not send the notice."
    ),
    "ORIGINALS_NOT_FULL_SET": _l(
        "The full set of originals was not presented: one went directly to the applicant."
    ),
    "INQUIRY_NOT_FOUND": _l("No such inquiry for this firm."),
    "BUYER_NOT_FOUND": _l("No such buyer."),
    "CREDIT_LIMIT_EXISTS": _l("A credit limit on this buyer already exists."),
    "CREDIT_INSURANCE_REFUSED": _l("The insurer does not cover buyers rated this low."),
    "INQUIRY_ANSWERED": _l("The inquiry was already answered."),
    # forwards and disputes
    "AMOUNT_INVALID": _l("The amount must be positive."),
    "TENOR_INVALID": _l("The tenor must be 7 to 180 days."),
    "FORWARD_EXCEEDS_EXPOSURE": _l(
        "The bank sells forwards only against real trade: this is more than your open "
        "receivables not yet covered."
    ),
    "DISPUTE_NOT_FOUND": _l("No such dispute for this firm."),
    "DISPUTE_NOT_NEGOTIABLE": _l("This dispute is no longer in negotiation."),
    "REFUND_RATE_INVALID": _l("The refund must be between 0 and 100 per cent."),
    "DISPUTE_OFFER_REFUSED": _l(
        "The buyer refuses an offer this low: offer at least 60 per cent of the claim."
    ),
}


def engine_message(error: dict[str, Any] | Any) -> str:
    """The message of a rejection or refusal in the reader's language, by its code."""
    if isinstance(error, dict):
        code, message = error.get("code"), error.get("message", "")
    else:
        code, message = getattr(error, "code", None), getattr(error, "message", str(error))
    translated = MESSAGES.get(code) if code else None
    # Catalogue entries are written as templates write them ("60%%"), so format them.
    return str(translated) % {} if translated is not None else str(message)
