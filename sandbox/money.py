"""Money arithmetic in integer minor units with explicit rounding.

Amounts are ``int`` minor units (fen for CNY, cents for USD). Rates are ``Decimal``
(parsed from strings in scenario files) or integers at a fixed scale. Every product of
an amount and a rate is rounded once, half up, back to an integer.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["FX_SCALE", "apply_rate", "convert", "dec", "to_minor"]

#: FX rates are stored as CNY minor units per 1 minor unit of the currency, times FX_SCALE.
#: Since both currencies have two decimals here, this is simply CNY per unit x 10**8.
FX_SCALE = 10**8


def dec(value: object) -> Decimal:
    """Parse a rate from a scenario value (string or int) into a ``Decimal``.

    Floats are refused: a binary float cannot hold 0.13 exactly.

    Args:
        value: A string such as ``"0.13"`` or an integer.

    Returns:
        The exact decimal value.

    Raises:
        TypeError: If ``value`` is a float or another unsupported type.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"rates must be strings or integers, not {type(value).__name__}")
    if isinstance(value, int | str | Decimal):
        return Decimal(value)
    raise TypeError(f"unsupported rate value {value!r}")


def to_minor(value: Decimal) -> int:
    """Round a decimal amount of minor units half up to an integer."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apply_rate(amount: int, rate: Decimal) -> int:
    """Return ``amount * rate`` rounded half up to whole minor units.

    Args:
        amount: An amount in minor units.
        rate: A decimal rate such as ``Decimal("0.13")``.

    Returns:
        The rounded product in minor units.
    """
    return to_minor(Decimal(amount) * rate)


def convert(amount: int, rate_scaled: int) -> int:
    """Convert minor units of a currency into CNY minor units at a scaled rate.

    Args:
        amount: Minor units of the foreign currency.
        rate_scaled: CNY per unit times ``FX_SCALE``.

    Returns:
        CNY minor units, rounded half up.
    """
    numerator = amount * rate_scaled
    quotient, remainder = divmod(numerator, FX_SCALE)
    return quotient + (1 if remainder * 2 >= FX_SCALE else 0)
