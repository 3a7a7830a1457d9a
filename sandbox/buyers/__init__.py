"""Synthetic overseas buyers: generation with seeded Faker and their behaviour."""

from sandbox.buyers.behaviour import choose_quote, complaint, landed_unit_cost, payment_day
from sandbox.buyers.generate import generate_buyer

__all__ = ["choose_quote", "complaint", "generate_buyer", "landed_unit_cost", "payment_day"]
