"""Asking for an export, building it on the queue, and forgetting old ones.

Operations only ``flush()``; the request (or the job runner) commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import defer

from academy.auth.models import User
from academy.db import db, utcnow
from academy.exports.models import ExportFile, ExportStatus
from academy.jobs import Enqueued, enqueue
from academy.jobs.models import Job

logger = logging.getLogger("academy.exports")


@dataclass(frozen=True)
class Built:
    """What a builder made: the CSV text and its number of data rows."""

    text: str
    rows: int


#: kind → builder(params) → Built. Builders read the database and never write.
BUILDERS: dict[str, Callable[[dict[str, Any]], Built]] = {}


def register_export(kind: str) -> Callable[[Callable[[dict[str, Any]], Built]], Any]:
    """Declare the builder of ``kind`` (in the owning domain's ``tasks.py``)."""

    def register(builder: Callable[[dict[str, Any]], Built]) -> Callable[[dict[str, Any]], Built]:
        BUILDERS[kind] = builder
        return builder

    return register


def is_large(rows: int) -> bool:
    """Whether an export of ``rows`` rows goes to the queue rather than the response."""
    return rows > int(current_app.config.get("EXPORT_INLINE_ROWS", 300))


def request_export(
    owner: User, kind: str, params: dict[str, Any], *, title: str, filename: str
) -> tuple[ExportFile, Enqueued]:
    """Write the export row and ask for the job that builds it (inline with no broker).

    The caller has already checked that ``owner`` may see what the export holds.
    """
    export = ExportFile(owner=owner, kind=kind, params=params, title=title, filename=filename)
    db.session.add(export)
    db.session.flush()
    link = url_for("exports.download", export_id=export.id)
    enqueued = enqueue("exports.build", export.id, link)
    export.job_id = enqueued.job_id
    db.session.flush()
    return export, enqueued


def build_export(export_id: int, link: str) -> None:
    """Build one export and tell its owner; a finished export is left as it is."""
    from academy.notifications import operations as notifications

    export = db.session.get(ExportFile, export_id)
    if export is None or export.status != ExportStatus.PENDING:
        return
    built = BUILDERS[export.kind](dict(export.params))
    export.content = built.text
    export.rows = built.rows
    export.status = ExportStatus.READY
    export.ready_dt = utcnow()
    db.session.flush()
    logger.info("export %s (%s) built: %s rows", export.id, export.kind, built.rows)
    notifications.notify(
        export.owner, notifications.NotificationKind.EXPORT_READY, url=link, title=export.title
    )


def shown_status(export: ExportFile, job_status: str | None) -> ExportStatus:
    """The export's status as its owner should see it: failed once its job gave up."""
    if export.status == ExportStatus.PENDING and job_status == "failed":
        return ExportStatus.FAILED
    return export.status


def keep_until(now: datetime | None = None) -> datetime:
    """Exports requested before this moment are expired."""
    days = int(current_app.config.get("EXPORT_KEEP_DAYS", 7))
    return (now or utcnow()) - timedelta(days=days)


def purge_expired(now: datetime | None = None) -> int:
    """Delete the exports older than ``EXPORT_KEEP_DAYS``; returns how many."""
    result = db.execute_dml(
        sa.delete(ExportFile)
        .where(ExportFile.requested_dt < keep_until(now))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def exports_of(owner: User) -> list[tuple[ExportFile, ExportStatus]]:
    """The owner's exports still kept, newest first (without their content), each with
    the status to show."""
    rows = db.session.execute(
        sa.select(ExportFile, Job.status)
        .outerjoin(Job, Job.id == ExportFile.job_id)
        .where(ExportFile.owner_id == owner.id, ExportFile.requested_dt >= keep_until())
        .options(defer(ExportFile.content))
        .order_by(ExportFile.requested_dt.desc(), ExportFile.id.desc())
    )
    return [
        (export, shown_status(export, None if job is None else job.value)) for export, job in rows
    ]
