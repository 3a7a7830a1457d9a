"""The job outbox over a real Redis: published after commit, run once, nothing lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.db import db, utcnow
from academy.jobs import enqueue, job, operations, queue, runner
from academy.jobs.models import Job, JobStatus
from academy.mail import outbox

EFFECTS: list[str] = []
FAILURES_LEFT: list[int] = []


@job("tests.record_effect", retries=2, backoff_seconds=0)
def record_effect(label: str) -> None:
    if FAILURES_LEFT and FAILURES_LEFT[0] > 0:
        FAILURES_LEFT[0] -= 1
        raise ConnectionError("the far side hung up")
    EFFECTS.append(label)


@pytest.fixture(autouse=True)
def _reset() -> None:
    EFFECTS.clear()
    FAILURES_LEFT.clear()


def job_row(app, job_id: int) -> Job:
    with app.app_context():
        return db.session.get(Job, job_id)


def queued(app) -> int:
    with app.app_context():
        return queue.queue_depth()


def test_with_no_broker_a_job_runs_inline_in_the_unit_of_work(app):
    with app.app_context(), db.unit_of_work():
        result = enqueue("mail.send", "a@example.test", "Hello", "Body", "from@example.test")
        assert result.state == "done" and result.message == ""
        assert [m.to for m in outbox()] == ["a@example.test"]
        outbox().clear()


def test_a_job_is_published_after_commit_and_its_effect_happens_once(queue_app, in_app):
    result = in_app(enqueue, "tests.record_effect", "first")
    assert result.job_id is not None
    assert job_row(queue_app, result.job_id).status == JobStatus.PUBLISHED
    assert queued(queue_app) == 1

    assert runner.run_job_task.apply(args=[result.job_id]).get() == "done"
    # Delivered again (a worker died before acknowledging): nothing happens twice.
    assert runner.run_job_task.apply(args=[result.job_id]).get() == "skipped"
    assert EFFECTS == ["first"]
    row = job_row(queue_app, result.job_id)
    assert row.status == JobStatus.DONE and row.runs == 1


def test_a_rolled_back_unit_of_work_asks_for_nothing(queue_app):
    with pytest.raises(RuntimeError), queue_app.app_context(), db.unit_of_work():
        job_id = enqueue("tests.record_effect", "never").job_id
        raise RuntimeError("the request failed")
    assert job_row(queue_app, job_id) is None
    assert queued(queue_app) == 0


def test_a_failing_job_is_retried_and_its_effect_happens_once(queue_app, in_app):
    FAILURES_LEFT.append(1)
    job_id = in_app(enqueue, "tests.record_effect", "after a retry").job_id
    runner.run_job_task.apply(args=[job_id])
    row = job_row(queue_app, job_id)
    assert EFFECTS == ["after a retry"]
    assert row.status == JobStatus.DONE
    assert row.runs == 2 and "hung up" in row.last_error


def test_a_job_failing_every_retry_is_marked_failed(queue_app, in_app):
    FAILURES_LEFT.append(99)
    job_id = in_app(enqueue, "tests.record_effect", "never").job_id
    runner.run_job_task.apply(args=[job_id])
    row = job_row(queue_app, job_id)
    assert row.status == JobStatus.FAILED and row.runs == 3
    assert EFFECTS == []


def test_broker_down_the_job_waits_in_the_outbox_and_is_relayed_when_back(
    queue_app, in_app, redis_server
):
    redis_server.stop()
    queue.forget_status()
    try:
        result = in_app(enqueue, "tests.record_effect", "later")  # the commit still works
        assert result.state == "waiting"
        assert "will run when the worker is back" in result.message
        assert job_row(queue_app, result.job_id).status == JobStatus.PENDING
        with queue_app.test_client() as client:
            health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json["status"] == "degraded" and health.json["broker"] == "unavailable"
    finally:
        redis_server.start()
        queue.forget_status()

    in_app(operations.relay_pending, utcnow() + timedelta(minutes=1))
    assert job_row(queue_app, result.job_id).status == JobStatus.PUBLISHED
    assert queued(queue_app) == 1
    runner.run_job_task.apply(args=[result.job_id])
    assert EFFECTS == ["later"]


def test_a_worker_heartbeat_makes_jobs_queued_and_the_health_ok(queue_app, in_app):
    stop = queue.start_heartbeat(queue_app)
    try:
        for _ in range(50):
            with queue_app.app_context():
                queue.forget_status()
                if queue.worker_status() == "ok":
                    break
        result = in_app(enqueue, "tests.record_effect", "soon")
        assert result.state == "queued"
        with queue_app.test_client() as client:
            health = client.get("/healthz").json
        assert (health["status"], health["broker"], health["worker"]) == ("ok", "ok", "ok")
    finally:
        stop.set()


def test_job_arguments_must_be_plain_values(queue_app):
    with queue_app.app_context(), pytest.raises(TypeError, match="JSON"):
        enqueue("tests.record_effect", object())
    with queue_app.app_context(), pytest.raises(LookupError, match="no job named"):
        enqueue("tests.no_such_job")


def test_the_status_command_reports_broker_workers_and_jobs(queue_app, in_app):
    in_app(enqueue, "tests.record_effect", "counted")
    result = queue_app.test_cli_runner().invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert "broker: ok" in result.output and "jobs published: " in result.output
    with queue_app.app_context():
        published = db.session.scalar(
            sa.select(sa.func.count()).select_from(Job).where(Job.status == "published")
        )
    assert f"jobs published: {published}" in result.output
