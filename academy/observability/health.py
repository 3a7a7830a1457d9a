"""The health check: database, broker and worker, each reported on its own."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, jsonify

from academy import __version__
from academy.db import db
from academy.jobs import queue


def _database_status() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "unavailable"
    return "ok"


def health_response() -> tuple[Response, int]:
    """503 without the database; "degraded" when only the queue is missing (pages
    work, background work waits until the broker or a worker is back)."""
    checks = {
        "database": _database_status(),
        "broker": queue.broker_status(),
        "worker": queue.worker_status(),
    }
    if checks["database"] != "ok":
        return jsonify(status="unavailable", version=__version__, **checks), 503
    degraded = checks["broker"] == "unavailable" or checks["worker"] == "absent"
    return jsonify(status="degraded" if degraded else "ok", version=__version__, **checks), 200
