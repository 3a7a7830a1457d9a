"""Carriers and lanes: a registry of transport modes with pure cost and time methods."""

from sandbox.logistics.modes import MODES, TransportMode, shipment_metrics

__all__ = ["MODES", "TransportMode", "shipment_metrics"]
