"""Prometheus metrics (prometheus_client), safe under several gunicorn workers.

Counters and histograms live in each process; with ``PROMETHEUS_MULTIPROC_DIR`` set in
the environment of every process (gunicorn, workers) before they start, the client
keeps them in files there and ``/metrics`` sums all processes. Gauges that describe the
whole platform (queue depth, active attempts, jobs by status) are read at scrape time
from Redis and the database, so every worker answers the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "academy_http_request_duration_seconds",
    "Time to answer a request, by route (the URL rule, not the path).",
    ["method", "route"],
)
REQUESTS = Counter(
    "academy_http_requests",
    "Requests answered, by route and status code.",
    ["method", "route", "status"],
)
TASK_SECONDS = Histogram(
    "academy_task_duration_seconds",
    "Time a queue task took, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
TASK_FAILURES = Counter(
    "academy_task_failures",
    "Queue task runs that raised (a retried run counts each time).",
    ["task"],
)
MARKET_COMMANDS = Counter(
    "academy_market_commands",
    "Sandbox commands applied (rate() of it is commands per second).",
)


class PlatformCollector(Collector):
    """Gauges read at scrape time: queue depth, active attempts, jobs by status."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from academy.assessment.models import Attempt, AttemptStatus
        from academy.db import db
        from academy.jobs import operations, queue

        with self.app.app_context():
            depth = queue.queue_depth()
            if depth is not None:
                yield GaugeMetricFamily(
                    "academy_queue_depth", "Tasks waiting in the queue.", value=depth
                )
            try:
                active = db.session.scalar(
                    sa.select(sa.func.count())
                    .select_from(Attempt)
                    .where(Attempt.status == AttemptStatus.IN_PROGRESS)
                )
                jobs = operations.job_counts()
            finally:
                db.session.rollback()
            yield GaugeMetricFamily(
                "academy_active_attempts", "Quiz and exam attempts in progress.", value=active
            )
            family = GaugeMetricFamily(
                "academy_jobs", "Jobs in the outbox by status.", labels=["status"]
            )
            for status, number in jobs.items():
                family.add_metric([status], number)
            yield family


def registry_for_scrape(app: Flask) -> CollectorRegistry:
    """Every process's counters (multiprocess mode) or this one's, plus the gauges."""
    if os.environ.get(MULTIPROCESS_VARIABLE):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(PlatformCollector(app))
    return registry


def render(app: Flask) -> tuple[bytes, str]:
    """The exposition text and its content type."""
    return generate_latest(registry_for_scrape(app)), CONTENT_TYPE_LATEST


def _count_command(*_args: Any) -> None:
    MARKET_COMMANDS.inc()


def init_app(app: Flask) -> None:
    """Time every request by its URL rule; count sandbox commands as they are stored."""
    from academy.labs.models import CommandReceipt

    if not sa.event.contains(CommandReceipt, "after_insert", _count_command):
        sa.event.listen(CommandReceipt, "after_insert", _count_command)

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response: Any) -> Any:
        started = g.pop("metrics_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
            REQUEST_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
            REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


def observe_tasks() -> None:
    """Time and count queue tasks through Celery's signals (in the worker)."""
    from celery import signals

    started: dict[str, float] = {}

    @signals.task_prerun.connect(weak=False)
    def _prerun(task_id: str, **_kwargs: Any) -> None:
        started[task_id] = time.perf_counter()

    @signals.task_postrun.connect(weak=False)
    def _postrun(task_id: str, task: Any, **_kwargs: Any) -> None:
        begun = started.pop(task_id, None)
        if begun is not None:
            TASK_SECONDS.labels(task.name).observe(time.perf_counter() - begun)

    @signals.task_failure.connect(weak=False)
    def _failure(sender: Any = None, **_kwargs: Any) -> None:
        TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()
