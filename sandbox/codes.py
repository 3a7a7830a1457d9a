"""Catalogue of the stable codes the engine reports, with their English meaning.

Three kinds share one namespace: command rejections (``CommandRejected.code``),
declaration findings (``Finding.code``) and L/C discrepancies (``code`` in an
examination result). The web layer translates by code (English / 简体中文, see
GLOSSARY.md); the English text here is the source string. A test checks that every
code the engine can produce is listed.
"""

from __future__ import annotations

__all__ = ["CODES"]

CODES: dict[str, str] = {
    # --- commands: general
    "COMMAND_UNKNOWN": "Unknown command.",
    "FIELD_UNKNOWN": "The form has a field it should not have.",
    "FIELD_MISSING": "A required field is missing.",
    "FIELD_TYPE": "A field has the wrong type.",
    "FIRM_NOT_FOUND": "No such firm.",
    "FIRM_EXISTS": "A firm with this id already exists.",
    "FIRM_ID_INVALID": "Firm ids are letters and digits only.",
    "FIRM_NAME_MISSING": "A firm needs a name.",
    "PRODUCTS_INVALID": "List one to six different products.",
    "PRODUCT_UNKNOWN": "No such product in this market.",
    "INSUFFICIENT_FUNDS": "Not enough cash for this.",
    # --- platform
    "INQUIRY_NOT_FOUND": "No such inquiry for this firm.",
    "INQUIRY_ANSWERED": "The inquiry was already answered.",
    "RFQ_NOT_FOUND": "No such RFQ.",
    "RFQ_CLOSED": "The RFQ no longer takes quotes (10 quotes received or deadline passed).",
    "PRODUCT_NOT_LISTED": "The firm does not list this product.",
    "QUOTE_DUPLICATE": "The firm already quoted this RFQ.",
    "QUOTE_QUOTA_EXHAUSTED": "The monthly quote quota is used up.",
    "QUOTE_NOT_FOUND": "No such quote by this firm.",
    "QUOTE_ALREADY_EDITED": "Each quote may be edited once.",
    "NEGOTIATION_NO_QUOTE": "Quote the RFQ before negotiating its terms with the buyer.",
    "NEGOTIATION_CLOSED": "The buyer has already accepted or declined; the negotiation is over.",
    "NEGOTIATION_UNCHANGED": "The proposal repeats your last one; change at least one term.",
    "MESSAGE_TOO_LONG": "A letter to the buyer has at most 1000 characters.",
    "PRICE_INVALID": "The unit price must be a positive amount in US cents.",
    "LEAD_TIME_INVALID": "The lead time must be 1 to 120 days.",
    "INCOTERM_UNKNOWN": "Unknown Incoterms rule.",
    "INCOTERM_MODE_MISMATCH": "FAS, FOB, CFR and CIF are for sea transport only.",
    "PAYMENT_UNKNOWN": "Unknown payment method.",
    "LANE_WRONG_MARKET": "The lane does not serve the buyer's market.",
    "LANE_WEIGHT_LIMIT": "The shipment is too heavy for this service.",
    "DG_MODE_REFUSED": "This service does not carry these dangerous goods (UN3480: no post or express).",
    "COLD_CHAIN_UNAVAILABLE": "This service has no cold chain for frozen goods.",
    "LISTING_AT_MAXIMUM": "The listing's quality score is already 5.0.",
    "DISPUTE_NOT_FOUND": "No such dispute for this firm.",
    "DISPUTE_NOT_NEGOTIABLE": "The dispute is no longer in negotiation.",
    "DISPUTE_OFFER_REFUSED": "The buyer refuses an offer this low.",
    "REFUND_RATE_INVALID": "The refund rate must be a decimal between 0 and 1.",
    # --- trade
    "CONTRACT_NOT_FOUND": "No such contract for this firm.",
    "CONTRACT_CLOSED": "The contract is closed.",
    "PO_EXISTS": "Goods were already ordered for this contract.",
    "SUPPLIER_PRODUCT": "The supplier does not make this product.",
    "SUPPLIER_CAPACITY": "The supplier has no capacity for this quantity.",
    "FREIGHT_BOOKED": "Freight is already booked.",
    "DG_DOCUMENTS_MISSING": "Dangerous goods: the carrier refuses the booking without the papers (UN38.3 test summary, DG declaration, packaging certificate, safety data sheet).",
    "COLD_CHAIN_REQUIRED": "Frozen goods need a reefer container or cold-chain air.",
    "COLD_CHAIN_NOT_NEEDED": "These goods travel dry; there is no cold chain to book.",
    "FREIGHT_NOT_BOOKED": "Book freight before declaring: the declaration needs the transport.",
    "DECLARATION_NOT_REQUIRED": "Under EXW the buyer clears the goods for export.",
    "DECLARATION_EXISTS": "A declaration was already filed.",
    "DECLARATION_MALFORMED": "The declaration must be a set of fields.",
    "REBATE_NOT_EXPORTED": "No released export declaration and shipment for a rebate.",
    "REBATE_NO_VAT_INVOICE": "No supplier VAT invoice for these goods.",
    "REBATE_ALREADY_CLAIMED": "The rebate was already claimed.",
    "REBATE_DOMESTIC_SALE": "Sold EXW, the goods left without your export declaration: a domestic sale, no rebate.",
    # --- tax: certificates of origin
    "ORIGIN_SCHEME_UNKNOWN": "No such certificate-of-origin scheme in this market.",
    "ORIGIN_SCHEME_MARKET": "The buyer's country grants no preference under this scheme.",
    "ORIGIN_NOT_EXPORTER": "Under EXW the buyer exports and applies for the certificate.",
    "ORIGIN_CERTIFICATE_EXISTS": "A certificate of origin was already applied for.",
    "ORIGIN_TOO_LATE": "The goods have arrived: the certificate had to be ready for import clearance.",
    # --- finance
    "NOT_LC": "This contract is not paid by letter of credit.",
    "NOT_SHIPPED": "Documents need a bill of lading: ship first.",
    "LC_NOT_PRESENTABLE": "The credit does not accept a presentation now.",
    "LC_TOO_MANY_PRESENTATIONS": "Three presentations were already made.",
    "LC_EXPIRED": "The credit expired; the buyer now pays outside it.",
    "LC_AMENDMENT_USED": "An amendment was already requested.",
    "LC_NOT_AMENDABLE": "The credit can no longer be amended.",
    "LC_DECISION_UNKNOWN": "Decide to accept or refuse the credit.",
    "LC_ALREADY_ANSWERED": "The credit was already accepted, refused or used.",
    "LC_REFUSE_AFTER_SHIPMENT": (
        "The goods have left: present documents or ask for an amendment instead of refusing."
    ),
    "DOCUMENTS_MALFORMED": "A document field is missing or has the wrong type.",
    "AMOUNT_INVALID": "The amount must be positive US cents.",
    "TENOR_INVALID": "A forward runs 7 to 180 days.",
    "FORWARD_EXCEEDS_EXPOSURE": "Forwards need an underlying trade receivable.",
    "BUYER_NOT_FOUND": "No such buyer.",
    "CREDIT_LIMIT_EXISTS": "A credit limit on this buyer already exists.",
    "CREDIT_INSURANCE_REFUSED": "The insurer does not cover buyers rated this low.",
    # --- injected events (operators)
    "SHOCK_KIND_UNKNOWN": "Unknown kind of event.",
    "SHOCK_VALUE_OUT_OF_RANGE": "The number is out of the allowed range.",
    "SHOCK_PORT_UNKNOWN": "No sea lane leaves from this port.",
    "SHOCK_MARKET_UNKNOWN": "No rail lane serves this market.",
    "SHOCK_NO_RAIL": "This world has no rail lanes.",
    "SHOCK_CURRENCY_UNKNOWN": "No such currency in this market.",
    "SHOCK_BUYER_BANKRUPT": "This buyer is already bankrupt.",
    # --- declaration findings: form errors (refused)
    "NOT_POSITIVE": "The value must be positive.",
    "HS_CODE_FORMAT": "The HS code must have 10 digits.",
    "SUPERVISION_MODE_NOT_B2B": "This supervision mode is not for B2B exports (use 0110, 9710 or 9810).",
    "SUPERVISION_MODE_UNKNOWN": "Unknown supervision mode.",
    "TRANSACTION_MODE_UNKNOWN": "Unknown transaction mode (use CIF, CFR, FOB, C&I or EXW).",
    "TRANSPORT_MODE_UNKNOWN": "Unknown transport mode.",
    "COUNTRY_FORMAT": "Use a two-letter country code.",
    "CURRENCY_FORMAT": "Use a three-letter currency code.",
    "NET_ABOVE_GROSS": "The net weight is above the gross weight.",
    "FREIGHT_MISSING": "Under CFR and CIF the freight box is filled.",
    "FREIGHT_NOT_ALLOWED": "Under FOB, EXW and C&I the freight box stays empty.",
    "FREIGHT_FORMAT": "Write the freight box as currency/value/mark, e.g. USD/2800/3.",
    "FREIGHT_MARK": "The freight mark is 1 (rate), 2 (amount per tonne) or 3 (total).",
    "INSURANCE_MISSING": "Under CIF and C&I the insurance box is filled.",
    "INSURANCE_NOT_ALLOWED": "Under FOB, EXW and CFR the insurance box stays empty.",
    "INSURANCE_FORMAT": "Write the insurance box as currency/value/mark, e.g. USD/120/3.",
    "INSURANCE_MARK": "The insurance mark is 1 (rate) or 3 (total).",
    # --- declaration findings: mismatches (accepted, fined if inspection finds them)
    "CONSIGNOR_MISMATCH": "The consignor differs from the exporting firm.",
    "CONSIGNEE_MISMATCH": "The consignee differs from the buyer.",
    "CONTRACT_NO_MISMATCH": "The contract number differs.",
    "TRANSACTION_MODE_MISMATCH": "The transaction mode does not match the contract's Incoterm.",
    "TRANSPORT_MODE_MISMATCH": "The transport mode does not match the booking.",
    "PORT_OF_EXIT_MISMATCH": "The port of exit does not match the booking.",
    "TRADING_COUNTRY_MISMATCH": "The trading country differs from the buyer's.",
    "DESTINATION_MISMATCH": "The destination differs from the contract.",
    "HS_CODE_MISMATCH": "The HS code is not the product's.",
    "QUANTITY_MISMATCH": "The quantity differs from the contract.",
    "UNIT_MISMATCH": "The unit differs from the product's.",
    "CURRENCY_MISMATCH": "The currency differs from the invoice.",
    "SUPERVISION_MODE_MISMATCH": "9810 is for exports to an overseas warehouse, and only for them.",
    "VALUE_MISMATCH": "The declared value differs from the invoice.",
    "WEIGHT_MISMATCH": "The net weight differs from the goods.",
    "GROSS_WEIGHT_MISMATCH": "The gross weight differs from the packing list.",
    "PACKAGES_MISMATCH": "The number of packages differs from the packing list.",
    "FREIGHT_MISMATCH": "The freight box differs from the freight paid.",
    "INSURANCE_MISMATCH": "The insurance box differs from the premium paid.",
    # --- L/C discrepancies (UCP 600)
    "CREDIT_EXPIRED": "Presented after the credit expired (art. 6).",
    "LATE_PRESENTATION": "Presented more than 21 days after shipment (art. 14(c)).",
    "LATE_SHIPMENT": "Shipped after the latest shipment date.",
    "AMOUNT_OVER_CREDIT": "The invoice exceeds the credit amount (art. 18(b)).",
    "DESCRIPTION_MISMATCH": "The goods description does not correspond with the credit (art. 18(c)).",
    "INCONSISTENT_DOCUMENTS": "Data in the documents conflict (art. 14(d)).",
    "MISSING_DOCUMENT": "A required document is missing.",
    "INSURANCE_INSUFFICIENT": "Insurance covers less than 110 % of the CIF value (art. 28(f)).",
    "SOFT_CLAUSE_UNMET": "The inspection certificate signed by the applicant is missing.",
    "AMOUNT_BELOW_TOLERANCE": (
        "The invoice is below what the credit allows when partial shipments are prohibited "
        "(art. 30(c))."
    ),
    "QUANTITY_OUTSIDE_TOLERANCE": "The quantity is outside the credit's tolerance (art. 30).",
    "UNIT_PRICE_MISMATCH": "The unit price differs from the credit's (art. 30(a)).",
    "DESCRIPTION_CONFLICT": (
        "A document other than the invoice describes the goods in terms that conflict with "
        "the credit (art. 14(e))."
    ),
    "TRANSPORT_DOCUMENT_WRONG_TYPE": (
        "The transport document is not the kind the credit calls for (arts. 19-25)."
    ),
    "SOFT_VESSEL_NOT_APPROVED": "The applicant did not approve the vessel or the shipment.",
    "CREDIT_NOT_OPERATIVE": (
        "The credit never became operative: the applicant did not send the notice."
    ),
    "ORIGINALS_NOT_FULL_SET": (
        "The full set of originals was not presented: one went directly to the applicant."
    ),
}
