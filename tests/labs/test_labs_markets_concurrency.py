"""Many students acting on one market at the same moment, on PostgreSQL.

Each thread has its own application context, session and connection on a database of
its own, as concurrent requests on several web workers would. SQLite is skipped: there
every write transaction begins with ``BEGIN IMMEDIATE`` and holds the whole database,
so writes are serialised before they reach the market lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.auth import operations as auth_operations
from academy.db import db
from academy.labs import markets
from academy.labs.models import CommandReceipt, MarketEvent, MarketKind, SandboxMarket
from tests.conftest import (
    DEFAULT_PASSWORD,
    TEST_DATABASE_URL_VARIABLE,
    fresh_database_url,
    is_postgresql,
    make_test_app,
)
from tests.labs.conftest import SMALL_WORLD, listed_products

pytestmark = pytest.mark.skipif(
    not is_postgresql(os.environ.get(TEST_DATABASE_URL_VARIABLE) or "sqlite://"),
    reason="needs PostgreSQL (set ACADEMY_TEST_DATABASE_URL); SQLite serialises all writes",
)

STUDENTS = 6
COMMANDS_EACH = 6
CLOCK_STEPS = 3


def test_simultaneous_commands_leave_a_gap_free_log_equal_to_a_full_replay(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "labs_concurrency")
    app = make_test_app(url, LABS_SNAPSHOT_EVERY=15)
    try:
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            with db.unit_of_work():
                market = markets.create_market(
                    kind=MarketKind.CLASS_MARKET, bots=["cautious"], **SMALL_WORLD
                )
                students = []
                for number in range(STUDENTS):
                    user = auth_operations.create_user(
                        email=f"racer{number}@example.test",
                        display_name=f"Racer {number}",
                        password=DEFAULT_PASSWORD,
                    )
                    firm = markets.add_firm(market, display_name=f"Racer {number}", user=user)
                    students.append(
                        (user.id, firm.firm_id, listed_products(market.id, firm.firm_id))
                    )
                market_id = market.id

        results: list[tuple[str, Any]] = []
        errors: list[BaseException] = []
        lock = threading.Lock()
        barrier = threading.Barrier(STUDENTS + 3)

        def in_own_session(label: str, work: Callable[[], Any]) -> None:
            try:
                barrier.wait(timeout=30)
                with app.app_context(), db.unit_of_work():
                    outcome = work()
                with lock:
                    results.append((label, outcome))
            except BaseException as error:  # reported after the threads join
                with lock:
                    errors.append(error)

        def student_work(user_id: int, firm_id: str, products: list[str], key: str | None):
            def run() -> list[Any]:
                outcomes = []
                for turn in range(COMMANDS_EACH):
                    user = db.session.get(auth_operations.User, user_id)
                    row = db.session.get(SandboxMarket, market_id)
                    command = {
                        "command": "ImproveListing",
                        "product_id": products[turn % len(products)],
                    }
                    # Each turn is its own transaction, as separate requests would be.
                    outcomes.append(
                        markets.execute_command(
                            row, user, firm_id, command, f"{key}-{turn}" if key else None
                        )
                    )
                    db.session.commit()
                return outcomes

            return run

        def clock_work() -> list[Any]:
            summaries = []
            for _ in range(CLOCK_STEPS):
                summaries.append(markets.advance_market(markets.lock_market(market_id), 1))
                db.session.commit()
            return summaries

        double_user, double_firm, double_products = students[0]

        def double_click() -> list[Any]:
            user = db.session.get(auth_operations.User, double_user)
            row = db.session.get(SandboxMarket, market_id)
            command = {"command": "ImproveListing", "product_id": double_products[-1]}
            return [markets.execute_command(row, user, double_firm, command, "double-click")]

        threads = [
            threading.Thread(
                target=in_own_session,
                args=(f"student-{index}", student_work(user_id, firm_id, products, f"s{index}")),
            )
            for index, (user_id, firm_id, products) in enumerate(students)
        ]
        threads.append(threading.Thread(target=in_own_session, args=("clock", clock_work)))
        threads += [
            threading.Thread(target=in_own_session, args=(f"click-{n}", double_click))
            for n in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a thread hung"
        assert errors == [], errors

        with app.app_context():
            row = db.session.get(SandboxMarket, market_id)
            stored = list(
                db.session.execute(
                    sa.select(MarketEvent.seq, MarketEvent.type)
                    .where(MarketEvent.market_id == market_id)
                    .order_by(MarketEvent.seq)
                )
            )
            seqs = [seq for seq, _ in stored]
            assert seqs == list(range(1, len(seqs) + 1)), "gap or duplicate in the log"
            assert row.last_seq == len(seqs)
            assert row.sim_day == CLOCK_STEPS

            report = markets.verify_market(row)
            assert report["ok"], report
            assert report["snapshot_seq"] > 0  # the fast path really used a snapshot

            command_results = [
                outcome for label, outcomes in results if label != "clock" for outcome in outcomes
            ]
            accepted = [r for r in command_results if r.ok and not r.replayed]
            # Every accepted command's events sit together in the log, never split by a day.
            by_seq = dict(stored)
            for result in accepted:
                span = range(result.first_seq, result.last_seq + 1)
                assert [by_seq[seq] for seq in span] == [e["type"] for e in result.events]
            improved = sum(1 for _, kind in stored if kind == "ListingImproved")
            assert improved == len(accepted)

            clicks = [
                outcome for label, outs in results if label.startswith("click") for outcome in outs
            ]
            assert len(clicks) == 2
            if clicks[0].ok:
                assert sorted(c.replayed for c in clicks) == [False, True]
                assert clicks[0].events == clicks[1].events
            receipts = db.session.scalar(
                sa.select(sa.func.count()).where(CommandReceipt.market_id == market_id)
            )
            assert receipts == len(accepted)
    finally:
        with app.app_context():
            db.engine.dispose()
