"""Payment methods (a registry of small classes) and L/C examination under UCP 600."""

from sandbox.payments.lc import add_banking_days, examine_presentation, prepare_presentation
from sandbox.payments.methods import PAYMENT_METHODS, PaymentMethod

__all__ = [
    "PAYMENT_METHODS",
    "PaymentMethod",
    "add_banking_days",
    "examine_presentation",
    "prepare_presentation",
]
