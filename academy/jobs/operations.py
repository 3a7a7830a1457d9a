"""Asking for jobs, publishing them after the commit, running them once.

See ``academy/jobs/__init__.py`` for the picture; the rules here are:

- :func:`enqueue` writes the job row in the caller's unit of work (inline mode: runs
  the job right there instead);
- :func:`publish_committed` sends the rows of a unit of work that just committed;
- :func:`run_job` runs one job under its row lock and marks it done in the same
  transaction as its effect, so a second delivery finds it done and does nothing;
- :func:`relay_pending` sends again what the broker never took.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.db import db, utcnow
from academy.jobs import queue
from academy.jobs.models import Job, JobStatus
from academy.jobs.registry import get_job
from academy.observability.logs import current_request_id

logger = logging.getLogger("academy.jobs")

#: ``Session.info`` key of the job ids written in the current unit of work.
_OUTBOX = "academy.jobs.outbox"
#: A pending row younger than this is the web's to publish, not the relay's.
RELAY_AFTER = timedelta(seconds=20)
#: Name of the Celery task that runs any job row.
RUN_JOB_TASK = "academy.run_job"

QUEUED_MESSAGE = _l("Queued — it will run shortly.")
WAITING_MESSAGE = _l("Queued — will run when the worker is back.")


@dataclass(frozen=True)
class Enqueued:
    """What :func:`enqueue` did.

    Attributes:
        job_id: The job row (None when the job ran inline).
        state: "done" (ran inline), "queued" (a worker will take it) or "waiting"
            (the broker or every worker is down: it runs when they are back).
    """

    job_id: int | None
    state: str

    @property
    def message(self) -> str:
        """What to tell the user, in their language (empty when it is done)."""
        if self.state == "queued":
            return str(QUEUED_MESSAGE)
        if self.state == "waiting":
            return str(WAITING_MESSAGE)
        return ""


def _json_arguments(args: tuple[Any, ...]) -> str:
    try:
        return json.dumps(list(args), separators=(",", ":"), sort_keys=True)
    except TypeError as exc:
        raise TypeError(f"job arguments must be JSON values (ids, not rows): {exc}") from None


def enqueue(name: str, *args: Any) -> Enqueued:
    """Ask for the job ``name`` with ``args``, as part of the current unit of work.

    With a broker the job row is written (``flush()``) and published once the unit of
    work commits; if it rolls back, the job never existed. With no broker the job runs
    now, in this unit of work.

    Raises:
        LookupError: No job has that name.
        TypeError: An argument is not a JSON value.
    """
    spec = get_job(name)
    arguments = _json_arguments(args)
    if queue.queue_mode() == "inline":
        spec.function(*json.loads(arguments))
        return Enqueued(None, "done")
    row = Job(task=name, arguments=arguments, request_id=current_request_id() or "")
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(_OUTBOX, []).append(row.id)
    ready = queue.broker_status() == "ok" and queue.worker_status() != "absent"
    return Enqueued(row.id, "queued" if ready else "waiting")


def _send(job: Job) -> None:
    queue.celery_app.send_task(
        RUN_JOB_TASK,
        args=[job.id],
        kwargs={"request_id": job.request_id},
        queue=queue.QUEUE_NAME,
        retry=True,
    )


def _publish(jobs: list[Job]) -> int:
    """Send ``jobs`` in order until the broker refuses one; mark the sent ones."""
    sent: list[int] = []
    for job in jobs:
        try:
            _send(job)
        except Exception as error:  # the broker is down: the relay sends them later
            logger.warning("job %s (%s) not published yet: %s", job.id, job.task, error)
            queue.forget_status()
            break
        sent.append(job.id)
    if sent:
        db.session.execute(
            sa.update(Job)
            .where(Job.id.in_(sent), Job.status == JobStatus.PENDING)
            .values(status=JobStatus.PUBLISHED, published_dt=utcnow())
        )
    return len(sent)


def publish_committed() -> None:
    """Publish the jobs of the unit of work that just committed (a ``db`` commit hook)."""
    ids = db.session.info.pop(_OUTBOX, None)
    if not ids:
        return
    try:
        jobs = list(
            db.session.scalars(
                sa.select(Job).where(Job.id.in_(ids), Job.status == JobStatus.PENDING)
            )
        )
        _publish(jobs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception("publishing %s jobs failed; the relay will send them", len(ids))


def relay_pending(now: Any = None, limit: int = 500) -> int:
    """Send pending jobs the web could not publish, and published ones that got lost.

    A published job not done after twice the visibility timeout was lost by the
    broker (a Redis restart without persistence); sending it again is safe because
    :func:`run_job` does a done job no second time.

    Returns:
        How many jobs were sent.
    """
    now = now or utcnow()
    lost_after = timedelta(
        seconds=2
        * int(queue.celery_app.conf.broker_transport_options.get("visibility_timeout", 300))
    )
    rows = list(
        db.session.scalars(
            sa.select(Job)
            .where(
                sa.or_(
                    sa.and_(Job.status == JobStatus.PENDING, Job.created_dt <= now - RELAY_AFTER),
                    sa.and_(
                        Job.status == JobStatus.PUBLISHED, Job.published_dt <= now - lost_after
                    ),
                )
            )
            .order_by(Job.id)
            .limit(limit)
        )
    )
    for row in rows:
        row.status = JobStatus.PENDING
    return _publish(rows)


def _lock_job(job_id: int) -> Job | None:
    return db.session.scalar(
        sa.select(Job)
        .where(Job.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def run_job(job_id: int) -> str:
    """Run one job row in the current unit of work, unless it is done already.

    Returns:
        "done", or "skipped" when the row is missing, done or failed.
    """
    job = _lock_job(job_id)
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return "skipped"
    spec = get_job(job.task)
    spec.function(*json.loads(job.arguments))
    job.runs += 1
    job.status = JobStatus.DONE
    job.done_dt = utcnow()
    db.session.flush()
    return "done"


def record_failure(job_id: int, error: BaseException, *, final: bool) -> None:
    """Note a failed run (its own unit of work); ``final`` marks the job failed."""
    job = _lock_job(job_id)
    if job is None or job.status == JobStatus.DONE:
        return
    job.runs += 1
    job.last_error = f"{type(error).__name__}: {error}"[:2000]
    if final:
        job.status = JobStatus.FAILED
    db.session.flush()


def job_counts() -> dict[str, int]:
    """Jobs per status (for metrics and the operators' CLI)."""
    rows = db.session.execute(sa.select(Job.status, sa.func.count()).group_by(Job.status))
    counts = {status.value: 0 for status in JobStatus}
    counts.update({JobStatus(status).value: number for status, number in rows})
    return counts
