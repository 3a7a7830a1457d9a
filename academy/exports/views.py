"""The user's exports: the list with their state, and the download (owner only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from academy.auth.permissions import login_required
from academy.csv import csv_response
from academy.db import db
from academy.exports import operations
from academy.exports.models import ExportFile, ExportStatus

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates")

STATUS_LABELS = {
    ExportStatus.PENDING: _l("being prepared"),
    ExportStatus.READY: _l("ready"),
    ExportStatus.FAILED: _l("failed — ask for it again"),
}


@bp.route("")
@login_required
def list_exports():
    return render_template(
        "exports/list.html",
        exports=operations.exports_of(current_user),
        labels=STATUS_LABELS,
    )


@bp.route("/<int:export_id>/download")
@login_required
def download(export_id: int):
    export = db.session.get(ExportFile, export_id)
    # Someone else's export, an expired one or one not built yet: nothing to see here.
    if (
        export is None
        or export.owner_id != current_user.id
        or export.status != ExportStatus.READY
        or export.requested_dt < operations.keep_until()
    ):
        abort(404)
    return csv_response(export.content or "", export.filename)


def export_later(
    kind: str, params: dict[str, Any], *, title: str, filename: str
) -> WerkzeugResponse:
    """Hand a large export to the queue and show the user their exports.

    The caller has checked that the current user may see what the export holds.
    """
    export, enqueued = operations.request_export(
        current_user, kind, params, title=title, filename=filename
    )
    if enqueued.message:
        flash(
            _("“%(title)s” is being prepared; you will be notified when it is ready.", title=title)
            + " "
            + enqueued.message,
            "info",
        )
    else:
        flash(_("“%(title)s” is ready to download.", title=export.title), "success")
    return redirect(url_for("exports.list_exports"))
