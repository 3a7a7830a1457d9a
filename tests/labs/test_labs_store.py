"""The database event store: round trip, sequence rules, snapshots and the fast open."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from academy.db import db
from academy.labs import markets
from academy.labs.models import MarketEvent, MarketSnapshot, SandboxMarket
from academy.labs.store import DatabaseEventStore
from sandbox.engine.market import Market
from sandbox.errors import ReplayError
from sandbox.events import make_event
from sandbox.scenario import load_scenario
from tests.labs.conftest import SMALL_WORLD


def test_opening_events_round_trip_through_the_database(app, act, make_market):
    market = make_market()
    expected = Market.open(
        load_scenario(SMALL_WORLD["scenario"], seed=SMALL_WORLD["seed"]),
        buyers=SMALL_WORLD["buyers"],
        market_id=market.engine_market_id,
    )

    def read_back():
        row = db.session.get(SandboxMarket, market.id)
        store = DatabaseEventStore(db.session, row)
        return [event.to_dict() for event in store.read()], store.last_seq(), row.last_seq

    stored, last_seq, row_seq = act(read_back)
    # Same events, same JSON, same key order (the engine iterates dicts in that order).
    assert stored == [event.to_dict() for event in expected.store.read()]
    assert json.dumps(stored) == json.dumps([e.to_dict() for e in expected.store.read()])
    assert last_seq == row_seq == len(stored) == expected.state.seq


def test_read_from_a_sequence_number_and_in_pages(app, act, make_market, monkeypatch):
    monkeypatch.setattr("academy.labs.store.READ_CHUNK", 7)
    market = make_market()

    def read():
        store = DatabaseEventStore(db.session, db.session.get(SandboxMarket, market.id))
        return [e.seq for e in store.read()], [e.seq for e in store.read(10, 15)]

    every, window = act(read)
    assert every == list(range(1, market.last_seq + 1))
    assert window == [10, 11, 12, 13, 14, 15]


def test_append_refuses_a_gap_and_the_key_refuses_a_duplicate(app, act, make_market):
    market = make_market()

    def append_with_gap():
        row = db.session.get(SandboxMarket, market.id)
        event = make_event(row.last_seq + 2, 0, "DayClosed", {"day": 0})
        DatabaseEventStore(db.session, row).append([event])

    with pytest.raises(ReplayError, match="expected seq"):
        act(append_with_gap)

    def insert_duplicate():
        db.session.execute(
            sa.insert(MarketEvent),
            [
                {
                    "market_id": market.id,
                    "seq": 1,
                    "day": 0,
                    "type": "DayClosed",
                    "version": 1,
                    "data": {"day": 0},
                    "created_dt": market.created_dt,
                }
            ],
        )

    with pytest.raises(sa.exc.IntegrityError):
        act(insert_duplicate)


def test_events_cannot_be_changed_or_deleted_through_the_orm(app, act, make_market):
    market = make_market()

    def edit():
        event = db.session.get(MarketEvent, (market.id, 1))
        event.day = 5
        db.session.flush()

    def delete():
        db.session.delete(db.session.get(MarketEvent, (market.id, 1)))
        db.session.flush()

    with pytest.raises(RuntimeError, match="append-only"):
        act(edit)
    with pytest.raises(RuntimeError, match="append-only"):
        act(delete)


def test_snapshot_plus_tail_has_the_hash_of_a_full_replay(app, act, make_market, monkeypatch):
    monkeypatch.setitem(app.config, "LABS_SNAPSHOT_EVERY", 25)
    market = make_market(bots=["cautious", "aggressive"])
    act(lambda: markets.advance_market(markets.lock_market(market.id), 8))

    def check():
        row = db.session.get(SandboxMarket, market.id)
        return markets.verify_market(row), row.snapshot_seq, row.last_seq

    report, snapshot_seq, last_seq = act(check)
    assert report["ok"], report
    assert report["snapshot_matches"]
    assert 0 < report["snapshot_seq"] == snapshot_seq <= last_seq
    assert report["replay_hash"] == report["snapshot_hash"]


def test_opening_reads_only_the_tail_after_the_latest_snapshot(
    no_market_cache, app, act, make_market, monkeypatch
):
    monkeypatch.setitem(app.config, "LABS_SNAPSHOT_EVERY", 25)
    market = make_market(bots=["cautious"])
    act(lambda: markets.advance_market(markets.lock_market(market.id), 6))
    reads: list[int] = []
    original = DatabaseEventStore.read

    def spy(self, from_seq=1, to_seq=None):
        reads.append(from_seq)
        return original(self, from_seq, to_seq)

    monkeypatch.setattr(DatabaseEventStore, "read", spy)

    def open_it():
        row = db.session.get(SandboxMarket, market.id)
        engine_market = markets.open_market(row)
        return engine_market.state.seq, row.last_seq, row.snapshot_seq

    seq, last_seq, snapshot_seq = act(open_it)
    assert seq == last_seq
    assert snapshot_seq > 0
    assert reads == [snapshot_seq + 1]


def test_old_snapshots_are_pruned_to_the_kept_number(app, act, make_market, monkeypatch):
    monkeypatch.setitem(app.config, "LABS_SNAPSHOT_EVERY", 10)
    monkeypatch.setitem(app.config, "LABS_SNAPSHOTS_KEPT", 2)
    market = make_market(bots=["cautious"])
    act(lambda: markets.advance_market(markets.lock_market(market.id), 6))

    def snapshot_seqs():
        return list(
            db.session.scalars(
                sa.select(MarketSnapshot.seq)
                .where(MarketSnapshot.market_id == market.id)
                .order_by(MarketSnapshot.seq)
            )
        )

    seqs = act(snapshot_seqs)
    assert len(seqs) == 2
    assert seqs[-1] == act(lambda: db.session.get(SandboxMarket, market.id).snapshot_seq)


def test_verify_reports_a_snapshot_that_does_not_match_the_log(app, act, make_market, monkeypatch):
    monkeypatch.setitem(app.config, "LABS_SNAPSHOT_EVERY", 25)
    market = make_market(bots=["cautious"])
    act(lambda: markets.advance_market(markets.lock_market(market.id), 3))

    def corrupt_and_verify():
        row = db.session.get(SandboxMarket, market.id)
        db.session.execute(
            sa.update(MarketSnapshot)
            .where(MarketSnapshot.market_id == market.id)
            .values(state_hash="0" * 64)
        )
        return markets.verify_market(row)

    report = act(corrupt_and_verify)
    assert not report["ok"] and not report["snapshot_matches"]
