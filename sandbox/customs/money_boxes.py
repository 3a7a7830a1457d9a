"""The freight (运费) and insurance (保费) boxes of the export declaration.

GACC Announcement 2019 No. 18 (the declaration filling norms) has the declarant state
the international freight and the insurance premium in one of several ways, each with a
mark: freight as a rate (mark 1), an amount per tonne of goods (mark 2) or a total
(mark 3); insurance as a rate (mark 1) or a total (mark 3) only. Which boxes are filled
follows the transaction mode: an FOB (or EXW) export states neither, CFR states the
freight, CIF states both and C&I the insurance alone.

A box is written as the course teaches it, ``currency/value/mark`` (``USD/2800/3``);
a rate is a percentage and may leave the currency out (``0.3/1``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.money import FX_SCALE

__all__ = [
    "MONEY_BOXES",
    "box_total",
    "expected_money_boxes",
    "money_box_errors",
    "money_box_mismatches",
    "parse_money_box",
]

#: The optional money boxes and the marks each accepts.
MONEY_BOXES: dict[str, tuple[int, ...]] = {"freight": (1, 2, 3), "insurance": (1, 3)}
#: Which boxes each transaction mode fills.
FILLED_BY_MODE: dict[str, tuple[str, ...]] = {
    "CIF": ("freight", "insurance"),
    "CFR": ("freight",),
    "C&I": ("insurance",),
    "FOB": (),
    "EXW": (),
}


def parse_money_box(text: str) -> tuple[str, Decimal, int] | None:
    """Split a box into ``(currency, value, mark)``; ``None`` when it is not well formed.

    Args:
        text: What the declarant typed, e.g. ``"USD/2800/3"`` or ``"0.3/1"``.

    Returns:
        The currency ('' for a bare rate), the positive value and the mark.
    """
    parts = [part.strip() for part in text.split("/")]
    if len(parts) == 2:
        parts.insert(0, "")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    currency, raw, mark = parts[0], parts[1], int(parts[2])
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0:
        return None
    if currency and (len(currency) != 3 or not currency.isalpha() or not currency.isupper()):
        return None
    if not currency and mark != 1:
        return None
    return currency, value, mark


def money_box_errors(declaration: dict[str, Any], mode: str) -> list[tuple[str, str, str]]:
    """Return ``(box, kind, message)`` for money boxes the single window refuses.

    ``kind`` is ``missing``, ``not_allowed``, ``format`` or ``mark``.

    Args:
        declaration: The filed boxes (the money boxes may be absent or empty).
        mode: The declaration's transaction mode, already known to be valid.
    """
    found = []
    filled = FILLED_BY_MODE.get(mode, ())
    for box, marks in MONEY_BOXES.items():
        text = declaration.get(box)
        if text is None or (isinstance(text, str) and not text.strip()):
            if box in filled:
                found.append((box, "missing", f"{box} is required under {mode}"))
            continue
        if box not in filled:
            found.append((box, "not_allowed", f"{box} stays empty under {mode}"))
            continue
        parsed = parse_money_box(text) if isinstance(text, str) else None
        if parsed is None:
            found.append((box, "format", f"{box} must read currency/value/mark"))
        elif parsed[2] not in marks:
            allowed = ", ".join(str(mark) for mark in marks)
            found.append((box, "mark", f"{box} takes mark {allowed}"))
        elif parsed[2] == 1 and parsed[1] > 100:
            found.append((box, "format", f"{box} rate is a percentage up to 100"))
    return found


def box_total(
    parsed: tuple[str, Decimal, int],
    *,
    goods_value: int,
    gross_weight_kg: int,
    usd_rate: int,
) -> int:
    """Return the box's total in USD cents.

    Args:
        parsed: A parsed box.
        goods_value: The declared value (USD cents) a rate applies to.
        gross_weight_kg: The gross weight a per-tonne amount applies to.
        usd_rate: CNY per USD x ``FX_SCALE``, for a box stated in CNY.
    """
    currency, value, mark = parsed
    if mark == 1:
        return int((Decimal(goods_value) * value / 100).to_integral_value())
    cents = value * 100
    if mark == 2:
        cents = cents * gross_weight_kg / 1000
    if currency == "CNY":
        cents = cents * FX_SCALE / usd_rate
    return int(cents.to_integral_value())


def expected_money_boxes(mode: str, freight_usd: int, insurance_usd: int) -> dict[str, str]:
    """Return the money boxes a careful declarant files: totals in USD with mark 3.

    Args:
        mode: The transaction mode.
        freight_usd: Main carriage the seller paid, USD cents.
        insurance_usd: Premium the seller paid, USD cents.
    """
    amounts = {"freight": freight_usd, "insurance": insurance_usd}
    return {
        box: f"USD/{Decimal(amounts[box]) / 100:.2f}/3" if box in FILLED_BY_MODE[mode] else ""
        for box in MONEY_BOXES
    }


def money_box_mismatches(
    declaration: dict[str, Any],
    expected: dict[str, Any],
    *,
    tolerance: Decimal,
    usd_rate: int,
) -> list[tuple[str, str]]:
    """Return ``(box, message)`` for money boxes that disagree with the booking.

    Only boxes the expected declaration fills are compared, and only when the
    expected figure is known (an old booking without it is not second-guessed).
    """
    found = []
    for box in MONEY_BOXES:
        want_text = expected.get(box) or ""
        text = declaration.get(box) or ""
        want = parse_money_box(want_text) if want_text else None
        got = parse_money_box(text) if isinstance(text, str) and text else None
        if want is None or got is None:
            continue
        totals = [
            box_total(
                parsed,
                goods_value=declaration["declared_value"],
                gross_weight_kg=expected["gross_weight_kg"],
                usd_rate=usd_rate,
            )
            for parsed in (want, got)
        ]
        if abs(Decimal(totals[1] - totals[0])) > tolerance * totals[0]:
            found.append((box, f"{box} differs from what was paid"))
    return found
