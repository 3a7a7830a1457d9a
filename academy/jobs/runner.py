"""The Celery tasks a worker runs: any job row, and the scheduler's periodic passes.

Every task runs in an application context with the request id of whoever asked for
it, and in its own unit of work (``with db.unit_of_work()``), never inside a request.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime
from typing import Any

from celery import Task

from academy.db import db, utcnow
from academy.jobs import operations, queue
from academy.jobs.models import Job
from academy.jobs.registry import get_job
from academy.observability.logs import request_id_context

logger = logging.getLogger("academy.jobs")

#: Retries of a failed market tick (it is safe: a retried tick plays only what is due).
TICK_RETRIES = 3

celery_app = queue.celery_app


@celery_app.task(name=operations.RUN_JOB_TASK, bind=True, max_retries=None)
def run_job_task(self: Task, job_id: int, request_id: str = "") -> str:
    """Run the job row ``job_id`` once; retry it with back-off when it fails."""
    app = queue.flask_app()
    with app.app_context(), request_id_context(request_id or f"job-{job_id}"):
        try:
            with db.unit_of_work():
                outcome = operations.run_job(job_id)
        except Exception as error:
            with db.unit_of_work():
                job = db.session.get(Job, job_id)
                spec = get_job(job.task) if job is not None else None
                final = spec is None or self.request.retries >= spec.retries
                operations.record_failure(job_id, error, final=final)
            if final or spec is None:
                logger.exception("job %s failed for good", job_id)
                raise
            logger.warning("job %s failed (%s); retrying", job_id, error)
            raise self.retry(exc=error, countdown=spec.countdown(self.request.retries)) from error
        logger.info("job %s %s", job_id, outcome)
        return outcome


def _periodic_context() -> Any:
    return request_id_context(f"periodic-{uuid.uuid4().hex[:12]}")


def _claim_slot(name: str, seconds: float) -> bool:
    """True for the first scheduler to claim this interval of ``name`` (several may run)."""
    client = queue.redis_client()
    if client is None:
        return True
    slot = int(time.time() // max(seconds, 1))
    try:
        return bool(client.set(f"academy:slot:{name}:{slot}", "1", nx=True, ex=int(seconds) * 2))
    except Exception:
        return True  # the market lock still keeps the clock from playing a day twice


@celery_app.task(name="academy.periodic.clock_pass")
def clock_pass() -> int:
    """Send one tick task per market that is due; returns how many were sent."""
    from academy.labs import clock

    app = queue.flask_app()
    with app.app_context(), _periodic_context():
        if not _claim_slot("clock", float(app.config.get("JOBS_CLOCK_SECONDS", 30))):
            return 0
        now = utcnow()
        with db.unit_of_work():
            due = [market.id for market in clock.due_markets(now)]
        for market_id in due:
            tick_market_task.apply_async(args=[market_id, now.isoformat()])
        if due:
            logger.info("clock: %s markets due, ticks sent", len(due))
        return len(due)


@celery_app.task(name="academy.periodic.tick_market", bind=True, max_retries=TICK_RETRIES)
def tick_market_task(self: Task, market_id: int, now_iso: str) -> int:
    """Play what one market owes at ``now`` (under its lock; a retry plays nothing twice)."""
    from academy.labs import clock

    app = queue.flask_app()
    with app.app_context(), _periodic_context():
        try:
            with db.unit_of_work():
                days = clock.tick_market(market_id, datetime.fromisoformat(now_iso))
        except Exception as error:
            logger.warning("clock: market %s could not advance (%s)", market_id, error)
            raise self.retry(exc=error, countdown=5 * (self.request.retries + 1)) from error
        if days:
            logger.info("clock: market %s advanced %s sim-days", market_id, days)
        return days


@celery_app.task(name="academy.periodic.close_expired")
def close_expired() -> int:
    """Submit the exam attempts whose deadline passed."""
    from academy.assessment.attempts import close_expired_attempts

    app = queue.flask_app()
    with app.app_context(), _periodic_context(), db.unit_of_work():
        closed = close_expired_attempts()
    if closed:
        logger.info("closed %s attempts past their deadline", closed)
    return closed


@celery_app.task(name="academy.periodic.purge_exports")
def purge_exports() -> int:
    """Delete the exports kept longer than ``EXPORT_KEEP_DAYS``."""
    from academy.exports.operations import purge_expired

    app = queue.flask_app()
    with app.app_context(), _periodic_context(), db.unit_of_work():
        return purge_expired()


@celery_app.task(name="academy.periodic.send_digests")
def send_digests() -> int:
    """The daily e-mail digest of notifications (once, whatever the number of schedulers)."""
    from academy.notifications.operations import send_digests as send

    app = queue.flask_app()
    with app.app_context(), _periodic_context():
        if not _claim_slot("digests", 3600):
            return 0
        with db.unit_of_work():
            return send()


@celery_app.task(name="academy.periodic.relay")
def relay() -> int:
    """Publish jobs the broker never took (it was down when they were asked for)."""
    app = queue.flask_app()
    with app.app_context(), _periodic_context(), db.unit_of_work():
        return operations.relay_pending()
