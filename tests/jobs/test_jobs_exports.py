"""A large export on a real queue: asked for in a request, built once by a worker, linked."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth import operations as accounts
from academy.auth.models import User
from academy.db import db
from academy.exports import operations
from academy.exports.models import ExportFile, ExportStatus
from academy.jobs import runner
from academy.notifications.models import Notification, NotificationKind

BUILT: list[dict] = []


@operations.register_export("tests.table")
def table(params: dict) -> operations.Built:
    BUILT.append(params)
    return operations.Built("name,points\nWang,7\n", 1)


def test_an_export_waits_for_the_worker_and_is_built_once(queue_app):
    BUILT.clear()
    with queue_app.test_request_context(), db.unit_of_work():
        owner = accounts.create_user(
            email="exports@example.test",
            display_name="Export Owner",
            password="a long pass phrase 7",
        )
        export, enqueued = operations.request_export(
            owner, "tests.table", {"class_id": 4}, title="Table", filename="table.csv"
        )
        export_id, job_id, owner_id = export.id, enqueued.job_id, owner.id
    assert enqueued.state in ("queued", "waiting") and enqueued.message
    with queue_app.app_context():
        pending = operations.exports_of(db.session.get_one(User, owner_id))
        assert [(e.id, status) for e, status in pending] == [(export_id, ExportStatus.PENDING)]
    assert BUILT == []  # nothing ran in the request

    assert runner.run_job_task.apply(args=[job_id]).get() == "done"
    # Delivered twice (a worker died before acknowledging): built once, told once.
    assert runner.run_job_task.apply(args=[job_id]).get() == "skipped"
    assert BUILT == [{"class_id": 4}]
    with queue_app.app_context():
        export = db.session.get_one(ExportFile, export_id)
        assert export.status == ExportStatus.READY and export.content.startswith("name,points")
        told = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == owner_id)
        ).all()
        assert [(n.kind, n.url) for n in told] == [
            (NotificationKind.EXPORT_READY, f"/exports/{export_id}/download")
        ]
