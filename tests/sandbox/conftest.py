"""Fixtures and hypothesis profiles for the sandbox engine tests.

Hypothesis profiles are registered here but not loaded, so other test packages keep
their own defaults; the sandbox property tests apply ``SANDBOX_SETTINGS`` explicitly.
``sandbox`` keeps the whole directory well within a minute on two cores; set
``SANDBOX_HYPOTHESIS_PROFILE=sandbox-thorough`` for a longer search.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from sandbox.bots import register_bot_firms, run_bots
from sandbox.engine.market import Market
from sandbox.scenario import World, load_scenario

settings.register_profile(
    "sandbox",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "sandbox-thorough",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="session")
def exam_world() -> World:
    """The compact exam scenario as shipped."""
    return load_scenario("exam_standard")


@pytest.fixture
def make_market(exam_world: World) -> Callable[..., Market]:
    """Factory: ``make_market(seed=..., buyers=..., firms=..., days=...)`` runs bots for ``days``."""

    def build(
        *, seed: int | None = None, buyers: int = 120, firms: int = 3, days: int = 0
    ) -> Market:
        world = exam_world if seed is None else load_scenario("exam_standard", seed=seed)
        market = Market.open(world, buyers=buyers)
        register_bot_firms(market, firms, ["cautious", "aggressive", "sloppy"])
        for _ in range(days):
            run_bots(market)
            market.step()
        return market

    return build
