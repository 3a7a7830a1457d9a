"""``academy worker``, ``academy scheduler`` and ``academy jobs``: the queue's processes."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from academy.db import db


def _require_broker() -> None:
    if not current_app.config.get("BROKER_URL"):
        raise click.ClickException(
            "ACADEMY_BROKER_URL is not set: with no broker, jobs run inside the web process"
        )


@click.command("worker")
@click.option("--concurrency", "-c", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--pool",
    default="prefork",
    show_default=True,
    type=click.Choice(["prefork", "solo", "threads"]),
)
@click.option("--loglevel", default="INFO", show_default=True)
@with_appcontext
def worker_command(concurrency: int, pool: str, loglevel: str) -> None:
    """Run queued jobs and the scheduler's periodic tasks (stop with Ctrl+C or SIGTERM)."""
    from academy.jobs import queue, registry, runner  # noqa: F401  (registers the tasks)
    from academy.observability import metrics

    _require_broker()
    registry.discover()
    metrics.observe_tasks()
    # Flask annotates current_app as a Flask; it is a LocalProxy (wrong stub for the method).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = queue.start_heartbeat(app)
    try:
        queue.celery_app.worker_main(
            [
                "worker",
                f"--concurrency={concurrency}",
                f"--pool={pool}",
                f"--loglevel={loglevel}",
                f"--queues={queue.QUEUE_NAME}",
                "--without-gossip",
                "--without-mingle",
            ]
        )
    finally:
        stop.set()


@click.command("scheduler")
@click.option("--loglevel", default="INFO", show_default=True)
@click.option(
    "--schedule-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where beat keeps its state (default: celerybeat-schedule in the instance folder).",
)
@with_appcontext
def scheduler_command(loglevel: str, schedule_file: Path | None) -> None:
    """Send the periodic tasks (clock, expired attempts, relay); several may run."""
    from academy.jobs import queue, runner  # noqa: F401

    _require_broker()
    schedule = schedule_file or Path(current_app.instance_path) / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    queue.celery_app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule}"])


@click.group("jobs", cls=AppGroup, help="Look at and relay the job queue.")
def jobs_group() -> None:
    pass


@jobs_group.command("status")
def jobs_status() -> None:
    """Broker, workers, queue depth and jobs by status."""
    from academy.jobs import operations, queue

    click.echo(f"mode: {queue.queue_mode()}")
    click.echo(f"broker: {queue.broker_status()}")
    click.echo(f"worker: {queue.worker_status()}")
    click.echo(f"queue depth: {queue.queue_depth()}")
    for status, number in operations.job_counts().items():
        click.echo(f"jobs {status}: {number}")


@jobs_group.command("relay")
def jobs_relay() -> None:
    """Publish now the jobs the broker did not take (the scheduler does it every 30 s)."""
    from academy.jobs import operations

    _require_broker()
    with db.unit_of_work():
        sent = operations.relay_pending(limit=10_000)
    click.echo(f"Published {sent} job(s).")


@jobs_group.command("probe")
@click.option("--seconds", default=1.0, show_default=True, type=click.FloatRange(0, 300))
def jobs_probe(seconds: float) -> None:
    """Send a job that waits SECONDS; `academy jobs status` shows it done once a worker ran it."""
    from academy.jobs import enqueue

    _require_broker()
    with db.unit_of_work():
        result = enqueue("jobs.probe", seconds)
    click.echo(f"Probe job {result.job_id} {result.state}.")


commands = [worker_command, scheduler_command, jobs_group]
