"""Transport modes as a registry of small classes.

Each mode turns a shipment (weight, volume) into billing units, draws a freight rate
from the lane's seeded range and a transit time with possible delay. Costs are USD
cents; the engine converts to CNY at the day's rate when the firm pays.
"""

from __future__ import annotations

import random
from typing import ClassVar

from sandbox.scenario.model import Lane

__all__ = ["MODES", "TransportMode", "shipment_metrics"]

CONTAINER40_CBM_CM3 = 67_000_000  # usable volume of a 40' container
CONTAINER40_PAYLOAD_G = 26_500_000


def shipment_metrics(quantity: int, gross_weight_g: int, volume_cm3: int) -> tuple[int, int]:
    """Return total gross weight (g) and volume (cm3) of ``quantity`` units."""
    return quantity * gross_weight_g, quantity * volume_cm3


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class TransportMode:
    """Base class of a transport mode.

    Attributes:
        code: Lane mode key.
        sea: True for vessel modes (FAS/FOB/CFR/CIF allowed).
        max_weight_g: Largest shipment accepted, or 0 for no limit.
    """

    code: ClassVar[str] = ""
    sea: ClassVar[bool] = False
    max_weight_g: ClassVar[int] = 0

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        """Return the number of units the lane's cost applies to."""
        raise NotImplementedError

    def freight(self, lane: Lane, weight_g: int, volume_cm3: int, rng: random.Random) -> int:
        """Draw the freight for the shipment from the lane's range, USD cents."""
        rate = rng.randint(lane.cost[0], lane.cost[1])
        return rate * self.billing_units(weight_g, volume_cm3)

    def transit(self, lane: Lane, rng: random.Random) -> tuple[int, int]:
        """Draw ``(transit_days, delay_days)``; both draws are made every time."""
        days = rng.randint(lane.days[0], lane.days[1])
        delayed = rng.random() < lane.delay_probability
        delay = rng.randint(lane.delay_days[0], lane.delay_days[1])
        return days, delay if delayed else 0


class ContainerMode(TransportMode):
    """Full 40' containers (sea FCL, China-Europe rail, overseas warehouse replenishment)."""

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        return max(
            1,
            _ceil_div(volume_cm3, CONTAINER40_CBM_CM3),
            _ceil_div(weight_g, CONTAINER40_PAYLOAD_G),
        )


class SeaFcl(ContainerMode):
    code = "sea_fcl"
    sea = True


class Rail(ContainerMode):
    code = "rail"


class OverseasWarehouse(ContainerMode):
    code = "warehouse"


class SeaLcl(TransportMode):
    """Less than container load, billed per cubic metre (minimum 1)."""

    code = "sea_lcl"
    sea = True

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        # LCL freight is "W/M": per cbm or per tonne, whichever is greater.
        return max(1, _ceil_div(volume_cm3, 1_000_000), _ceil_div(weight_g, 1_000_000))


class Air(TransportMode):
    """Air cargo, chargeable weight = max(actual, volume / 6000 cm3 per kg)."""

    code = "air"

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        return max(1, _ceil_div(weight_g, 1000), _ceil_div(volume_cm3, 6000))


class Express(TransportMode):
    """International express, volumetric weight L x W x H / 5000."""

    code = "express"
    max_weight_g = 500_000

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        return max(1, _ceil_div(weight_g, 1000), _ceil_div(volume_cm3, 5000))


class Postal(TransportMode):
    """Postal small parcels, by actual weight, small shipments only."""

    code = "postal"
    max_weight_g = 100_000

    def billing_units(self, weight_g: int, volume_cm3: int) -> int:
        return max(1, _ceil_div(weight_g, 1000))


MODES: dict[str, TransportMode] = {
    mode.code: mode
    for mode in (SeaFcl(), SeaLcl(), Rail(), Air(), Express(), Postal(), OverseasWarehouse())
}
