"""Event stores: where a market's log lives.

The interface is deliberately small so the web app can add a database store:
``append(events)`` (sequence numbers must continue the log), ``read(from_seq)`` and
``last_seq()``. Snapshots are not needed for correctness: replay is fast enough.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sandbox.errors import ReplayError
from sandbox.events import SPEC_VERSIONS, Event, decode_event, encode_event

__all__ = ["EventStore", "InMemoryEventStore", "JsonLinesEventStore"]


class EventStore(Protocol):
    """Append-only storage of one market's events."""

    def append(self, events: Iterable[Event]) -> None:
        """Append events whose sequence numbers continue the log."""
        ...

    def read(self, from_seq: int = 1) -> Iterator[Event]:
        """Yield events with ``seq >= from_seq`` in order."""
        ...

    def last_seq(self) -> int:
        """Return the last stored sequence number (0 when empty)."""
        ...


class InMemoryEventStore:
    """A list-backed store, for tests and headless runs."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def append(self, events: Iterable[Event]) -> None:
        """Append events, refusing a gap or a repeat in sequence numbers."""
        for event in events:
            if event.seq != len(self._events) + 1:
                raise ReplayError(f"expected seq {len(self._events) + 1}, got {event.seq}")
            self._events.append(event)

    def read(self, from_seq: int = 1) -> Iterator[Event]:
        """Yield stored events from ``from_seq``."""
        yield from self._events[max(from_seq, 1) - 1 :]

    def last_seq(self) -> int:
        """Return the number of stored events."""
        return len(self._events)


def _last_line(path: Path) -> str:
    """Return the last non-blank line of a file, reading backwards in blocks."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        end = handle.tell()
        block = b""
        position = end
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            block = handle.read(step) + block
            lines = [line for line in block.split(b"\n") if line.strip()]
            if len(lines) > 1 or (lines and position == 0):
                return lines[-1].decode("utf-8")
    return ""


class JsonLinesEventStore:
    """A file with one JSON event per line (the CLI's ``--events-out``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._last = 0
        if self.path.exists():
            last_line = _last_line(self.path)
            if last_line:
                self._last = decode_event(last_line).seq

    def append(self, events: Iterable[Event]) -> None:
        """Append events to the file, checking sequence continuity first."""
        lines = []
        expected = self._last + 1
        for event in events:
            if event.seq != expected:
                raise ReplayError(f"expected seq {expected}, got {event.seq}")
            lines.append(encode_event(event))
            expected += 1
        if lines:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            self._last = expected - 1

    def read(self, from_seq: int = 1) -> Iterator[Event]:
        """Yield events from the file, skipping blank lines.

        The loop is written for speed (replay must exceed 50,000 events/s): it decodes
        with ``json.loads`` and checks only what replay needs (type known, version not
        newer than this engine).
        """
        loads = json.loads
        versions = SPEC_VERSIONS
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    raw = loads(line)
                    event = Event(raw["seq"], raw["day"], raw["type"], raw["v"], raw["data"])
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise ReplayError(
                        f"{self.path.name} line {number}: malformed event ({error})"
                    ) from None
                if versions.get(event.type, 0) < event.version:
                    raise ReplayError(
                        f"{self.path.name} line {number}: unknown or newer event {event.type}"
                    )
                if event.seq >= from_seq:
                    yield event

    def last_seq(self) -> int:
        """Return the last sequence number in the file."""
        return self._last
