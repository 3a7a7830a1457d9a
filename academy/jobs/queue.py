"""The Celery application, the broker's state and the worker's heartbeat.

Why Celery over RQ: Celery acknowledges a task only after it ran (``acks_late``) and
gives a task back to the queue when its worker process dies (``reject_on_worker_lost``
and the Redis visibility timeout), which is what "a worker killed mid-task runs it
again" needs; it has per-task retries with back-off, a periodic scheduler (beat) and
signals around each task for logs and metrics; and it is what Open edX runs. RQ is
smaller, but re-running an abandoned job and periodic jobs need extra packages.

With no broker configured (``ACADEMY_BROKER_URL`` unset, the ``make run`` default)
``queue_mode()`` is "inline": :func:`academy.jobs.enqueue` runs the task at once in the
caller's unit of work, as the code did before the queue existed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

from celery import Celery
from celery.schedules import crontab
from flask import Flask, current_app

logger = logging.getLogger("academy.jobs")

#: The one queue every task goes to (its Redis list has this name: queue depth).
QUEUE_NAME = "academy"
#: Redis key prefix of worker heartbeats (one key per worker host and process).
HEARTBEAT_PREFIX = "academy:worker:"
HEARTBEAT_SECONDS = 10
#: How long a broker check is trusted before the next one.
STATUS_CACHE_SECONDS = 5.0

celery_app = Celery("academy", set_as_current=False)
_flask_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Configure the Celery application from the Flask config.

    The last Flask application initialised is the one tasks run in (a worker builds
    exactly one).
    """
    global _flask_app
    _flask_app = app
    broker = app.config.get("BROKER_URL") or ""
    visibility = int(app.config.get("JOBS_VISIBILITY_TIMEOUT", 300))
    if celery_app.conf.broker_url != (broker or "memory://"):
        _reset_connections()
    celery_app.conf.update(
        broker_url=broker or "memory://",
        result_backend=None,
        task_ignore_result=True,
        task_default_queue=QUEUE_NAME,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            # A task whose worker vanished goes back to the queue after this long.
            "visibility_timeout": visibility,
            # Look for such tasks often enough that a short timeout means a short wait.
            "unacked_restore_interval": max(1, min(10, visibility // 3)),
            "unacked_restore_throttle": 1 if visibility < 60 else 10,
            "socket_timeout": 2,
            "socket_connect_timeout": 2,
        },
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        beat_schedule=_beat_schedule(app),
        timezone="UTC",
        worker_hijack_root_logger=False,
    )
    app.extensions["academy.jobs"] = {"mode": "celery" if broker else "inline"}


def _reset_connections() -> None:
    # Another application (a test's) changes the broker: drop the pooled connections.
    celery_app.close()
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    _status_cache.clear()


def flask_app() -> Flask:
    if _flask_app is None:
        raise RuntimeError("academy.jobs is not initialised: create the Flask app first")
    return _flask_app


def queue_mode() -> str:
    """ "celery" when a broker is configured, else "inline"."""
    return current_app.extensions["academy.jobs"]["mode"]


def _beat_schedule(app: Flask) -> dict[str, Any]:
    interval = float(app.config.get("JOBS_CLOCK_SECONDS", 30))
    return {
        "sandbox-clock": {"task": "academy.periodic.clock_pass", "schedule": interval},
        "close-expired-attempts": {"task": "academy.periodic.close_expired", "schedule": 60.0},
        "relay-pending-jobs": {"task": "academy.periodic.relay", "schedule": interval},
        "purge-old-exports": {"task": "academy.periodic.purge_exports", "schedule": 3600.0},
        "send-digests": {
            "task": "academy.periodic.send_digests",
            "schedule": crontab(minute=0, hour=int(app.config.get("DIGEST_HOUR_UTC", 23))),
        },
    }


# --- the broker and the workers, as the web sees them ---------------------------------


def redis_client() -> Any | None:
    """A Redis client on the broker, or None when the broker is not Redis."""
    url = current_app.config.get("BROKER_URL") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    clients = current_app.extensions.setdefault("academy.jobs.redis", {})
    key = (url, os.getpid())
    if key not in clients:
        clients[key] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return clients[key]


_status_cache: dict[str, tuple[float, Any]] = {}


def _cached(name: str, compute: Any) -> Any:
    now = time.monotonic()
    name = f"{name}:{current_app.config.get('BROKER_URL')}"
    hit = _status_cache.get(name)
    if hit and now - hit[0] < STATUS_CACHE_SECONDS:
        return hit[1]
    value = compute()
    _status_cache[name] = (now, value)
    return value


def forget_status() -> None:
    """Drop the cached broker and worker state (tests; after a reconnect)."""
    _status_cache.clear()


def broker_status() -> str:
    """ "ok", "unavailable" or "inline" (no broker configured)."""
    if queue_mode() == "inline":
        return "inline"
    client = redis_client()
    if client is None:
        return "ok"

    def ping() -> str:
        try:
            client.ping()
        except Exception:
            return "unavailable"
        return "ok"

    return _cached("broker", ping)


def worker_status() -> str:
    """ "ok" when a worker beat in the last interval, "absent", "unknown" or "inline"."""
    if queue_mode() == "inline":
        return "inline"
    client = redis_client()
    if client is None:
        return "unknown"

    def look() -> str:
        try:
            found = next(iter(client.scan_iter(HEARTBEAT_PREFIX + "*", count=100)), None)
        except Exception:
            return "unknown"
        return "ok" if found else "absent"

    return _cached("worker", look)


def queue_depth() -> int | None:
    """Tasks waiting in the queue (None when unknown)."""
    client = redis_client()
    if client is None:
        return None
    try:
        return int(client.llen(QUEUE_NAME))
    except Exception:
        return None


def start_heartbeat(app: Flask) -> threading.Event:
    """Beat every few seconds from a worker so ``/healthz`` knows one is alive."""
    stop = threading.Event()
    name = f"{HEARTBEAT_PREFIX}{socket.gethostname()}:{os.getpid()}"

    def beat() -> None:
        with app.app_context():
            client = redis_client()
            while client is not None and not stop.is_set():
                try:
                    client.set(name, str(time.time()), ex=HEARTBEAT_SECONDS * 3)
                except Exception:
                    logger.warning("worker heartbeat: broker unreachable")
                stop.wait(HEARTBEAT_SECONDS)
            if client is not None:
                with contextlib.suppress(Exception):
                    client.delete(name)

    threading.Thread(target=beat, name="academy-worker-heartbeat", daemon=True).start()
    return stop
