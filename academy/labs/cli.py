"""``academy sandbox tick | clock``: run the scheduled clock of class markets.

``tick`` is one pass, for cron (``* * * * * academy sandbox tick``); ``clock`` runs a
pass every 30 seconds until interrupted, for a process supervisor. Both call
``academy.labs.clock.run_due_ticks``, as the web process's clock thread does.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from academy.labs import clock


@click.group("sandbox", cls=AppGroup, help="Run the sandbox markets' scheduled clock.")
def sandbox_group() -> None:
    pass


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO date and time, e.g. 2026-03-01T08:30Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@sandbox_group.command("tick")
@click.option("--now", help="Pretend it is this UTC time (ISO 8601); default: the real time.")
def tick_command(now: str | None) -> None:
    """Advance every market whose next scheduled sim-day is due, once (for cron).

    Prints one summary line; exits with status 1 if a market failed to advance (the
    others still moved and the error is in the log).
    """
    result = clock.run_due_ticks(_parse_now(now))
    click.echo(result.summary())
    if result.failed:
        raise SystemExit(1)


@sandbox_group.command("clock")
@click.option(
    "--interval",
    default=clock.CLOCK_INTERVAL_SECONDS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Seconds between passes.",
)
def clock_command(interval: int) -> None:
    """Run the clock until interrupted (Ctrl+C): a pass every INTERVAL seconds."""
    click.echo(f"Sandbox clock running, a pass every {interval} s; Ctrl+C stops it.")
    stop = threading.Event()
    try:
        clock.run_forever(current_app._get_current_object(), stop, interval=interval)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        stop.set()
    click.echo("Sandbox clock stopped.")


commands = [sandbox_group]
