"""Benchmark the sandbox engine and print figures (never asserts on time).

Usage (from the repository root)::

    python benchmarks/sandbox_bench.py            # class world and large world
    python benchmarks/sandbox_bench.py --quick    # fewer days, for a smoke run

For each world it reports the time to open the market (buyers generated with Faker),
the median and worst milliseconds per sim-day (bots acting plus ``step()``), the time
of a whole term, replay speed from a JSON-lines log, and peak memory (max RSS of a
fresh subprocess per world). Like the CLI, it calls ``gc.freeze()`` every ten days so
the cyclic collector does not keep rescanning the market's long-lived state. It ends with the per-day cost ratio
when buyers grow tenfold at a fixed number of firms, which should stay at or below
about 10 if nothing scans quadratically.

Targets (issue 4): 120-day term for 50 firms x 2,000 buyers under 15 s; one sim-day
of 300 firms x 20,000 buyers under 1 s; replay above 50,000 events/s.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCENARIO = "zhengzhou_rail_air"


def run_world(firms: int, buyers: int, days: int) -> dict[str, float]:
    """Run one world in this process and return its figures."""
    from sandbox.bots import register_bot_firms, run_bots
    from sandbox.engine.market import Market, replay
    from sandbox.scenario import load_scenario
    from sandbox.store import JsonLinesEventStore

    world = load_scenario(SCENARIO)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        started = time.perf_counter()
        market = Market.open(world, buyers=buyers, store=JsonLinesEventStore(path))
        register_bot_firms(market, firms, ["cautious", "aggressive", "sloppy"])
        opened = time.perf_counter() - started
        per_day = []
        term_started = time.perf_counter()
        for day in range(days):
            if day % 10 == 0:
                gc.freeze()  # as the CLI does: keep the collector off long-lived state
            day_started = time.perf_counter()
            run_bots(market)
            market.step()
            per_day.append((time.perf_counter() - day_started) * 1000)
        term = time.perf_counter() - term_started
        events = market.state.seq
        original = market.state_hash()
        replay_started = time.perf_counter()
        store = JsonLinesEventStore(path)
        rebuilt = replay(store.read(), store=store)
        replay_seconds = time.perf_counter() - replay_started
        if rebuilt.state_hash() != original:
            raise SystemExit("replay hash differs: determinism is broken")
        return {
            "firms": firms,
            "buyers": buyers,
            "days": days,
            "open_s": round(opened, 3),
            "term_s": round(term, 3),
            "median_ms_per_day": round(statistics.median(per_day), 2),
            "max_ms_per_day": round(max(per_day), 2),
            "events": events,
            "replay_events_per_s": round(events / replay_seconds),
            "money_created": market.money_created(),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "per_day_ms": [round(ms, 3) for ms in per_day],
        }


def in_subprocess(firms: int, buyers: int, days: int) -> dict[str, float]:
    """Run a world in a fresh interpreter so peak memory belongs to that world alone."""
    output = subprocess.run(
        [sys.executable, __file__, "--one", str(firms), str(buyers), str(days)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output)


def main() -> None:
    """Parse arguments, run the worlds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer days")
    parser.add_argument(
        "--one", nargs=3, type=int, metavar=("FIRMS", "BUYERS", "DAYS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_world(*args.one)))
        return
    class_days = 30 if args.quick else 120
    large_days = 5 if args.quick else 40
    rows = [
        ("class: 50 firms x 2,000 buyers", in_subprocess(50, 2_000, class_days)),
        ("class, buyers x10: 50 firms x 20,000", in_subprocess(50, 20_000, large_days)),
        ("large: 300 firms x 20,000 buyers", in_subprocess(300, 20_000, large_days)),
    ]
    print(f"scenario {SCENARIO}; figures from this machine, one process per world\n")
    header = f"{'world':<40}{'days':>5}{'open s':>8}{'term s':>8}{'ms/day':>9}{'max ms':>9}{'events':>9}{'replay ev/s':>13}{'peak MB':>9}"
    print(header)
    print("-" * len(header))
    for label, row in rows:
        print(
            f"{label:<40}{row['days']:>5}{row['open_s']:>8}{row['term_s']:>8}{row['median_ms_per_day']:>9}{row['max_ms_per_day']:>9}"
            f"{row['events']:>9}{row['replay_events_per_s']:>13,}{row['peak_rss_mb']:>9}"
        )
    small, tenfold, large = (row for _, row in rows)
    # Compare the same window of days: cost per day grows as contracts accumulate.
    window = min(len(small["per_day_ms"]), len(tenfold["per_day_ms"]))
    ratio = statistics.median(tenfold["per_day_ms"][:window]) / max(
        statistics.median(small["per_day_ms"][:window]), 1e-9
    )
    term_estimate = small["median_ms_per_day"] * 120 / 1000
    print()
    print(
        f"120-day term, 50 x 2,000: {small['term_s'] if small['days'] == 120 else round(term_estimate, 2)} s (target < 15 s)"
    )
    print(
        f"one sim-day, 300 x 20,000: median {large['median_ms_per_day']} ms, max {large['max_ms_per_day']} ms (target < 1000 ms)"
    )
    print(
        f"replay: {min(r['replay_events_per_s'] for _, r in rows):,} events/s at worst (target > 50,000)"
    )
    print(
        f"per-day cost ratio when buyers grow tenfold (50 firms): {ratio:.2f} (linear would be <= 10)"
    )
    print(f"money created in any world: {max(r['money_created'] for _, r in rows)} (must be 0)")


if __name__ == "__main__":
    main()
