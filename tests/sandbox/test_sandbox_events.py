"""Events and stores: round trips, sequence discipline, versions."""

from __future__ import annotations

import json

import pytest

from sandbox.errors import ReplayError
from sandbox.events import EVENT_TYPES, Event, decode_event, encode_event, make_event
from sandbox.store import InMemoryEventStore, JsonLinesEventStore


def test_every_event_of_a_run_round_trips_through_json(make_market):
    market = make_market(days=30)
    seen = set()
    for event in market.store.read():
        assert decode_event(encode_event(event)) == event
        assert event.version == EVENT_TYPES[event.type].version
        assert set(event.data) == EVENT_TYPES[event.type].fields
        seen.add(event.type)
    assert len(seen) > 25


def test_make_event_checks_fields_against_the_catalogue():
    with pytest.raises(ValueError):
        make_event(1, 0, "DayClosed", {"day": 0, "extra": 1})
    with pytest.raises(KeyError):
        make_event(1, 0, "Nonsense", {})


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '{"seq": 1, "day": 0, "type": "Nonsense", "v": 1, "data": {}}',
        '{"seq": 1, "day": 0, "type": "DayClosed", "v": 99, "data": {"day": 0}}',
        '{"seq": 1, "type": "DayClosed", "v": 1, "data": {"day": 0}}',
    ],
)
def test_bad_event_lines_are_refused(line):
    with pytest.raises(ReplayError):
        decode_event(line)


def day(seq: int) -> Event:
    return make_event(seq, 0, "DayClosed", {"day": seq})


def test_in_memory_store_keeps_sequence():
    store = InMemoryEventStore()
    store.append([day(1), day(2)])
    with pytest.raises(ReplayError):
        store.append([day(4)])
    assert [e.seq for e in store.read(2)] == [2]
    assert store.last_seq() == 2


def test_json_lines_store_appends_and_reopens(tmp_path):
    path = tmp_path / "log.jsonl"
    store = JsonLinesEventStore(path)
    store.append([day(1), day(2)])
    store.append([day(3)])
    with pytest.raises(ReplayError):
        store.append([day(3)])
    reopened = JsonLinesEventStore(path)
    assert reopened.last_seq() == 3
    assert [e.seq for e in reopened.read()] == [1, 2, 3]
    assert [json.loads(line)["seq"] for line in path.read_text().splitlines()] == [1, 2, 3]


def test_replay_refuses_a_gap(make_market):
    from sandbox.engine.market import replay

    events = list(make_market(days=2).store.read())
    with pytest.raises(ReplayError):
        replay(events[:5] + events[6:])


def test_snapshot_then_later_events_equals_full_replay(make_market):
    import json

    from sandbox.bots import run_bots
    from sandbox.engine.market import replay

    market = make_market(days=15)
    snapshot = json.loads(json.dumps(market.snapshot()))
    cut = market.state.seq
    for _ in range(15):
        run_bots(market)
        market.step()
    events = list(market.store.read())
    resumed = replay(events[cut:], snapshot=snapshot)
    assert resumed.state_hash() == market.state_hash()
    assert replay(events, snapshot=snapshot).state_hash() == market.state_hash()


def test_a_restored_market_plays_on_identically(make_market):
    from sandbox.bots import run_bots
    from sandbox.engine.market import replay
    from sandbox.store import InMemoryEventStore

    market = make_market(days=10)
    store = InMemoryEventStore()
    store.append(list(market.store.read()))
    twin = replay(store.read(), store=store, snapshot=market.snapshot())
    for _ in range(10):
        run_bots(market)
        market.step()
        run_bots(twin)
        twin.step()
    assert twin.state_hash() == market.state_hash()


def test_snapshot_version_is_checked():
    from sandbox.engine.snapshot import restore_snapshot

    with pytest.raises(ReplayError):
        restore_snapshot({"version": 99})
