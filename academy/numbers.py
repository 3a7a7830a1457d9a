"""The one parser for numbers and money typed by people: Decimal, finite, in range, rounded.

``float("1e30")``, ``Decimal("NaN")`` and ``Decimal("sNaN")`` all parse, and then break
comparisons, storage or the page that shows them. Every number or amount field goes
through :func:`parse_decimal` (or :class:`NumberField` in forms): it refuses what is not
a finite number within the field's range, with a message for the field, and rounds
half-up to the field's places; :func:`to_minor_units` turns an amount into integer fen
or cents the same way (never ``int(x * 100)``, which truncates 12.349 to 12.34).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField

#: Minor-unit places of the currencies the platform shows (ISO 4217); 2 otherwise.
CURRENCY_PLACES = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0}
MAX_NUMBER_TEXT = 40
#: No field of the platform needs a number this large; anything past it is a typo or a probe.
MAX_MAGNITUDE = Decimal(10) ** 15


class NumberError(ValueError):
    """The text is not an acceptable number; ``message`` says why, for the field."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def parse_decimal(
    text: Any,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    places: int | None = None,
) -> Decimal:
    """``text`` as a finite Decimal within [minimum, maximum], rounded half-up to ``places``.

    Spaces and thousands separators (``1,234.50``) are allowed.
    """
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        raw = str(text)
    elif isinstance(text, str):
        raw = text.strip().replace(",", "").replace(" ", "")
    else:
        raise NumberError(_l("Enter a number."))
    if not raw or len(raw) > MAX_NUMBER_TEXT:
        raise NumberError(_l("Enter a number."))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise NumberError(_l("Enter a number, such as 12.5.")) from None
    if not value.is_finite():
        raise NumberError(_l("Enter a number, such as 12.5."))
    if abs(value) >= MAX_MAGNITUDE:
        raise NumberError(
            _range_message(minimum, maximum if maximum is not None else MAX_MAGNITUDE)
        )
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise NumberError(_range_message(minimum, maximum))
    return value


def _range_message(minimum: Any, maximum: Any) -> Any:
    if minimum is not None and maximum is not None:
        return _l("Enter a number from %(min)s to %(max)s.", min=minimum, max=maximum)
    if minimum is not None:
        return _l("Enter a number of at least %(min)s.", min=minimum)
    return _l("Enter a number of at most %(max)s.", max=maximum)


def currency_places(currency: str) -> int:
    return CURRENCY_PLACES.get(currency.upper(), 2)


def to_minor_units(amount: Decimal, currency: str = "CNY") -> int:
    """``amount`` in integer minor units of ``currency``, rounded half-up."""
    places = currency_places(currency)
    return int(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).scaleb(places))


class NumberField(DecimalField):
    """A form field parsed by :func:`parse_decimal`: finite, in range, rounded."""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
        round_to: int | None = None,
        below_message: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("places", None)
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.round_to = minimum, maximum, round_to
        #: Said instead of the generic range message when the value is below ``minimum``
        #: ("The price must be positive.").
        self.below_message = below_message

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            value = parse_decimal(valuelist[0], places=self.round_to)
            if self.minimum is not None and value < self.minimum and self.below_message:
                raise NumberError(self.below_message)
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise NumberError(_range_message(self.minimum, self.maximum))
        except NumberError as error:
            self.data = None
            raise ValueError(str(error.message)) from None
        self.data = value


#: The largest whole number a query string or hand-read form value may carry: what a
#: PostgreSQL ``integer`` column holds. Past it a number can only make its query fail.
MAX_WHOLE_NUMBER = 2**31 - 1


def int_arg(values: Any, name: str, default: int | None = None) -> int | None:
    """A whole number from ``request.args``, ``request.form`` or ``request.values``.

    ``default`` when the parameter is missing, not a whole number, or beyond
    :data:`MAX_WHOLE_NUMBER` (``?page=99999999999999999999`` overflowed the database's
    OFFSET, and a huge id its comparison, as a 500).
    """
    value = values.get(name, type=int)
    if value is None or abs(value) > MAX_WHOLE_NUMBER:
        return default
    return value
