"""The engine-market cache: fast commands that stay equal to a full replay.

What must hold: a market served from the cache hashes like a replay of the whole log;
a rolled-back transaction never leaves the cache ahead of the database; pages get
copies they may not share; the cache is bounded and can be turned off.
"""

from __future__ import annotations

import pytest

from academy.db import db
from academy.labs import cache, markets
from academy.labs.models import SandboxMarket
from academy.labs.store import DatabaseEventStore
from sandbox import replay
from tests.labs.conftest import listed_products


class Boom(Exception):
    """Raised to make a unit of work roll back after its writes."""


@pytest.fixture
def market_cache(app) -> cache.MarketCache:
    return app.extensions["academy.labs.cache"]


def _improve(market_id, user, firm_id, turn=0, key=None):
    row = db.session.get(SandboxMarket, market_id)
    products = listed_products(market_id, firm_id)
    command = {"command": "ImproveListing", "product_id": products[turn % len(products)]}
    return markets.execute_command(row, db.session.merge(user), firm_id, command, key)


def _verify(act, market_id):
    return act(lambda: markets.verify_market(db.session.get(SandboxMarket, market_id)))


def test_commands_and_days_through_the_cache_equal_a_full_replay(
    app, act, make_market, add_student_firm, market_cache, monkeypatch
):
    monkeypatch.setitem(app.config, "LABS_SNAPSHOT_EVERY", 40)
    market = make_market(bots=["cautious", "sloppy"])
    students = [add_student_firm(market) for _ in range(2)]
    hits = market_cache.hits
    for turn in range(6):
        for user, firm in students:
            assert act(_improve, market.id, user, firm.firm_id, turn).ok
        days = 1 + turn % 2
        act(lambda days=days: markets.advance_market(markets.lock_market(market.id), days))
    assert market_cache.hits - hits >= 18  # every write after the first found its market
    report = _verify(act, market.id)
    assert report["ok"], report
    assert report["cache_hash"] == report["replay_hash"] == report["snapshot_hash"]
    assert report["snapshot_seq"] > 0


def test_a_rolled_back_command_leaves_nothing_ahead_in_the_cache(
    app, act, make_market, add_student_firm, market_cache
):
    market = make_market()
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok  # the market is cached now
    before = _verify(act, market.id)

    undone: list[tuple] = []

    def command_then_fail():
        result = _improve(market.id, user, firm.firm_id, 1)
        assert result.ok
        row = db.session.get(SandboxMarket, market.id)
        undone.append(cache.fingerprint(row))
        assert row.last_seq == result.last_seq
        raise Boom

    with pytest.raises(Boom):
        act(command_then_fail)
    # Nothing in the cache claims the state the rolled-back transaction reached.
    assert market_cache.copy_for_reading(market.id, undone[0]) is None
    after = _verify(act, market.id)
    assert after["ok"], after
    assert after["replay_hash"] == before["replay_hash"]  # the command was undone
    # The same sequence numbers written again give the state the log says.
    assert act(_improve, market.id, user, firm.firm_id, 2).ok
    report = _verify(act, market.id)
    assert report["ok"] and report["cache_hash"] == report["replay_hash"]


def test_a_rolled_back_savepoint_drops_what_it_wrote(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok

    def undone_inside_a_committed_transaction():
        with pytest.raises(Boom), db.session.begin_nested():
            assert _improve(market.id, user, firm.firm_id, 1).ok
            raise Boom
        # Later work in the same transaction starts from the database, not the undone state.
        return _improve(market.id, user, firm.firm_id, 2)

    assert act(undone_inside_a_committed_transaction).ok
    report = _verify(act, market.id)
    assert report["ok"], report
    assert report["cache_hash"] in (None, report["replay_hash"])


def test_a_warm_market_opens_without_reading_the_log(
    act, make_market, add_student_firm, monkeypatch
):
    market = make_market(bots=["cautious"])
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok
    reads: list[int] = []
    original = DatabaseEventStore.read

    def spy(self, from_seq=1, to_seq=None):
        reads.append(from_seq)
        return original(self, from_seq, to_seq)

    monkeypatch.setattr(DatabaseEventStore, "read", spy)
    act(lambda: markets.advance_market(markets.lock_market(market.id), 1))
    page = act(lambda: markets.open_market(db.session.get(SandboxMarket, market.id)))
    assert reads == []
    assert page.state.day == 1


def test_a_page_gets_a_copy_it_cannot_share(act, make_market, add_student_firm, market_cache):
    market = make_market()
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok

    def scribble():
        row = db.session.get(SandboxMarket, market.id)
        first = markets.open_market(row)
        first.state.firms.clear()
        first.state.day = 999
        second = markets.open_market(row)
        assert second.world is first.world  # the read-only world is shared, state is not
        with pytest.raises(RuntimeError, match="rebinding"):
            first.store.append([])
        return second.state.day, firm.firm_id in second.state.firms

    assert act(scribble) == (0, True)
    report = _verify(act, market.id)
    assert report["ok"] and report["cache_hash"] == report["replay_hash"]


def test_a_writer_takes_the_market_out_while_it_works(
    act, make_market, add_student_firm, market_cache
):
    market = make_market()
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok
    assert market.id in market_cache

    def inside():
        assert _improve(market.id, user, firm.firm_id, 1).ok
        # Until this transaction commits, nobody else can have the market.
        return market.id in market_cache

    assert act(inside) is False
    assert market.id in market_cache


def test_the_cache_is_bounded_and_forgets_the_least_recently_used(
    act, make_market, market_cache, monkeypatch
):
    monkeypatch.setattr(market_cache, "size", 2)
    first, second, third = (make_market() for _ in range(3))
    assert first.id not in market_cache
    assert second.id in market_cache and third.id in market_cache
    assert len(market_cache) == 2


def test_size_zero_turns_the_cache_off(
    act, make_market, add_student_firm, market_cache, no_market_cache
):
    market = make_market()
    user, firm = add_student_firm(market)
    assert act(_improve, market.id, user, firm.firm_id).ok
    row = act(lambda: db.session.get(SandboxMarket, market.id))
    assert market_cache.copy_for_reading(market.id, cache.fingerprint(row)) is None
    report = _verify(act, market.id)
    assert report["ok"] and report["cache_hash"] is None


def test_an_entry_built_for_another_state_is_not_used(act, make_market, market_cache):
    market = make_market()
    row = act(lambda: db.session.get(SandboxMarket, market.id))
    stamp = cache.fingerprint(row)
    created, last_seq, snapshot_seq = stamp
    # A market row reused after a rollback, or a log that moved on elsewhere.
    assert market_cache.copy_for_reading(market.id, (created, last_seq + 1, snapshot_seq)) is None
    assert market_cache.take(market.id, (None, last_seq, snapshot_seq)) is None
    assert market.id not in market_cache  # a stale entry is dropped when a writer looks
    report = _verify(act, market.id)
    assert report["ok"] and report["cache_hash"] is None


def test_an_older_state_never_replaces_a_newer_one(act, make_market, market_cache):
    market = make_market()
    row = act(lambda: db.session.get(SandboxMarket, market.id))
    stamp = cache.fingerprint(row)
    newer = market_cache.copy_for_reading(market.id, stamp)
    older = replay([])  # an empty market stands for an older state
    market_cache.put(market.id, (stamp[0], 0, 0), older)
    assert market_cache.copy_for_reading(market.id, stamp).state_hash() == newer.state_hash()
