"""The market: one running world, changed only by commands and ``step()``.

``Market.open`` records the scenario, FX and the synthetic buyers as events;
``execute(command)`` validates a firm's action and emits its events (or raises
``CommandRejected`` having emitted nothing); ``step()`` plays one sim-day. Every event
is applied to the state as it is emitted and appended to the event store.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

from faker import Faker

from sandbox.buyers import generate_buyer
from sandbox.engine.appliers import apply_event
from sandbox.engine.kpis import firm_kpis
from sandbox.engine.parties import (
    BANK,
    CUSTOMS,
    FOREIGN_CUSTOMS,
    INSURER,
    PLATFORM,
    TAX,
    buyer_party,
    carrier_party,
    supplier_party,
)
from sandbox.engine.snapshot import restore_snapshot, take_snapshot
from sandbox.engine.state import MarketState
from sandbox.errors import CommandRejected
from sandbox.events import Event, make_event
from sandbox.fx import apply_pegs
from sandbox.ledger import trial_balance
from sandbox.ledger.books import check_entry
from sandbox.scenario.model import World
from sandbox.store import EventStore, InMemoryEventStore

__all__ = ["Market", "replay"]


class Market:
    """A sandbox market.

    Attributes:
        state: The folded state (read it, never write it).
        store: Where events go.
    """

    def __init__(self, store: EventStore | None = None) -> None:
        self.state = MarketState()
        self.store: EventStore = store if store is not None else InMemoryEventStore()
        self._batch: list[Event] = []

    @property
    def world(self) -> World:
        """The scenario world (available once the market is open)."""
        assert self.state.world is not None, "market not opened"
        return self.state.world

    # --- construction -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        world: World,
        *,
        buyers: int | None = None,
        market_id: str = "market",
        store: EventStore | None = None,
    ) -> Market:
        """Open a market from a world: scenario, opening balances, FX and buyers.

        Args:
            world: The loaded scenario (its seed drives everything).
            buyers: Number of synthetic buyers (scenario population by default).
            market_id: Stable identifier recorded in the first event.
            store: Event store (in-memory by default).

        Returns:
            The open market on day 0.
        """
        market = cls(store)
        count = int(buyers if buyers is not None else world.population.get("buyers", 200))
        market.emit(
            "MarketOpened", {"market_id": market_id, "seed": world.seed, "world": world.raw}
        )
        world = market.world
        market.emit(
            "FxRatesSet",
            {
                "rates": apply_pegs(
                    {code: c.rate for code, c in sorted(world.currencies.items())},
                    world.fx_rules.pegs,
                )
            },
        )
        float_cny = int(world.money["party_float_cny"])
        float_usd = int(world.money["party_float_usd"])
        lines: list[list[Any]] = []
        for party, currencies in (
            (BANK, ("CNY", "USD")),
            (PLATFORM, ("CNY", "USD")),
            (INSURER, ("CNY", "USD")),
            (TAX, ("CNY",)),
            (CUSTOMS, ("CNY",)),
            (FOREIGN_CUSTOMS, ("CNY",)),
        ):
            for currency in currencies:
                amount = float_cny if currency == "CNY" else float_usd
                lines += [[party, "cash", currency, amount], [party, "capital", currency, -amount]]
        for supplier_id in sorted(world.suppliers):
            party = supplier_party(supplier_id)
            lines += [
                [party, "cash", "CNY", float_cny // 1000],
                [party, "capital", "CNY", -float_cny // 1000],
            ]
        for carrier_id in sorted(world.carriers):
            party = carrier_party(carrier_id)
            lines += [
                [party, "cash", "CNY", float_cny // 1000],
                [party, "capital", "CNY", -float_cny // 1000],
            ]
        market.journal("opening balances", "genesis", lines)
        fakers: dict[str, Faker] = {}
        buyer_lines: list[list[Any]] = []
        for index in range(1, count + 1):
            data = generate_buyer(world, index, fakers)
            market.emit("BuyerJoined", data)
            budget = data["persona"]["budget"]
            party = buyer_party(data["buyer_id"])
            buyer_lines += [[party, "cash", "USD", budget], [party, "capital", "USD", -budget]]
        if buyer_lines:
            market.journal("buyer opening balances", "genesis", buyer_lines)
        market.flush()
        return market

    # --- emission -----------------------------------------------------------------

    def emit(self, type_: str, data: dict[str, Any]) -> Event:
        """Create, apply and queue one event (engine internal)."""
        event = make_event(self.state.seq + 1, self.state.day, type_, data)
        apply_event(self.state, event)
        self._batch.append(event)
        return event

    def journal(self, memo: str, ref: str, lines: list[list[Any]]) -> None:
        """Emit one balanced journal entry (engine internal)."""
        check_entry(lines)
        entry_id = self.state.next_id("journal", "J", 8)
        self.emit("JournalPosted", {"entry_id": entry_id, "memo": memo, "ref": ref, "lines": lines})

    def flush(self) -> list[Event]:
        """Append queued events to the store and return them."""
        batch, self._batch = self._batch, []
        if batch:
            self.store.append(batch)
        return batch

    # --- the two ways state changes ---------------------------------------------------

    def execute(self, command: Any) -> list[Event]:
        """Carry out a firm's command.

        Args:
            command: One of the dataclasses in ``sandbox.engine.commands``.

        Returns:
            The events it produced.

        Raises:
            CommandRejected: The command broke a rule; nothing changed.
        """
        from sandbox.engine.handlers import COMMAND_HANDLERS

        handler = COMMAND_HANDLERS.get(type(command))
        if handler is None:
            raise CommandRejected(
                "COMMAND_UNKNOWN", f"unknown command {type(command).__name__}", rule="engine"
            )
        before = self.state.seq
        try:
            handler(self, command)
        except CommandRejected:
            if self.state.seq != before:  # a handler must validate before emitting
                raise RuntimeError("command handler emitted events before rejecting") from None
            raise
        return self.flush()

    def step(self) -> list[Event]:
        """Play one sim-day (buyers, banks, customs, carriers, FX) and close it.

        Returns:
            The events of the day.
        """
        from sandbox.engine.daily import run_day

        run_day(self)
        self.emit("DayClosed", {"day": self.state.day})
        return self.flush()

    # --- observation -------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Return the whole state as one JSON-ready object (see ``sandbox.engine.snapshot``)."""
        return take_snapshot(self.state)

    def state_hash(self) -> str:
        """Return the SHA-256 state hash."""
        return self.state.state_hash()

    def money_created(self) -> int:
        """Return the absolute cash created or destroyed across all parties (0 when conserved)."""
        return sum(abs(v) for v in self.state.ledger.money_created().values())

    def trial_balance_ok(self) -> bool:
        """Return True when every party's debits equal its credits in every currency."""
        return bool(trial_balance(self.state.ledger)["ok"])

    def firm_view(self, firm_id: str) -> dict[str, Any]:
        """Return what one firm may see (``sandbox.engine.views.firm_view``)."""
        from sandbox.engine.views import firm_view

        return firm_view(self, firm_id)

    def kpis(self, firm_id: str) -> dict[str, Any]:
        """Return the KPIs of one firm."""
        return firm_kpis(self.state, firm_id)

    def summary(self) -> dict[str, Any]:
        """Return the run summary the CLI prints."""
        return {
            "scenario": self.world.name,
            "seed": self.state.seed,
            "state_hash": self.state_hash(),
            "events": self.state.seq,
            "days": self.state.day,
            "money_created": self.money_created(),
            "money_created_by_currency": self.state.ledger.money_created(),
            "trial_balance_ok": self.trial_balance_ok(),
            "buyers": len(self.state.buyers),
            "rfqs": len(self.state.rfqs),
            "quotes": len(self.state.quotes),
            "contracts": len(self.state.contracts),
            "firms": [self.kpis(firm_id) for firm_id in self.state.firms],
        }


