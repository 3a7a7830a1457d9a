"""Scenarios: data files that define a sandbox world (see ``sandbox/README.md``)."""

from sandbox.scenario.loader import list_scenarios, load_scenario, scenario_dir
from sandbox.scenario.model import (
    Carrier,
    Currency,
    Lane,
    Market,
    Product,
    RebateRate,
    Supplier,
    World,
)

__all__ = [
    "Carrier",
    "Currency",
    "Lane",
    "Market",
    "Product",
    "RebateRate",
    "Supplier",
    "World",
    "list_scenarios",
    "load_scenario",
    "scenario_dir",
]
