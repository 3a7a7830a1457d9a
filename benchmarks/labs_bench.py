"""Benchmark the labs persistence layer and print figures (never asserts on time).

Usage (from the repository root)::

    python benchmarks/labs_bench.py                 # class market, 120 sim-days
    python benchmarks/labs_bench.py --quick         # 30 sim-days, for a smoke run
    ACADEMY_TEST_DATABASE_URL=postgresql+psycopg://... python benchmarks/labs_bench.py

It builds a class market in a fresh database (a temporary SQLite file, or a new
PostgreSQL database beside the one ``ACADEMY_TEST_DATABASE_URL`` names), lets bot firms
and the clock play for the given number of sim-days through ``advance_market`` (one
transaction per ten days, as a scheduled job would), and then reports:

* the time to open a firm's dashboard data (``open_market`` + ``firm_view``) from the
  latest snapshot plus the tail, by replaying the whole log, and as a private copy of
  the market held in the engine-market cache;
* commands per second on that market: students' commands, one transaction each
  (lock, open, execute, write, commit), as separate requests would run them, with
  the engine-market cache turned off (every command rebuilds) and, on an identical
  twin market, turned on;
* the same on a market just opened, for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

SCENARIO = "zhengzhou_rail_air"
BOTS = ["cautious", "aggressive", "sloppy"]


def fresh_url(folder: str) -> str:
    """An empty database: a SQLite file in ``folder`` or a new PostgreSQL database."""
    base = os.environ.get("ACADEMY_TEST_DATABASE_URL")
    if not base:
        return "sqlite:///" + str(Path(folder) / "labs-bench.sqlite3")
    url = sa.engine.make_url(base)
    database = f"{url.database}_labs_bench"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def timed(func: Any, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    """Parse arguments, build the market, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 sim-days instead of 120")
    parser.add_argument("--days", type=int, default=None, help="sim-days of history")
    parser.add_argument("--bots", type=int, default=20, help="bot firms")
    parser.add_argument("--buyers", type=int, default=1000, help="synthetic buyers")
    parser.add_argument("--students", type=int, default=10, help="student firms")
    parser.add_argument("--commands", type=int, default=100, help="commands to time")
    parser.add_argument("--snapshot-every", type=int, default=None, help="events between snapshots")
    args = parser.parse_args()
    days = args.days or (30 if args.quick else 120)

    from academy import create_app, migrate
    from academy.auth.models import User
    from academy.auth.operations import create_user
    from academy.config import TestConfig
    from academy.db import db
    from academy.labs import markets
    from academy.labs.models import MarketKind, MarketSnapshot, SandboxMarket

    with tempfile.TemporaryDirectory() as folder:
        url = fresh_url(folder)
        overrides: dict[str, Any] = {"CONFIG_CLASS": TestConfig, "DATABASE_URL": url}
        if args.snapshot_every is not None:
            overrides["LABS_SNAPSHOT_EVERY"] = args.snapshot_every
        app = create_app(overrides)
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            backend = db.engine.dialect.name
            market_cache = app.extensions["academy.labs.cache"]
            cache_size = market_cache.size

            def use_cache(enabled: bool) -> None:
                market_cache.clear()
                market_cache.size = cache_size if enabled else 0

            def build(bots: int, history: int) -> tuple[int, list[tuple[int, str, list[str]]]]:
                with db.unit_of_work():
                    market = markets.create_market(
                        kind=MarketKind.CLASS_MARKET,
                        scenario=SCENARIO,
                        buyers=args.buyers,
                        bots=[BOTS[n % len(BOTS)] for n in range(bots)],
                    )
                    market_id = market.id
                students = []
                for number in range(args.students):
                    with db.unit_of_work():
                        user = create_user(
                            email=f"bench{market_id}-{number}@example.test",
                            display_name=f"Bench Student {number}",
                            password="correct-horse-battery",
                        )
                        row = db.session.get(SandboxMarket, market_id)
                        firm = markets.add_firm(row, display_name=f"Bench {number}", user=user)
                        engine_market = markets.open_market(row)
                        products = list(engine_market.state.firms[firm.firm_id]["products"])
                        students.append((user.id, firm.firm_id, products))
                left = history
                while left > 0:
                    step = min(10, left)
                    with db.unit_of_work():
                        markets.advance_market(markets.lock_market(market_id), step)
                    left -= step
                return market_id, students

            def commands_per_second(
                market_id: int, students: list[tuple[int, str, list[str]]], label: str
            ) -> tuple[float, int]:
                plan = [
                    (user_id, firm_id, product)
                    for product_index in range(3)
                    for _ in range(4)
                    for user_id, firm_id, products in students
                    for product in [products[product_index % len(products)]]
                ][: args.commands]
                accepted = 0
                started = time.perf_counter()
                for number, (user_id, firm_id, product) in enumerate(plan):
                    with db.unit_of_work():
                        result = markets.execute_command(
                            db.session.get(SandboxMarket, market_id),
                            db.session.get(User, user_id),
                            firm_id,
                            {"command": "ImproveListing", "product_id": product},
                            f"bench-{label}-{number}",
                        )
                        accepted += result.ok and not result.replayed
                elapsed = time.perf_counter() - started
                return len(plan) / elapsed, accepted

            started = time.perf_counter()
            market_id, students = build(args.bots, days)
            built = time.perf_counter() - started

            with db.unit_of_work():
                row = db.session.get(SandboxMarket, market_id)
                firm_id = students[0][1]
                events = row.last_seq
                snapshot_seq = row.snapshot_seq
                snapshot_bytes = db.session.scalar(
                    sa.select(sa.func.length(MarketSnapshot.state)).where(
                        MarketSnapshot.market_id == market_id,
                        MarketSnapshot.seq == snapshot_seq,
                    )
                )

                def dashboard(use_snapshot: bool) -> None:
                    engine_market = markets.open_market(row, use_snapshot=use_snapshot)
                    engine_market.firm_view(firm_id)

                use_cache(False)
                with_snapshot = timed(lambda: dashboard(True), 5)
                without_snapshot = timed(lambda: dashboard(False), 3)
                report = markets.verify_market(row)

            use_cache(False)
            cold_rate, cold_accepted = commands_per_second(market_id, students, "cold")
            # The same commands on an identical twin (same scenario and seed, so the same
            # world and firms): the first run used up what the commands can improve.
            use_cache(True)
            twin_id, twin_students = build(args.bots, days)
            busy_rate, busy_accepted = commands_per_second(twin_id, twin_students, "cached")
            with db.unit_of_work():
                row = db.session.get(SandboxMarket, twin_id)
                from_cache = timed(lambda: dashboard(True), 5)
                cached_report = markets.verify_market(row)
            fresh_id, fresh_students = build(args.bots, 0)
            fresh_rate, fresh_accepted = commands_per_second(fresh_id, fresh_students, "fresh")
            db.engine.dispose()

    print(
        f"{backend}; scenario {SCENARIO}; {args.bots} bot firms + {args.students} students, "
        f"{args.buyers} buyers; figures from this machine\n"
    )
    print(f"history: {days} sim-days, {events:,} events, built in {built:.1f} s")
    print(
        f"latest snapshot at seq {snapshot_seq:,} ({(snapshot_bytes or 0) / 1024:,.0f} KiB "
        f"compressed), tail {events - snapshot_seq:,} events; hashes agree: {report['ok']}"
    )
    print(f"open a firm's dashboard, snapshot + tail: {with_snapshot * 1000:9.1f} ms")
    print(f"open a firm's dashboard, full replay:     {without_snapshot * 1000:9.1f} ms")
    print(
        f"open a firm's dashboard, cached copy:    {from_cache * 1000:9.1f} ms  "
        f"(cache agrees with the replay: {cached_report['cache_hash'] == cached_report['replay_hash']})"
    )
    print(
        f"commands/s on the {days}-day market, no cache: {cold_rate:7.1f}  "
        f"({cold_accepted} of {args.commands} accepted; one transaction each)"
    )
    print(
        f"commands/s on the {days}-day market, cached:   {busy_rate:7.1f}  "
        f"({busy_accepted} of {args.commands} accepted; one transaction each)"
    )
    print(
        f"commands/s on a market just opened, cached: {fresh_rate:7.1f}  "
        f"({fresh_accepted} of {args.commands} accepted)"
    )


if __name__ == "__main__":
    main()
