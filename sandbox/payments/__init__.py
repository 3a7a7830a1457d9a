"""Payment methods (a registry of small classes) and L/C examination under UCP 600."""

from sandbox.payments.drafting import draft_presentation
from sandbox.payments.lc import (
    add_banking_days,
    examine,
    examine_presentation,
    prepare_presentation,
)
from sandbox.payments.methods import PAYMENT_METHODS, PaymentMethod
from sandbox.payments.reader import read_credit_terms
from sandbox.payments.soft_clauses import SOFT_CLAUSE_KINDS, find_soft_clauses
from sandbox.payments.ucp import TRANSPORT_DOCUMENTS, BankCalendar, allowed_ranges

__all__ = [
    "PAYMENT_METHODS",
    "SOFT_CLAUSE_KINDS",
    "TRANSPORT_DOCUMENTS",
    "BankCalendar",
    "PaymentMethod",
    "add_banking_days",
    "allowed_ranges",
    "draft_presentation",
    "examine",
    "examine_presentation",
    "find_soft_clauses",
    "prepare_presentation",
    "read_credit_terms",
]