def replay(
    events: Iterable[Event],
    store: EventStore | None = None,
    *,
    snapshot: dict[str, Any] | None = None,
) -> Market:
    """Rebuild a market by folding ``events`` (no randomness, no Faker, no scenario files).

    Args:
        events: The log, from sequence number 1, or from just after ``snapshot``.
            Events at or before the snapshot's sequence number are skipped.
        store: The store the events came from, kept as the new market's store; when
            omitted the events are copied into a fresh in-memory store so the rebuilt
            market can go on playing (only from sequence 1, without a snapshot).
        snapshot: A :meth:`Market.snapshot` to start from instead of an empty state.

    Returns:
        The rebuilt market; ``state_hash()`` equals the original's.
    """
    market = Market(store)
    if snapshot is not None:
        market.state = restore_snapshot(snapshot)
    state = market.state
    start = state.seq
    copied: list[Event] = []
    # Replay allocates hundreds of thousands of small dicts that all stay alive; the
    # cyclic collector would rescan them again and again, halving throughput. None of
    # them form cycles that need collecting, so pause it and restore it afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for event in events:
            if event.seq <= start:
                continue
            apply_event(state, event)
            if store is None:
                copied.append(event)
    finally:
        if collecting:
            gc.enable()
    if store is None and snapshot is None:
        market.store.append(copied)
    return market
