"""Large CSV exports go to the queue and come back as a link only their owner can open.

With no broker (as in `make run` and these tests) the job runs inline, so the export is
ready on the next page; tests/jobs/test_jobs_exports.py covers the queued path.
"""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.catalog.models import LessonKind
from academy.db import db
from academy.exports.models import ExportFile, ExportStatus
from academy.notifications.models import Notification, NotificationKind
from tests.conftest import login_as


@pytest.fixture
def big_class(app, create_organisation, create_user, create_course, create_class, join):
    school = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=school)
    course = create_course(lessons=2, kinds={1: LessonKind.ASSIGNMENT})
    school_class = create_class(course, teacher, school)
    for number in range(3):
        join(create_user(display_name=f"Student {number}"), school_class)
    return teacher, school_class


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/assessment/classes/{id}/gradebook.csv", "Gradebook"),
        ("/teaching/classes/{id}/progress.csv", "Progress"),
    ],
)
def test_a_large_export_is_prepared_and_linked(app, client, big_class, create_user, path, title):
    teacher, school_class = big_class
    login_as(client, teacher)
    url = path.format(id=school_class.id)
    small = client.get(url)  # three students: streamed at once
    assert small.status_code == 200 and len(rows_of(small)) == 4

    app.config["EXPORT_INLINE_ROWS"] = 2
    try:
        response = client.get(url)
    finally:
        app.config["EXPORT_INLINE_ROWS"] = 300
    assert response.status_code == 302 and response.headers["Location"].endswith("/exports")
    listing = client.get("/exports").get_data(as_text=True)
    assert f"{title} · {school_class.name}" in listing and "ready" in listing
    with app.app_context():
        export = db.session.scalars(sa.select(ExportFile)).one()
        assert (export.status, export.rows) == (ExportStatus.READY, 3)
        told = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == teacher.id)
        ).one()
        assert told.kind == NotificationKind.EXPORT_READY and told.url.endswith("/download")
    download = client.get(f"/exports/{export.id}/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    assert rows_of(download) == rows_of(small)

    # Nobody else may fetch it, not even another teacher of the school.
    other = app.test_client()
    login_as(other, create_user(roles=[Role.TEACHER], organisation=None))
    assert other.get(f"/exports/{export.id}/download").status_code == 404
    assert f"{title} · " not in other.get("/exports").get_data(as_text=True)


def test_exports_expire_after_the_days_kept(app, client, big_class):
    from datetime import timedelta

    from academy.db import utcnow
    from academy.exports.operations import purge_expired

    teacher, school_class = big_class
    login_as(client, teacher)
    app.config["EXPORT_INLINE_ROWS"] = 0
    try:
        client.get(f"/assessment/classes/{school_class.id}/gradebook.csv")
    finally:
        app.config["EXPORT_INLINE_ROWS"] = 300
    with app.app_context(), db.unit_of_work():
        export = db.session.scalars(sa.select(ExportFile)).one()
        export.requested_dt = utcnow() - timedelta(days=8)
        export_id = export.id
    assert client.get(f"/exports/{export_id}/download").status_code == 404
    assert "You have no exports." in client.get("/exports").get_data(as_text=True)
    with app.app_context(), db.unit_of_work():
        assert purge_expired() == 1
