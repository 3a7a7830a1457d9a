"""Fixtures for the labs persistence tests: small markets, students, a unit-of-work runner.

Markets here use the compact exam world with a handful of buyers so that opening one
and playing a few days stays in the tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from academy.db import db
from academy.labs import markets
from academy.labs.models import MarketFirm, MarketKind, SandboxMarket

SMALL_WORLD = {"scenario": "exam_standard", "seed": 2019, "buyers": 20}


@pytest.fixture
def act(app: Flask) -> Callable[..., Any]:
    """Run ``func(*args)`` in a fresh app context and unit of work, as a request would."""

    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with app.app_context(), db.unit_of_work():
            return func(*args, **kwargs)

    return run


@pytest.fixture
def no_market_cache(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the engine-market cache off: every open rebuilds from the database."""
    monkeypatch.setattr(app.extensions["academy.labs.cache"], "size", 0)


@pytest.fixture
def make_market(act) -> Callable[..., SandboxMarket]:
    """Factory: a running class market in the small world; ``**overrides`` for create_market."""

    def factory(**overrides: Any) -> SandboxMarket:
        values: dict[str, Any] = {"kind": MarketKind.CLASS_MARKET, **SMALL_WORLD}
        values.update(overrides)
        return act(lambda: markets.create_market(**values))

    return factory


@pytest.fixture
def add_student_firm(act, create_user) -> Callable[..., tuple[Any, MarketFirm]]:
    """Factory: a new student and their firm in ``market``; returns (user, firm)."""

    def factory(market: SandboxMarket, **overrides: Any) -> tuple[Any, MarketFirm]:
        user = overrides.pop("user", None) or create_user()
        values = {"display_name": f"{user.display_name} Trading", "user": user, **overrides}

        def add() -> MarketFirm:
            row = db.session.get(SandboxMarket, market.id)
            return markets.add_firm(row, **{**values, "user": db.session.merge(user)})

        return user, act(add)

    return factory


def listed_products(market_id: int, firm_id: str) -> list[str]:
    """The products a firm lists, read from the rebuilt engine market."""
    engine_market = markets.open_market(db.session.get(SandboxMarket, market_id))
    return list(engine_market.state.firms[firm_id]["products"])
