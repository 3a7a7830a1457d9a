"""Tax and tariff data of a world: input VAT by product, import duty and VAT by market.

Read from the scenario's ``[tax]`` table. Every key has a default, so worlds written
before the table existed (and event logs that stored them) still load:

* ``agricultural_vat_rate`` and ``agricultural_hs_chapters``: the 9 % VAT on agricultural
  products applies to products whose HS chapter is listed; every other product carries
  the ``[money]`` ``vat_rate`` (13 %). ``input_vat`` names exceptions by product id
  (processed foods such as starch or frozen dumplings are 13 % although their chapter
  is agricultural).
* ``import_vat``: the destination market's import VAT (or GST) rate, paid by whoever
  clears the goods for import (the seller only under DDP).
* ``duties``: import duty per market and HS heading (first four digits), the MFN rate
  and the preferential rates under certificate-of-origin schemes; headings not listed
  fall back to the market's flat ``import_duty``.
* ``origin_schemes``: certificates of origin a firm may apply for (Form E under the
  China-ASEAN agreement, RCEP), the markets that accept them, the fee and the days the
  issuing body takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.money import dec

__all__ = ["Duty", "OriginScheme", "TaxRules", "build_tax"]

#: HS chapters of agricultural products (live animals, meat, fish, dairy, honey,
#: vegetables, fruit, coffee and tea, cereals, milling products, oil seeds, lac).
DEFAULT_AGRICULTURAL_CHAPTERS = tuple(f"{chapter:02d}" for chapter in range(1, 15))


@dataclass(frozen=True, slots=True)
class Duty:
    """Import duty on one HS heading in one market.

    Attributes:
        mfn: The most-favoured-nation (general) rate.
        preferential: Rate by origin scheme code (``"form_e"``, ``"rcep"``).
        source: Where the figure comes from.
    """

    mfn: Decimal
    preferential: dict[str, Decimal]
    source: str = ""


@dataclass(frozen=True, slots=True)
class OriginScheme:
    """A certificate of origin the firm can apply for.

    Attributes:
        code: Scheme code, e.g. ``"form_e"``.
        name: Its name on the certificate.
        markets: Destination markets that grant preference under it.
        fee_cny: Issuing fee in CNY fen.
        days: Range of days the issuing body takes, ``(low, high)``.
        source: The agreement and rules of origin.
    """

    code: str
    name: str
    markets: tuple[str, ...]
    fee_cny: int
    days: tuple[int, int]
    source: str


@dataclass(frozen=True, slots=True)
class TaxRules:
    """Resolved tax data (see the module docstring for the scenario keys)."""

    agricultural_vat_rate: Decimal = Decimal("0.09")
    agricultural_chapters: tuple[str, ...] = DEFAULT_AGRICULTURAL_CHAPTERS
    input_vat: dict[str, Decimal] = field(default_factory=dict)
    import_vat: dict[str, Decimal] = field(default_factory=dict)
    duties: dict[tuple[str, str], Duty] = field(default_factory=dict)
    origin_schemes: dict[str, OriginScheme] = field(default_factory=dict)


def _rate(value: Any) -> Decimal:
    if isinstance(value, dict):
        value = value["rate"]
    if isinstance(value, float):
        raise ScenarioError(f"tax rate {value!r} must be a string, not a float")
    rate = dec(value)
    if not Decimal(0) <= rate < Decimal(1):
        raise ScenarioError(f"tax rate {value!r} must be at least 0 and below 1")
    return rate


def build_tax(data: dict[str, Any], products: set[str], markets: set[str]) -> TaxRules:
    """Validate a ``[tax]`` table and build the rules.

    Args:
        data: The resolved ``tax`` table (may be empty).
        products: Product ids of the world, to check references.
        markets: Market codes of the world.

    Raises:
        ScenarioError: On an unknown product, market or scheme, or a malformed rate.
    """
    schemes = {}
    for code, item in sorted(data.get("origin_schemes", {}).items()):
        schemes[code] = OriginScheme(
            code,
            str(item["name"]),
            tuple(m for m in item["markets"] if m in markets),
            int(item["fee_cny"]),
            (int(item["days"][0]), int(item["days"][1])),
            str(item.get("source", "")),
        )
    duties = {}
    for item in data.get("duties", []):
        heading = str(item["heading"])
        if len(heading) != 4 or not heading.isdigit():
            raise ScenarioError(f"duty heading {heading!r} must be 4 digits")
        if item["market"] not in markets:
            continue  # the catalogue lists markets a scenario may not select
        preferential = {}
        for scheme, rate in sorted(item.get("preferential", {}).items()):
            if scheme not in schemes:
                raise ScenarioError(f"duty {item['market']} {heading}: unknown scheme {scheme}")
            preferential[scheme] = _rate(rate)
        duties[(item["market"], heading)] = Duty(
            _rate(item["mfn"]), preferential, str(item.get("source", ""))
        )
    input_vat = {
        pid: _rate(rate)
        for pid, rate in sorted(data.get("input_vat", {}).items())
        if pid in products
    }
    return TaxRules(
        agricultural_vat_rate=_rate(data.get("agricultural_vat_rate", "0.09")),
        agricultural_chapters=tuple(
            str(c) for c in data.get("agricultural_hs_chapters", DEFAULT_AGRICULTURAL_CHAPTERS)
        ),
        input_vat=input_vat,
        import_vat={
            m: _rate(r) for m, r in sorted(data.get("import_vat", {}).items()) if m in markets
        },
        duties=duties,
        origin_schemes=schemes,
    )
