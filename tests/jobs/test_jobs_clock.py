"""The sandbox clock on the queue: one tick per due market, retried without playing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from academy.db import db, utcnow
from academy.jobs import queue, runner
from academy.labs import clock, markets
from academy.labs.models import MarketKind, SandboxMarket
from tests.labs.conftest import SMALL_WORLD


@pytest.fixture
def due_market(queue_app, in_app) -> int:
    """A running market scheduled every 10 minutes, due now."""
    market = in_app(lambda: markets.create_market(kind=MarketKind.CLASS_MARKET, **SMALL_WORLD))
    earlier = utcnow() - timedelta(minutes=10, seconds=1)
    in_app(lambda: clock.set_market_schedule(markets.lock_market(market.id), 10, now=earlier))
    return market.id


def sim_day(app, market_id: int) -> int:
    with app.app_context():
        return db.session.get(SandboxMarket, market_id).sim_day


def test_a_failed_tick_is_retried_and_plays_the_day_once(queue_app, due_market, monkeypatch):
    before = sim_day(queue_app, due_market)
    real_advance = markets.advance_market
    calls: list[int] = []

    def flaky_advance(market, days=1):
        calls.append(days)
        if len(calls) == 1:
            raise ConnectionError("database went away mid-tick")
        return real_advance(market, days)

    monkeypatch.setattr(markets, "advance_market", flaky_advance)
    now = utcnow().isoformat()
    runner.tick_market_task.apply(args=[due_market, now])
    assert calls == [1, 1]
    assert sim_day(queue_app, due_market) == before + 1
    # The same tick delivered once more (a retry racing a redelivery) plays nothing.
    assert runner.tick_market_task.apply(args=[due_market, now]).get() == 0
    assert sim_day(queue_app, due_market) == before + 1


def test_several_schedulers_in_one_interval_send_the_ticks_once(queue_app, due_market, monkeypatch):
    # An hour-long interval, so a slow machine cannot let the two passes straddle two.
    monkeypatch.setitem(queue_app.config, "JOBS_CLOCK_SECONDS", 3600)
    assert runner.clock_pass.apply().get() >= 1
    assert runner.clock_pass.apply().get() == 0  # a second scheduler, same interval
    with queue_app.app_context():
        assert queue.queue_depth() >= 1
        client = queue.redis_client()
        sent = [message for message in client.lrange(queue.QUEUE_NAME, 0, -1)]
    assert (
        sum(b"tick_market" in message and str(due_market).encode() in message for message in sent)
        >= 1
    )


def test_expired_attempts_are_closed_by_the_periodic_task(queue_app):
    assert runner.close_expired.apply().get() == 0
