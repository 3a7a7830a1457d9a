"""Command line: ``python -m sandbox scenarios | simulate | calibrate | replay``.

Bad input ends with one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from sandbox.bots import BOTS, register_bot_firms, run_bots
from sandbox.calibrate import SHIPPED_SCENARIOS, calibrate, format_report
from sandbox.engine.market import Market, replay
from sandbox.errors import SandboxError
from sandbox.scenario import list_scenarios, load_scenario
from sandbox.store import JsonLinesEventStore

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One clear line instead of argparse's usage block.
        self.exit(2, f"sandbox: error: {message}\n")


def _positive(limit: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if not 0 <= value <= limit:
            raise argparse.ArgumentTypeError(f"{value} is outside 0..{limit}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sandbox", description="Headless sandbox trading exchange.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    listing = commands.add_parser("scenarios", help="list shipped scenarios")
    listing.add_argument("--json", action="store_true", help="print JSON")
    simulate = commands.add_parser("simulate", help="run a market with bot firms")
    simulate.add_argument("--scenario", required=True, help="scenario name or .toml path")
    simulate.add_argument("--days", type=_positive(3650), required=True, help="sim-days to play")
    simulate.add_argument("--seed", type=_positive(2**63), help="seed (default: the scenario's)")
    simulate.add_argument("--firms", type=_positive(5000), help="bot firms (default: scenario)")
    simulate.add_argument(
        "--buyers", type=_positive(1_000_000), help="synthetic buyers (default: scenario)"
    )
    simulate.add_argument(
        "--bots", help="comma-separated strategies, e.g. cautious,aggressive,sloppy"
    )
    simulate.add_argument("--events-out", help="write the event log as JSON lines (must not exist)")
    simulate.add_argument("--json", action="store_true", help="print one JSON object")
    _add_calibrate(commands)
    rebuild = commands.add_parser("replay", help="rebuild state from an event file")
    rebuild.add_argument("file", help="JSON-lines event file")
    rebuild.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _add_calibrate(commands: Any) -> None:
    calibration = commands.add_parser(
        "calibrate", help="win rates, discrepancies, margins and pegs beside their targets"
    )
    calibration.add_argument(
        "--scenario",
        action="append",
        help="scenario to play (repeatable; default: the three shipped scenarios)",
    )
    calibration.add_argument("--days", type=_positive(3650), default=120, help="sim-days per run")
    calibration.add_argument(
        "--seeds", help="comma-separated seeds, each run per scenario (default: the scenario's)"
    )
    calibration.add_argument(
        "--buyers", type=_positive(1_000_000), help="synthetic buyers (default: scenario)"
    )
    calibration.add_argument("--json", action="store_true", help="print one JSON object")


def _calibrate(args: argparse.Namespace) -> int:
    seeds: list[int | None] = [None]
    if args.seeds:
        try:
            seeds = [_positive(2**63)(text.strip()) for text in args.seeds.split(",")]
        except argparse.ArgumentTypeError as error:
            return _fail(f"argument --seeds: {error}", 2)
    report = calibrate(
        args.scenario or SHIPPED_SCENARIOS, days=args.days, seeds=seeds, buyers=args.buyers
    )
    if args.json:
        print(json.dumps(report, sort_keys=True, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


def _fail(message: str, code: int = 1) -> int:
    print(f"sandbox: error: {message}", file=sys.stderr)
    return code


def _progress(day: int, total: int) -> None:
    width = 30
    filled = width * day // max(1, total)
    if day != total and filled == width * (day - 1) // max(1, total):
        return  # redraw only when the bar grows
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] day {day}/{total}")
    if day == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _print_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary, sort_keys=True, ensure_ascii=False))
        return
    print(f"scenario        {summary['scenario']} (seed {summary['seed']})")
    print(f"days / events   {summary['days']} / {summary['events']}")
    print(
        f"rfqs / quotes   {summary['rfqs']} / {summary['quotes']}; contracts {summary['contracts']}"
    )
    print(f"money created   {summary['money_created']} (minor units; 0 means conserved)")
    print(f"trial balance   {'ok' if summary['trial_balance_ok'] else 'UNBALANCED'}")
    print(f"state hash      {summary['state_hash']}")
    print(
        f"{'firm':<6}{'bot':<12}{'revenue CNY':>16}{'net profit':>14}{'cash':>16}{'stars':>6}{'on-time':>9}"
    )
    for firm in summary["firms"]:
        on_time = "-" if firm["on_time_delivery"] is None else f"{firm['on_time_delivery']:.0%}"
        print(
            f"{firm['firm_id']:<6}{(firm['bot'] or 'human'):<12}{firm['revenue'] / 100:>16,.2f}"
            f"{firm['net_profit'] / 100:>14,.2f}{firm['cash'] / 100:>16,.2f}{firm['star_rating']:>6}{on_time:>9}"
        )


def _simulate(args: argparse.Namespace) -> int:
    world = load_scenario(args.scenario, seed=args.seed)
    bots = args.bots.split(",") if args.bots else list(world.population.get("bots", ["cautious"]))
    unknown = [name for name in bots if name not in BOTS]
    if unknown or not bots:
        return _fail(
            f"unknown bot {unknown[0] if unknown else ''!r} (choose from {', '.join(BOTS)})", 2
        )
    store = None
    if args.events_out:
        path = Path(args.events_out)
        if path.exists():
            return _fail(f"{args.events_out} already exists; choose a new file", 2)
        if not path.parent.exists():
            return _fail(f"directory of {args.events_out} does not exist", 2)
        store = JsonLinesEventStore(path)
    market = Market.open(world, buyers=args.buyers, store=store)
    firms = args.firms if args.firms is not None else int(world.population.get("firms", 3))
    register_bot_firms(market, firms, bots)
    for day in range(1, args.days + 1):
        if day % 10 == 1:
            # The market's state is long-lived; freezing it keeps the cyclic collector
            # from rescanning it, which otherwise makes some days of a large world slow.
            gc.freeze()
        run_bots(market)
        market.step()
        _progress(day, args.days)
    _print_summary(market.summary(), args.json)
    return 0


def _replay(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _fail(f"no such event file: {args.file}")
    store = JsonLinesEventStore(path)
    market = replay(store.read(), store=store)
    if market.state.world is None:
        return _fail(f"{args.file} holds no market (first event must be MarketOpened)")
    _print_summary(market.summary(), args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "scenarios":
            scenarios = list_scenarios()
            if args.json:
                print(json.dumps(scenarios, ensure_ascii=False))
            else:
                for item in scenarios:
                    print(f"{item['name']:<24}{item['title']}")
            return 0
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "calibrate":
            return _calibrate(args)
        return _replay(args)
    except SandboxError as error:
        return _fail(str(error))
    except (OSError, UnicodeDecodeError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
