"""Trade terms: the Incoterms 2020 table and the quotation calculator."""

from sandbox.trade.incoterms import FORMALITIES, INCOTERMS, STAGES, Incoterm, loss_bearer, split
from sandbox.trade.quote import QuoteInputs, insurance_premium, price_ladder

__all__ = [
    "FORMALITIES",
    "INCOTERMS",
    "STAGES",
    "Incoterm",
    "QuoteInputs",
    "insurance_premium",
    "loss_bearer",
    "price_ladder",
    "split",
]
