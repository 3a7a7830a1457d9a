"""Currency pegs and money-market rates of a world (the scenario's ``[fx]`` table).

* ``[fx.pegs]``: a hard-pegged currency follows its anchor at a fixed rate, e.g.
  ``AED = { to = "USD", rate = "3.6725", source = "..." }`` (units per anchor unit).
* ``[fx.interest]``: annual money-market rates by currency (``CNY = "0.015"``); with
  both CNY and USD given, forwards are priced by covered interest parity and the
  forward points follow the rate differential. Without them the ``[money]``
  ``forward_points_ppm_per_day`` figure is used, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.money import dec

__all__ = ["FxRules", "Peg", "build_fx_rules"]


@dataclass(frozen=True, slots=True)
class Peg:
    """A hard peg: ``rate`` units of the currency per unit of ``anchor``."""

    anchor: str
    rate: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class FxRules:
    """Pegs by currency and annual interest rates by currency."""

    pegs: dict[str, Peg] = field(default_factory=dict)
    interest: dict[str, Decimal] = field(default_factory=dict)


def build_fx_rules(data: dict[str, Any], currencies: set[str]) -> FxRules:
    """Validate an ``[fx]`` table and build the rules.

    Pegs of currencies the scenario does not use are dropped; an anchor must be a
    currency of the world and not itself pegged.

    Raises:
        ScenarioError: On a missing anchor, a pegged anchor or a malformed rate.
    """
    pegs = {}
    for code, item in sorted(data.get("pegs", {}).items()):
        if code not in currencies:
            continue
        anchor = str(item["to"])
        if anchor not in currencies or anchor in data.get("pegs", {}):
            raise ScenarioError(f"peg {code}: anchor {anchor} must be an unpegged world currency")
        if isinstance(item["rate"], float):
            raise ScenarioError(f"peg {code}: rate must be a string")
        rate = dec(item["rate"])
        if rate <= 0:
            raise ScenarioError(f"peg {code}: rate must be positive")
        pegs[code] = Peg(anchor, rate, str(item.get("source", "")))
    interest = {}
    for code, value in sorted(data.get("interest", {}).items()):
        if isinstance(value, float):
            raise ScenarioError(f"interest rate {code}: must be a string")
        interest[code] = dec(value)
    return FxRules(pegs, interest)
