"""Command handlers: validate everything, then emit.

A handler raises :class:`CommandRejected` before its first ``emit`` or not at all, so
a rejected command leaves the market untouched. Randomness a command needs (a
supplier's lead time, a buyer's answer to an amendment) comes from a stream named
after the entity, never from the day's shared streams, so commands do not disturb
the rest of the world.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sandbox.engine import commands as c
from sandbox.engine.handlers.finance import (
    book_forward,
    insure_buyer_credit,
    present_documents,
    request_lc_amendment,
    respond_to_credit,
)
from sandbox.engine.handlers.negotiation import propose_terms
from sandbox.engine.handlers.platform import (
    answer_inquiry,
    dispute_refund_lines,
    edit_quote,
    improve_listing,
    quote_quota,
    register_firm,
    resolve_dispute,
    submit_quote,
)
from sandbox.engine.handlers.tax import apply_origin_certificate
from sandbox.engine.handlers.trade import (
    book_freight,
    claim_rebate,
    file_declaration,
    freight_costs,
    place_purchase_order,
)
from sandbox.engine.shocks import inject_shock

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["COMMAND_HANDLERS", "dispute_refund_lines", "freight_costs", "quote_quota"]

#: Each command class and its handler, called with the market and a command of that class.
COMMAND_HANDLERS: dict[type, Callable[[Market, Any], None]] = {
    c.RegisterFirm: register_firm,
    c.AnswerInquiry: answer_inquiry,
    c.SubmitQuote: submit_quote,
    c.EditQuote: edit_quote,
    c.ProposeTerms: propose_terms,
    c.PlacePurchaseOrder: place_purchase_order,
    c.BookFreight: book_freight,
    c.FileDeclaration: file_declaration,
    c.PresentDocuments: present_documents,
    c.RequestLcAmendment: request_lc_amendment,
    c.RespondToCredit: respond_to_credit,
    c.ClaimRebate: claim_rebate,
    c.ApplyOriginCertificate: apply_origin_certificate,
    c.BookForward: book_forward,
    c.InsureBuyerCredit: insure_buyer_credit,
    c.ResolveDispute: resolve_dispute,
    c.ImproveListing: improve_listing,
    c.InjectShock: inject_shock,
}
