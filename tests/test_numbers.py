"""The one number parser (issue 10): Decimal, finite, in range, half-up to the minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from academy.numbers import NumberError, parse_decimal, to_minor_units


@pytest.mark.parametrize(
    "text", ["Infinity", "-inf", "NaN", "sNaN", "1e30", "abc", "", "1" * 41, None, "12.5.1"]
)
def test_non_finite_huge_and_malformed_numbers_are_refused(text):
    with pytest.raises(NumberError):
        parse_decimal(text, minimum=0, maximum=10**12)


def test_rounding_is_half_up_to_the_places_and_separators_are_allowed():
    assert parse_decimal("12.345", places=2) == Decimal("12.35")
    assert parse_decimal(" 1,234.5 ", places=2) == Decimal("1234.50")
    assert to_minor_units(Decimal("12.349")) == 1235  # not 1234, as int(x * 100) gave
    assert to_minor_units(Decimal("12.345")) == 1235
    assert to_minor_units(Decimal("1500.4"), "JPY") == 1500


def test_range_is_checked_after_rounding():
    assert parse_decimal("100.004", maximum=100, places=2) == Decimal("100.00")
    with pytest.raises(NumberError, match="from 0 to 100"):
        parse_decimal("100.01", minimum=0, maximum=100)
