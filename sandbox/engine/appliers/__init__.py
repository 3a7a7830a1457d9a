"""Appliers: the only functions that change market state, one per event type.

Each folds one event's data into the state with no randomness and no look-ups outside
the state, so replaying a log rebuilds the same state.
"""

from __future__ import annotations

from sandbox.engine.appliers import money, negotiation, platform, tax, trade
from sandbox.engine.state import MarketState
from sandbox.errors import ReplayError
from sandbox.events import Event

__all__ = ["APPLIERS", "apply_event"]

APPLIERS = {
    "MarketOpened": platform.market_opened,
    "FirmRegistered": platform.firm_registered,
    "BuyerJoined": platform.buyer_joined,
    "FxRatesSet": platform.fx_rates_set,
    "JournalPosted": platform.journal_posted,
    "InquirySent": platform.inquiry_sent,
    "InquiryAnswered": platform.inquiry_answered,
    "RfqPosted": platform.rfq_posted,
    "QuoteSubmitted": platform.quote_submitted,
    "QuoteEdited": platform.quote_edited,
    "NegotiationProposed": negotiation.negotiation_proposed,
    "NegotiationAnswered": negotiation.negotiation_answered,
    "RfqClosed": platform.rfq_closed,
    "RfqLapsed": platform.rfq_lapsed,
    "ContractSigned": trade.contract_signed,
    "LcIssued": money.lc_issued,
    "LcAmended": money.lc_amended,
    "PurchaseOrderPlaced": trade.purchase_order_placed,
    "GoodsReceived": trade.goods_received,
    "SupplierPaid": trade.supplier_paid,
    "FreightBooked": trade.freight_booked,
    "DeclarationFiled": trade.declaration_filed,
    "InspectionOrdered": trade.inspection_ordered,
    "DeclarationReleased": trade.declaration_released,
    "CustomsCreditChanged": trade.customs_credit_changed,
    "ShipmentDeparted": trade.shipment_departed,
    "RevenueRecognised": trade.revenue_recognised,
    "ShipmentLost": trade.shipment_lost,
    "ShipmentArrived": trade.shipment_arrived,
    "DocumentsPresented": money.documents_presented,
    "LcExamined": money.lc_examined,
    "LcResponded": money.lc_responded,
    "LcWaiverDecided": money.lc_waiver_decided,
    "ReceivableScheduled": money.receivable_scheduled,
    "PaymentReceived": money.payment_received,
    "ReceivableDefaulted": money.receivable_defaulted,
    "CollectionRefused": money.collection_refused,
    "CreditLimitGranted": money.credit_limit_granted,
    "CreditClaimPaid": money.credit_claim_paid,
    "DisputeOpened": platform.dispute_opened,
    "DisputeEscalated": platform.dispute_escalated,
    "DisputeResolved": platform.dispute_resolved,
    "EscrowFunded": money.escrow_funded,
    "EscrowReleased": money.escrow_released,
    "RebateClaimed": money.rebate_claimed,
    "RebatePaid": money.rebate_paid,
    "OriginCertificateApplied": tax.origin_certificate_applied,
    "ImportCleared": tax.import_cleared,
    "DomesticSaleTaxed": tax.domestic_sale_taxed,
    "ForwardBooked": money.forward_booked,
    "ForwardSettled": money.forward_settled,
    "ListingImproved": platform.listing_improved,
    "ContractClosed": trade.contract_closed,
    "ShockInjected": platform.shock_injected,
    "DayClosed": platform.day_closed,
}


def apply_event(state: MarketState, event: Event) -> None:
    """Fold one event into the state, checking its sequence number."""
    if event.seq != state.seq + 1:
        raise ReplayError(f"expected event seq {state.seq + 1}, got {event.seq}")
    APPLIERS[event.type](state, event.data)
    state.seq = event.seq
